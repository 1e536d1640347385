import { Builder } from 'flatbuffers';

/**
 * Writes small TensorFlow Lite files for the tests, with the `flatbuffers` package's Builder and the schema's
 * field numbers written out independently of the reader (so that a misnumbered field in either shows).
 */

/** TensorType codes of the schema. */
export const TYPE = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, STRING: 5, INT8: 9 } as const;

/** BuiltinOperator codes of the schema. */
export const OP = {
  ADD: 0,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  LOGISTIC: 14,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  SOFTMAX: 25,
  MEAN: 40,
  SUB: 41,
  RSQRT: 76,
  RESIZE_NEAREST_NEIGHBOR: 97,
  SQUARED_DIFFERENCE: 99,
  MIRROR_PAD: 100,
  QUANTIZE: 114,
} as const;

/** ActivationFunctionType codes. */
export const ACT = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 } as const;

export interface TensorSpec {
  readonly shape: readonly number[];
  readonly type: number;
  readonly data?: Uint8Array;
  readonly quant?: { readonly scale: readonly number[]; readonly zeroPoint: readonly number[]; readonly axis?: number };
}

type Field = readonly [field: number, kind: 'int8' | 'int32', value: number];

/** An options table: its BuiltinOptions union type and its fields. */
export interface OptionsSpec {
  readonly type: number;
  readonly fields: readonly Field[];
}

export interface OperatorSpec {
  readonly code: number;
  readonly custom?: string;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options?: OptionsSpec;
}

export const options = {
  conv: (padding: 'SAME' | 'VALID', stride: number, act: number, dilation = 1): OptionsSpec => ({
    type: 1,
    fields: [[0, 'int8', padding === 'SAME' ? 0 : 1], [1, 'int32', stride], [2, 'int32', stride], [3, 'int8', act], [4, 'int32', dilation], [5, 'int32', dilation]],
  }),
  depthwise: (padding: 'SAME' | 'VALID', stride: number, multiplier: number, act: number): OptionsSpec => ({
    type: 2,
    fields: [[0, 'int8', padding === 'SAME' ? 0 : 1], [1, 'int32', stride], [2, 'int32', stride], [3, 'int32', multiplier], [4, 'int8', act]],
  }),
  add: (act: number): OptionsSpec => ({ type: 11, fields: [[0, 'int8', act]] }),
  mul: (act: number): OptionsSpec => ({ type: 21, fields: [[0, 'int8', act]] }),
  sub: (act: number): OptionsSpec => ({ type: 28, fields: [[0, 'int8', act]] }),
  reducer: (keepDims: boolean): OptionsSpec => ({ type: 27, fields: [[0, 'int8', keepDims ? 1 : 0]] }),
  resizeNearest: (alignCorners: boolean, halfPixelCenters: boolean): OptionsSpec => ({
    type: 74,
    fields: [[0, 'int8', alignCorners ? 1 : 0], [1, 'int8', halfPixelCenters ? 1 : 0]],
  }),
  mirrorPad: (mode: 'REFLECT' | 'SYMMETRIC'): OptionsSpec => ({ type: 77, fields: [[0, 'int8', mode === 'REFLECT' ? 0 : 1]] }),
};

export function float32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

export function int32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}

/** A model of one subgraph, the way TFLite's converter lays one out (buffer 0 empty, one buffer per constant). */
export function buildTflite(model: {
  readonly tensors: readonly TensorSpec[];
  readonly operators: readonly OperatorSpec[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly version?: number;
}): Uint8Array {
  const b = new Builder(1024);
  const ints = (values: readonly number[]) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
    return b.endVector();
  };
  const floats = (values: readonly number[]) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
    return b.endVector();
  };
  const longs = (values: readonly number[]) => {
    b.startVector(8, values.length, 8);
    for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]));
    return b.endVector();
  };
  const tables = (offsets: readonly number[]) => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
    return b.endVector();
  };

  // Buffer: data (0).
  const buffers = [undefined, ...model.tensors.filter((t) => t.data).map((t) => t.data)].map((data) => {
    const vector = data && b.createByteVector(data);
    b.startObject(1);
    if (vector) b.addFieldOffset(0, vector, 0);
    return b.endObject();
  });
  let nextBuffer = 1;
  // Tensor: shape (0), type (1), buffer (2), name (3), quantization (4).
  const tensors = model.tensors.map((t, i) => {
    const shape = ints(t.shape);
    const name = b.createString(`t${i}`);
    let quant = 0;
    if (t.quant) {
      // QuantizationParameters: scale (2), zero_point (3), quantized_dimension (6).
      const scale = floats(t.quant.scale);
      const zeroPoint = longs(t.quant.zeroPoint);
      b.startObject(7);
      b.addFieldOffset(2, scale, 0);
      b.addFieldOffset(3, zeroPoint, 0);
      b.addFieldInt32(6, t.quant.axis ?? 0, 0);
      quant = b.endObject();
    }
    b.startObject(5);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type, 0);
    b.addFieldInt32(2, t.data ? nextBuffer++ : 0, 0);
    b.addFieldOffset(3, name, 0);
    if (quant) b.addFieldOffset(4, quant, 0);
    return b.endObject();
  });
  // OperatorCode: deprecated_builtin_code (0), custom_code (1), version (2), builtin_code (3).
  const codes = model.operators.map((op) => {
    const custom = op.custom === undefined ? 0 : b.createString(op.custom);
    b.startObject(4);
    b.addFieldInt8(0, Math.min(op.code, 127), 0);
    if (custom) b.addFieldOffset(1, custom, 0);
    b.addFieldInt32(2, 1, 1);
    b.addFieldInt32(3, op.code, 0);
    return b.endObject();
  });
  // Operator: opcode_index (0), inputs (1), outputs (2), builtin_options_type (3), builtin_options (4).
  const operators = model.operators.map((op, k) => {
    let opts = 0;
    if (op.options) {
      b.startObject(8);
      for (const [field, kind, value] of op.options.fields) {
        if (kind === 'int8') b.addFieldInt8(field, value, -1);
        else b.addFieldInt32(field, value, -1);
      }
      opts = b.endObject();
    }
    const inputs = ints(op.inputs);
    const outputs = ints(op.outputs);
    b.startObject(5);
    b.addFieldInt32(0, k, -1);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    if (op.options) {
      b.addFieldInt8(3, op.options.type, 0);
      b.addFieldOffset(4, opts, 0);
    }
    return b.endObject();
  });
  // SubGraph: tensors (0), inputs (1), outputs (2), operators (3).
  const subgraph = (() => {
    const t = tables(tensors);
    const i = ints(model.inputs);
    const o = ints(model.outputs);
    const ops = tables(operators);
    b.startObject(5);
    b.addFieldOffset(0, t, 0);
    b.addFieldOffset(1, i, 0);
    b.addFieldOffset(2, o, 0);
    b.addFieldOffset(3, ops, 0);
    return b.endObject();
  })();
  // Model: version (0), operator_codes (1), subgraphs (2), buffers (4).
  const codeVector = tables(codes);
  const subgraphs = tables([subgraph]);
  const bufferVector = tables(buffers);
  b.startObject(5);
  b.addFieldInt32(0, model.version ?? 3, -1);
  b.addFieldOffset(1, codeVector, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(4, bufferVector, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}
