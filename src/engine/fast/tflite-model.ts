import { errorMessage, UserError } from '../../common/errors';
import { FlatTable, MalformedFlatbuffer } from './flatbuffer-table';

/**
 * A TensorFlow Lite model (flatbuffer schema version 3) as far as fast mode reads it: the main subgraph's tensors,
 * with their constant contents and quantization, and its operators in execution order with their options.
 *
 * The schema's fields are numbered from 0 in the order the schema declares them, and a union takes two numbers
 * (its type, then its table). Read here:
 * - Model: version (0), operator_codes (1), subgraphs (2), buffers (4).
 * - OperatorCode: deprecated_builtin_code (0, a byte, what older converters write), custom_code (1), version (2),
 *   builtin_code (3, an int that newer converters write as well); the larger of the two codes is the operator.
 * - SubGraph: tensors (0), inputs (1), outputs (2), operators (3).
 * - Tensor: shape (0), type (1), buffer (2, an index into Model.buffers; 0 is the empty buffer), name (3),
 *   quantization (4), sparsity (6: refused, fast mode reads dense tensors only).
 * - QuantizationParameters: scale (2), zero_point (3), details (5: refused, custom quantization),
 *   quantized_dimension (6): real = scale * (quantized - zero_point), per tensor or along one axis.
 * - Buffer: data (0); offset (1) and size (2), which models over 2 GB use instead, are refused.
 * - Operator: opcode_index (0), inputs (1, -1 for an absent optional input), outputs (2), builtin_options_type (3),
 *   builtin_options (4).
 * - The options tables of the operators below, each checked to be of the kind its operator takes.
 */

export type TensorType = 'FLOAT32' | 'FLOAT16' | 'INT32' | 'UINT8' | 'INT64' | 'INT8';

/** TensorType values of the schema that fast mode can meet; the others (strings, booleans, complex ...) are refused. */
const TENSOR_TYPES: Readonly<Record<number, TensorType>> = { 0: 'FLOAT32', 1: 'FLOAT16', 2: 'INT32', 3: 'UINT8', 4: 'INT64', 9: 'INT8' };

export const ELEMENT_SIZE: Readonly<Record<TensorType, number>> = { FLOAT32: 4, FLOAT16: 2, INT32: 4, UINT8: 1, INT64: 8, INT8: 1 };

export interface Quantization {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  /** The axis that `scale` and `zeroPoint` run along when they have more than one entry. */
  readonly axis: number;
}

export interface TfliteTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: TensorType;
  /** The constant's contents (little-endian, row-major); absent for the values computed at run time. */
  readonly data?: Uint8Array;
  readonly quantization?: Quantization;
}

export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH';

export interface ConvOptions {
  readonly padding: 'SAME' | 'VALID';
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly activation: Activation;
}

interface Io {
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/** The operators fast mode converts, with the options each one carries. */
export type TfliteOperator = Io &
  (
    | { readonly op: 'CONV_2D'; readonly options: ConvOptions }
    | { readonly op: 'DEPTHWISE_CONV_2D'; readonly options: ConvOptions & { readonly depthMultiplier: number } }
    | { readonly op: 'ADD' | 'SUB' | 'MUL'; readonly options: { readonly activation: Activation } }
    | { readonly op: 'MEAN'; readonly options: { readonly keepDims: boolean } }
    | { readonly op: 'MIRROR_PAD'; readonly options: { readonly mode: 'REFLECT' | 'SYMMETRIC' } }
    | {
        readonly op: 'RESIZE_NEAREST_NEIGHBOR';
        readonly options: { readonly alignCorners: boolean; readonly halfPixelCenters: boolean };
      }
    | { readonly op: 'SQUARED_DIFFERENCE' | 'RSQRT' | 'LOGISTIC' | 'RELU' | 'RELU6' | 'QUANTIZE' | 'DEQUANTIZE' }
  );

export type OperatorName = TfliteOperator['op'];

export interface TfliteModel {
  readonly tensors: readonly TfliteTensor[];
  readonly operators: readonly TfliteOperator[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/**
 * BuiltinOperator names by code, for naming an operator fast mode does not convert (codes 0 to 161; later ones
 * are named by number).
 */
const BUILTIN_OPERATORS = (
  'ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE EMBEDDING_LOOKUP FLOOR ' +
  'FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D LOCAL_RESPONSE_NORMALIZATION LOGISTIC ' +
  'LSH_PROJECTION LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1 RELU6 RESHAPE RESIZE_BILINEAR RNN SOFTMAX SPACE_TO_DEPTH ' +
  'SVDF TANH CONCAT_EMBEDDINGS SKIP_GRAM CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD UNIDIRECTIONAL_SEQUENCE_RNN ' +
  'GATHER BATCH_TO_SPACE_ND SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV SQUEEZE UNIDIRECTIONAL_SEQUENCE_LSTM ' +
  'STRIDED_SLICE BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM ' +
  'CAST PRELU MAXIMUM ARG_MAX MINIMUM LESS NEG PADV2 GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE SIN ' +
  'TRANSPOSE_CONV SPARSE_TO_DENSE TILE EXPAND_DIMS EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ARG_MIN ' +
  'FAKE_QUANT REDUCE_PROD REDUCE_MAX PACK LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK REDUCE_MIN FLOOR_DIV ' +
  'REDUCE_ANY SQUARE ZEROS_LIKE FILL FLOOR_MOD RANGE RESIZE_NEAREST_NEIGHBOR LEAKY_RELU SQUARED_DIFFERENCE ' +
  'MIRROR_PAD ABS SPLIT_V UNIQUE CEIL REVERSE_V2 ADD_N GATHER_ND COS WHERE RANK ELU REVERSE_SEQUENCE MATRIX_DIAG ' +
  'QUANTIZE MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND ' +
  'SELECT_V2 DENSIFY SEGMENT_SUM BATCH_MATMUL PLACEHOLDER_FOR_GREATER_OP_CODES CUMSUM CALL_ONCE BROADCAST_TO ' +
  'RFFT2D CONV_3D IMAG REAL COMPLEX_ABS HASHTABLE HASHTABLE_FIND HASHTABLE_IMPORT HASHTABLE_SIZE REDUCE_ALL ' +
  'CONV_3D_TRANSPOSE VAR_HANDLE READ_VARIABLE ASSIGN_VARIABLE BROADCAST_ARGS RANDOM_STANDARD_NORMAL BUCKETIZE ' +
  'RANDOM_UNIFORM MULTINOMIAL GELU DYNAMIC_UPDATE_SLICE RELU_0_TO_1 UNSORTED_SEGMENT_PROD UNSORTED_SEGMENT_MAX ' +
  'UNSORTED_SEGMENT_SUM ATAN2 UNSORTED_SEGMENT_MIN SIGN BITCAST BITWISE_XOR RIGHT_SHIFT'
).split(' ');

/** The BuiltinOptions union's type number of each options table read here. */
const OPTIONS_TYPE = {
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  AddOptions: 11,
  MulOptions: 21,
  ReducerOptions: 27,
  SubOptions: 28,
  ResizeNearestNeighborOptions: 74,
  MirrorPadOptions: 77,
} as const;

const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH'];

/** The file is not a model fast mode can use: a UserError that names it. */
function invalid(file: string, why: string): UserError {
  return new UserError(`${file} is not a usable TensorFlow Lite model: ${why}`);
}

/**
 * Reads a .tflite file's bytes. `file` names it in errors: a file that is not a TFLite flatbuffer, is truncated or
 * damaged, or uses an operator or tensor type fast mode does not convert is a UserError saying which and why.
 */
export function readTfliteModel(bytes: Uint8Array, file: string): TfliteModel {
  try {
    return readModel(bytes, file);
  } catch (e) {
    if (e instanceof MalformedFlatbuffer) throw invalid(file, `it is truncated or damaged (${e.message})`);
    if (e instanceof UserError) throw e;
    throw invalid(file, `it is damaged (${errorMessage(e)})`);
  }
}

function readModel(bytes: Uint8Array, file: string): TfliteModel {
  if (!FlatTable.hasIdentifier(bytes, 'TFL3')) throw invalid(file, 'it does not start like one (no "TFL3" identifier)');
  const model = FlatTable.root(bytes);
  const version = model.uint32(0);
  if (version !== 3) throw invalid(file, `schema version ${version}, fast mode reads version 3`);
  const subgraphs = model.tables(2);
  if (subgraphs.length !== 1) throw invalid(file, `${subgraphs.length} subgraphs, fast mode runs models of one`);
  const graph = subgraphs[0];
  const buffers = model.tables(4);
  const codes = model.tables(1).map((code) => operatorName(code));

  const tensors = graph.tables(0).map((t, i) => readTensor(t, i, buffers, file));
  const index = (what: string) => (i: number) => {
    if (!(Number.isInteger(i) && i >= 0 && i < tensors.length)) throw invalid(file, `${what} refers to tensor ${i} of ${tensors.length}`);
    return i;
  };
  const operators = graph.tables(3).map((op, k): TfliteOperator => {
    const code = op.uint32(0);
    if (code >= codes.length) throw invalid(file, `operator ${k} has operator code ${code} of ${codes.length}`);
    const io = {
      inputs: (op.int32s(1) ?? []).map((i) => (i === -1 ? -1 : index(`operator ${k}`)(i))),
      outputs: (op.int32s(2) ?? []).map(index(`operator ${k}`)),
    };
    return withOptions(codes[code], io, op, file);
  });
  const inputs = (graph.int32s(1) ?? []).map(index('the model input'));
  const outputs = (graph.int32s(2) ?? []).map(index('the model output'));
  return { tensors, operators, inputs, outputs };
}

function operatorName(code: FlatTable): string {
  const custom = code.string(1);
  if (custom !== undefined) return `custom operator "${custom}"`;
  const n = Math.max(code.int8(0), code.int32(3));
  return BUILTIN_OPERATORS[n] ?? `builtin operator ${n}`;
}

function readTensor(t: FlatTable, i: number, buffers: readonly FlatTable[], file: string): TfliteTensor {
  const name = t.string(3) ?? `tensor ${i}`;
  const typeCode = t.int8(1);
  const type = TENSOR_TYPES[typeCode];
  if (type === undefined) throw invalid(file, `tensor "${name}" has type ${typeCode}, which fast mode does not convert`);
  const shape = t.int32s(0) ?? [];
  if (shape.some((d) => !(d >= 1))) throw invalid(file, `tensor "${name}" has shape [${shape}]`);
  if (t.table(6)) throw invalid(file, `tensor "${name}" is sparse, which fast mode does not convert`);

  const bufferIndex = t.uint32(2);
  if (bufferIndex >= buffers.length) throw invalid(file, `tensor "${name}" refers to buffer ${bufferIndex} of ${buffers.length}`);
  const buffer = buffers[bufferIndex];
  if (buffer.uint32(1) > 1) {
    throw invalid(file, `tensor "${name}" keeps its data outside the flatbuffer, which fast mode does not read`);
  }
  const bytes = buffer.bytes(0);
  const data = bytes && bytes.length > 0 ? bytes : undefined;
  const count = shape.reduce((a, b) => a * b, 1);
  if (data && data.length !== count * ELEMENT_SIZE[type]) {
    throw invalid(file, `tensor "${name}" of shape [${shape}] and type ${type} holds ${data.length} bytes`);
  }
  return { name, shape, type, data, quantization: readQuantization(t.table(4), name, shape, file) };
}

function readQuantization(q: FlatTable | undefined, name: string, shape: readonly number[], file: string): Quantization | undefined {
  if (!q) return undefined;
  if (q.uint8(4) !== 0) throw invalid(file, `tensor "${name}" uses custom quantization, which fast mode does not convert`);
  const scale = q.float32s(2) ?? [];
  if (scale.length === 0) return undefined; // min and max only: a record of the range, not a quantization
  const zeroPoint = q.int64s(3) ?? [];
  const axis = q.int32(6);
  const perAxis = scale.length > 1;
  if (perAxis && shape[axis] !== scale.length) {
    throw invalid(file, `tensor "${name}" of shape [${shape}] has ${scale.length} scales along axis ${axis}`);
  }
  if (zeroPoint.length !== scale.length && zeroPoint.length > 1) {
    throw invalid(file, `tensor "${name}" has ${scale.length} scales but ${zeroPoint.length} zero points`);
  }
  if (scale.some((s) => !(Number.isFinite(s) && s > 0))) throw invalid(file, `tensor "${name}" has a scale that is not a positive number`);
  return { scale, zeroPoint: zeroPoint.length > 0 ? zeroPoint : [0], axis };
}

function withOptions(name: string, io: Io, op: FlatTable, file: string): TfliteOperator {
  const options = (type: number): FlatTable => {
    const actual = op.uint8(3);
    const table = op.table(4);
    if (actual !== type || !table) throw invalid(file, `an operator ${name} lacks its options`);
    return table;
  };
  const activation = (t: FlatTable, field: number): Activation => {
    const a = t.int8(field);
    const known = ACTIVATIONS[a];
    if (known === undefined) throw invalid(file, `an operator ${name} has fused activation ${a}, which fast mode does not convert`);
    return known;
  };
  const conv = (t: FlatTable, fields: { activation: number; dilationW: number }): ConvOptions => {
    const padding = t.int8(0);
    if (padding !== 0 && padding !== 1) throw invalid(file, `an operator ${name} has padding ${padding}`);
    const o = {
      padding: padding === 0 ? ('SAME' as const) : ('VALID' as const),
      strideW: t.int32(1),
      strideH: t.int32(2),
      activation: activation(t, fields.activation),
      dilationW: t.int32(fields.dilationW, 1),
      dilationH: t.int32(fields.dilationW + 1, 1),
    };
    if (![o.strideW, o.strideH, o.dilationW, o.dilationH].every((n) => n >= 1)) {
      throw invalid(file, `an operator ${name} has strides ${o.strideH}x${o.strideW}, dilations ${o.dilationH}x${o.dilationW}`);
    }
    return o;
  };
  switch (name) {
    case 'CONV_2D':
      return { ...io, op: name, options: conv(options(OPTIONS_TYPE.Conv2DOptions), { activation: 3, dilationW: 4 }) };
    case 'DEPTHWISE_CONV_2D': {
      const t = options(OPTIONS_TYPE.DepthwiseConv2DOptions);
      return { ...io, op: name, options: { ...conv(t, { activation: 4, dilationW: 5 }), depthMultiplier: t.int32(3) } };
    }
    case 'ADD':
      return { ...io, op: name, options: { activation: activation(options(OPTIONS_TYPE.AddOptions), 0) } };
    case 'SUB':
      return { ...io, op: name, options: { activation: activation(options(OPTIONS_TYPE.SubOptions), 0) } };
    case 'MUL':
      return { ...io, op: name, options: { activation: activation(options(OPTIONS_TYPE.MulOptions), 0) } };
    case 'MEAN':
      return { ...io, op: name, options: { keepDims: options(OPTIONS_TYPE.ReducerOptions).bool(0) } };
    case 'MIRROR_PAD': {
      const mode = options(OPTIONS_TYPE.MirrorPadOptions).int8(0);
      if (mode !== 0 && mode !== 1) throw invalid(file, `an operator MIRROR_PAD has mode ${mode}`);
      return { ...io, op: name, options: { mode: mode === 0 ? 'REFLECT' : 'SYMMETRIC' } };
    }
    case 'RESIZE_NEAREST_NEIGHBOR': {
      const t = options(OPTIONS_TYPE.ResizeNearestNeighborOptions);
      return { ...io, op: name, options: { alignCorners: t.bool(0), halfPixelCenters: t.bool(1) } };
    }
    case 'SQUARED_DIFFERENCE':
    case 'RSQRT':
    case 'LOGISTIC':
    case 'RELU':
    case 'RELU6':
    case 'QUANTIZE':
    case 'DEQUANTIZE':
      return { ...io, op: name };
    default:
      throw invalid(file, `it uses the operator ${name}, which fast mode does not convert`);
  }
}
