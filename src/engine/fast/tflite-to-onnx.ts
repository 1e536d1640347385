import { UserError } from '../../common/errors';
import { GraphBuilder, MICROSOFT, type Attributes, type Dim } from '../onnx/graph-builder';
import { constantFloats, constantInt32s, constantInt8s, constantInts } from './dequantize';
import type { Activation, ConvOptions, TfliteModel, TfliteOperator, TfliteTensor } from './tflite-model';

/** A graph input or output: its ONNX name and its NHWC shape as the .tflite file gives it. */
export interface NetPort {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface OnnxNet {
  /** The serialized ONNX model. */
  readonly model: Uint8Array;
  readonly inputs: readonly NetPort[];
  readonly outputs: readonly NetPort[];
}

/** Where each NHWC axis goes in NCHW. */
const NCHW_AXIS_OF_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/**
 * The TFLite model as an ONNX graph that computes the same in float32. Inputs and outputs stay NHWC, as in the
 * file, with their height and width left free (the nets are fully convolutional); inside, every activation is
 * NCHW, which is what ONNX's Conv takes, so that the only transposes are at the graph's edges. Weights are stored
 * as float32 (dequantized here, see constantFloats) and QUANTIZE/DEQUANTIZE become nothing: `file` names the model
 * in errors, for anything the conversion does not cover.
 */
export function tfliteToOnnx(model: TfliteModel, file: string): OnnxNet {
  return new Converter(model, file).convert();
}

/**
 * The model as two ONNX graphs run one after the other: the first computes all that does not depend on the graph
 * inputs `lateInputs` (tensor indices), and outputs what the rest reads of it; the second computes the rest from
 * those values and the late inputs. The transformer split at its style vector is the content's features, made once,
 * then painted with any number of styles: a panel whose controls change the style skips the first part's work.
 * The values passed between the parts are NCHW, named `features_<tensor index>`.
 */
export function tfliteToOnnxParts(model: TfliteModel, file: string, lateInputs: readonly number[]): [OnnxNet, OnnxNet] {
  const split = splitAt(model, lateInputs);
  if (model.outputs.some((o) => !split.late.has(o))) throw new UserError(`${file} cannot be split: an output does not depend on the inputs [${lateInputs}]`);
  return [new Converter(model, file, { ...split, which: 'early' }).convert(), new Converter(model, file, { ...split, which: 'late' }).convert()];
}

/** One part of a split model (see tfliteToOnnxParts). */
interface Part {
  readonly which: 'early' | 'late';
  /** The tensors that depend on a late input. */
  readonly late: ReadonlySet<number>;
  /** The tensors the early part computes and the late part reads, in index order. */
  readonly frontier: readonly number[];
}

function splitAt(m: TfliteModel, lateInputs: readonly number[]): Omit<Part, 'which'> {
  const late = new Set(lateInputs);
  const constant = new Set(m.tensors.flatMap((t, i) => (t.data ? [i] : [])));
  for (const op of m.operators) {
    const inputs = op.inputs.filter((i) => i >= 0);
    if (isQuantization(op) && inputs.every((i) => constant.has(i))) op.outputs.forEach((o) => constant.add(o));
    else if (inputs.some((i) => late.has(i))) op.outputs.forEach((o) => late.add(o));
  }
  const frontier = new Set<number>();
  for (const op of m.operators.filter((o) => o.outputs.some((t) => late.has(t)))) {
    for (const i of op.inputs) if (i >= 0 && !late.has(i) && !constant.has(i)) frontier.add(i);
  }
  return { late, frontier: [...frontier].sort((a, b) => a - b) };
}

function isQuantization(op: TfliteOperator): boolean {
  return op.op === 'QUANTIZE' || op.op === 'DEQUANTIZE';
}

class Converter {
  private readonly g: GraphBuilder;
  /** The ONNX value (NCHW, float32) of each activation tensor computed so far. */
  private readonly values = new Map<number, string>();
  /**
   * The 8-bit ONNX value (NCHW) of each int8 activation computed so far (see integerOp), held as uint8: the file's
   * integers plus 128, with its zero point plus 128, which stands for the same reals and rounds the same way.
   * onnxruntime's 8-bit kernels take unsigned activations: with signed ones the predictor took 6x the time.
   */
  private readonly integers = new Map<number, string>();
  /** Constants reached through QUANTIZE or DEQUANTIZE: the tensor whose data they stand for. */
  private readonly aliases = new Map<number, number>();
  private readonly initializers = new Map<number, string>();
  private readonly levels = new Map<number, string>();
  /** Activations not computed until a consumer needs them as they are (see upsampledConv). */
  private readonly deferred = new Map<number, () => string>();
  /** Deferred nearest-neighbour doublings (of activation `low`), and those mirrored out by one pixel. */
  private readonly upsampled = new Map<number, { readonly low: number; readonly padded: boolean }>();

  constructor(
    private readonly m: TfliteModel,
    private readonly file: string,
    private readonly part?: Part,
  ) {
    // Named after the file but not its folder: the same file converts to the same bytes wherever it lies.
    this.g = new GraphBuilder(file.split(/[\\/]/).pop()!);
  }

  convert(): OnnxNet {
    const part = this.part;
    const inputs = this.m.inputs.filter((i) => !part || part.late.has(i) === (part.which === 'late')).map((i) => {
      const port = this.port(i);
      const x = this.g.input(port.name, freeSpatial(port));
      this.values.set(i, this.g.op('Transpose', [x], { perm: TO_NCHW }, `${port.name}_nchw`));
      return port;
    });
    if (part?.which === 'late') {
      for (const i of part.frontier) inputs.push(this.feature(i, (port, dims) => this.values.set(i, this.g.input(port.name, dims))));
    }
    this.m.operators.forEach((op, k) => {
      if (this.inPart(op)) this.operator(op, k);
    });
    const outputs =
      part?.which === 'early'
        ? part.frontier.map((i) => this.feature(i, (port, dims) => this.g.output(port.name, this.value(i), dims)))
        : this.m.outputs.map((i) => {
            const port = this.port(i);
            this.g.output(port.name, this.g.op('Transpose', [this.value(i)], { perm: TO_NHWC }, 'nhwc'), freeSpatial(port));
            return port;
          });
    return { model: this.g.encode(), inputs, outputs };
  }

  /** Whether operator `op` is computed by the part this converter makes (constants' QUANTIZE and DEQUANTIZE by both). */
  private inPart(op: TfliteOperator): boolean {
    if (!this.part) return true;
    if (isQuantization(op) && this.isConstant(op.inputs[0])) return true;
    return op.outputs.some((o) => this.part!.late.has(o)) === (this.part.which === 'late');
  }

  /**
   * Tensor `i` passed from the early part to the late one, as `declare` is given it: an NCHW value named after its
   * index, its height and width free where the file has more than one pixel (each its own: the values differ in size).
   */
  private feature(i: number, declare: (port: NetPort, dims: Dim[]) => void): NetPort {
    const [n, h, w, c] = this.tensor(i).shape;
    const port = { name: `features_${i}`, shape: this.tensor(i).shape };
    declare(port, [n, c, h > 1 ? `${port.name}_height` : h, w > 1 ? `${port.name}_width` : w]);
    return port;
  }

  private fail(why: string): UserError {
    return new UserError(`${this.file} cannot be run by fast mode: ${why}`);
  }

  private tensor(i: number): TfliteTensor {
    return this.m.tensors[i];
  }

  private port(i: number): NetPort {
    const t = this.tensor(i);
    if (t.shape.length !== 4 || t.shape[0] !== 1 || t.data) throw this.fail(`graph input or output "${t.name}" is not one NHWC image`);
    return { name: t.name.replace(/[^A-Za-z0-9_]/g, '_'), shape: t.shape };
  }

  /** Activation `i` in float32: as computed, or its int8 value dequantized. */
  private value(i: number): string {
    let v = this.values.get(i);
    const make = this.deferred.get(i);
    const q = this.integers.get(i);
    if (v === undefined && make) this.values.set(i, (v = make()));
    if (v === undefined && q !== undefined) this.values.set(i, (v = this.g.op('DequantizeLinear', [q, ...this.quantization(i)])));
    if (v === undefined) throw this.fail(`tensor "${this.tensor(i).name}" is used before it is computed`);
    return v;
  }

  /** Int8 activation `i` as 8 bits (uint8, see integers): as computed, or its float32 value quantized. */
  private integer(i: number): string {
    let q = this.integers.get(i);
    if (q === undefined) this.integers.set(i, (q = this.g.op('QuantizeLinear', [this.value(i), ...this.quantization(i)])));
    return q;
  }

  /** Whether activation `i` is stored by the file as int8 with one scale: the values integerOp computes in int8. */
  private isInteger(i: number): boolean {
    const t = this.tensor(i);
    return t.type === 'INT8' && !t.data && !this.aliases.has(i) && t.quantization?.scale.length === 1;
  }

  /** The scale and zero point of int8 activation `i` held as uint8, as QuantizeLinear and the QLinear ops take them. */
  private quantization(i: number): [string, string] {
    const q = this.tensor(i).quantization!;
    return [this.g.scalar(q.scale[0]), this.level(q.zeroPoint[0])];
  }

  /** Int8 level `value` held as uint8 (a zero point, a clamp's end), one scalar for every use of the same value. */
  private level(value: number): string {
    let name = this.levels.get(value);
    if (name === undefined) this.levels.set(value, (name = this.g.uint8s(Uint8Array.of(value + 128), [], 'level')));
    return name;
  }

  private isConstant(i: number): boolean {
    return this.aliases.has(i) || this.tensor(i).data !== undefined;
  }

  private constant(i: number): TfliteTensor {
    const t = this.tensor(this.aliases.get(i) ?? i);
    if (!t.data) throw this.fail(`tensor "${t.name}" should be a constant`);
    return t;
  }

  /** An operand of an elementwise op: an activation, or a constant laid out to broadcast against NCHW ones. */
  private operand(i: number): string {
    if (!this.isConstant(i)) return this.value(i);
    const cached = this.initializers.get(i);
    if (cached !== undefined) return cached;
    const t = this.constant(i);
    const data = constantFloats(t);
    let name: string;
    if (data.length === 1) name = this.g.scalar(data[0]);
    else if (t.shape.length === 1) name = this.g.floats(data, [1, data.length, 1, 1], 'channels');
    else if (t.shape.length === 4) name = this.g.floats(permute(data, t.shape, TO_NCHW), TO_NCHW.map((a) => t.shape[a]), 'nchw');
    else throw this.fail(`constant "${t.name}" of shape [${t.shape}] cannot be broadcast against an image`);
    this.initializers.set(i, name);
    return name;
  }

  private ints(i: number): number[] {
    if (!this.isConstant(i)) throw this.fail(`tensor "${this.tensor(i).name}" should be a constant`);
    return constantInts(this.constant(i));
  }

  private operator(op: TfliteOperator, k: number): void {
    const arity = { CONV_2D: 2, DEPTHWISE_CONV_2D: 2, ADD: 2, SUB: 2, MUL: 2, MEAN: 2, MIRROR_PAD: 2, RESIZE_NEAREST_NEIGHBOR: 2, SQUARED_DIFFERENCE: 2 };
    const needed = arity[op.op as keyof typeof arity] ?? 1;
    if (op.inputs.length < needed || op.inputs.slice(0, needed).some((i) => i < 0) || op.outputs.length !== 1) {
      throw this.fail(`operator ${k} (${op.op}) has ${op.inputs.length} inputs and ${op.outputs.length} outputs`);
    }
    const a = op.inputs[0];
    const out = op.outputs[0];
    if (op.op === 'QUANTIZE' || op.op === 'DEQUANTIZE') {
      // A constant's QUANTIZE or DEQUANTIZE is the constant: weights are read in the form each op takes.
      if (this.isConstant(a)) this.aliases.set(out, this.aliases.get(a) ?? a);
      else if (this.isInteger(out)) this.integers.set(out, this.g.op('QuantizeLinear', [this.value(a), ...this.quantization(out)]));
      else this.values.set(out, this.saturated(out, this.value(a)));
      return;
    }
    const shape = this.tensor(out).shape;
    if (shape.length !== 4) throw this.fail(`operator ${k} (${op.op}) computes a tensor of shape [${shape}], not an NHWC image`);
    const q = this.integerOp(op);
    if (q !== undefined) {
      this.integers.set(out, q);
      return;
    }
    if (this.deferUpsampling(op)) return;
    const { x, activation } = this.compute(op);
    this.values.set(out, this.activation(x, activation, this.saturation(out)));
  }

  /**
   * An activation the file stores as 8-bit integers holds only the reals its quantization can express: TFLite
   * clamps the rest to the ends of that range. Float32 keeps the values between the steps, but must clamp as
   * well, or an image unlike those the model was calibrated on comes out far from what TFLite computes.
   */
  private saturated(i: number, x: string): string {
    return this.activation(x, 'NONE', this.saturation(i));
  }

  /** The reals activation tensor `i` can hold: all of them unless the file stores it as 8-bit integers. */
  private saturation(i: number): Range {
    const t = this.tensor(i);
    const q = t.quantization;
    if (!q || (t.type !== 'INT8' && t.type !== 'UINT8')) return ALL_REALS;
    if (q.scale.length !== 1) throw this.fail(`activation "${t.name}" is quantized per channel`);
    const [lo, hi] = t.type === 'INT8' ? [-128, 127] : [0, 255];
    return [(lo - q.zeroPoint[0]) * q.scale[0], (hi - q.zeroPoint[0]) * q.scale[0]];
  }

  /**
   * An operator whose inputs and output the file stores as int8, computed in int8 as TFLite computes it: the
   * products summed in 32-bit integers and scaled to the output's quantization (QLinearConv, QLinearAdd,
   * QLinearGlobalAveragePool), its fused activation a clamp of the integers. Undefined for anything else, which is
   * computed in float32 from the inputs dequantized. This is both TFLite's arithmetic, rounding included, and
   * onnxruntime's 8-bit kernels (VNNI's dot products where the CPU has them).
   */
  private integerOp(op: TfliteOperator): string | undefined {
    const g = this.g;
    const [a, b] = op.inputs;
    const out = op.outputs[0];
    const activation = 'options' in op && op.options && 'activation' in op.options ? op.options.activation : 'NONE';
    if (activation === 'TANH') return undefined;
    const integers = (...inputs: number[]) => this.isInteger(out) && inputs.every((i) => this.isInteger(i));
    switch (op.op) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const args = integers(a) && this.integerConvArgs(op);
        return args ? this.integerActivation(g.op('QLinearConv', args.inputs, args.attributes), activation, out) : undefined;
      }
      case 'ADD':
        if (!integers(a, b)) return undefined;
        return this.integerActivation(
          g.op('QLinearAdd', [this.integer(a), ...this.quantization(a), this.integer(b), ...this.quantization(b), ...this.quantization(out)], {}, 'QLinearAdd', MICROSOFT),
          activation,
          out,
        );
      case 'MEAN': {
        const axes = this.ints(b).map((axis) => (axis < 0 ? axis + 4 : axis));
        if (!integers(a) || !op.options.keepDims || axes.sort().join() !== '1,2') return undefined;
        return g.op('QLinearGlobalAveragePool', [this.integer(a), ...this.quantization(a), ...this.quantization(out)], { channels_last: 0 }, 'QLinearMean', MICROSOFT);
      }
      default:
        return undefined;
    }
  }

  /**
   * QLinearConv's inputs and attributes for a convolution of int8 weights with one zero point of 0 (TFLite's int8
   * filters are symmetric) and int32 biases, or undefined where the file's quantization is another.
   */
  private integerConvArgs(op: Extract<TfliteOperator, { op: 'CONV_2D' | 'DEPTHWISE_CONV_2D' }>): { inputs: string[]; attributes: Attributes } | undefined {
    const [x, w, bias] = op.inputs;
    const hasBias = bias !== undefined && bias >= 0;
    if (!this.isConstant(w) || (hasBias && !this.isConstant(bias))) return undefined;
    const weights = this.constant(w);
    const q = weights.quantization;
    const depthwise = op.op === 'DEPTHWISE_CONV_2D';
    if (weights.type !== 'INT8' || !q || q.zeroPoint.some((z) => z !== 0)) return undefined;
    if (q.scale.length > 1 && q.axis !== (depthwise ? 3 : 0)) return undefined;
    if (hasBias && this.constant(bias).type !== 'INT32') return undefined;
    const { kernel, dims, group } = this.convKernel(op, constantInt8s(weights));
    const outChannels = dims[0];
    const scales = q.scale.length > 1 ? Float32Array.from(q.scale) : Float32Array.of(q.scale[0]);
    const shape = q.scale.length > 1 ? [outChannels] : [];
    const inputs = [
      this.integer(x),
      ...this.quantization(x),
      this.g.int8s(kernel, dims, 'weights'),
      this.g.floats(scales, shape, 'weight_scales'),
      this.g.int8s(new Int8Array(scales.length), shape, 'weight_zero_points'),
      ...this.quantization(op.outputs[0]),
    ];
    if (hasBias) {
      const biases = constantInt32s(this.constant(bias));
      if (biases.length !== outChannels) throw this.fail(`${op.op} of ${outChannels} channels with ${biases.length} biases`);
      inputs.push(this.g.int32s(biases, [outChannels], 'bias'));
    }
    return { inputs, attributes: this.convAttributes(op, dims, group) };
  }

  /**
   * A fused activation on int8 output `i`: TFLite clamps the integers to the activation's range quantized (its
   * ends rounded to the nearest level) and to [-128, 127]. Nothing where that is the whole int8 range, as for a
   * RELU6 whose output's scale is 6/255 and zero point -128.
   */
  private integerActivation(x: string, a: Exclude<Activation, 'TANH'>, i: number): string {
    const q = this.tensor(i).quantization!;
    const level = (real: number) => Math.round(real / q.scale[0]) + q.zeroPoint[0];
    const [lo, hi] = ACTIVATION_RANGE[a];
    const min = lo === -Infinity ? -128 : Math.max(-128, level(lo));
    const max = hi === Infinity ? 127 : Math.min(127, level(hi));
    if (min === -128 && max === 127) return x;
    return this.g.op('Clip', [x, this.level(min), this.level(max)], {}, `${a}_int8`);
  }

  /** The operator's value before its fused activation, and that activation. */
  private compute(op: TfliteOperator): { x: string; activation: Activation } {
    const g = this.g;
    const [a, b] = op.inputs;
    switch (op.op) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D':
        return { x: this.conv(op), activation: op.options.activation };
      case 'ADD':
        return { x: g.op('Add', [this.operand(a), this.operand(b)]), activation: op.options.activation };
      case 'SUB':
        return { x: g.op('Sub', [this.operand(a), this.operand(b)]), activation: op.options.activation };
      case 'MUL':
        return { x: g.op('Mul', [this.operand(a), this.operand(b)]), activation: op.options.activation };
      case 'RELU':
      case 'RELU6':
        return { x: this.value(a), activation: op.op };
      default:
        return { x: this.computeOther(op), activation: 'NONE' };
    }
  }

  /** An operator without a fused activation. */
  private computeOther(op: TfliteOperator): string {
    const g = this.g;
    const [a, b] = op.inputs;
    switch (op.op) {
      case 'SQUARED_DIFFERENCE': {
        const d = g.op('Sub', [this.operand(a), this.operand(b)]);
        return g.op('Mul', [d, d], {}, 'Square');
      }
      case 'RSQRT':
        return g.op('Reciprocal', [g.op('Sqrt', [this.value(a)])]);
      case 'LOGISTIC':
        return g.op('Sigmoid', [this.value(a)]);
      case 'MEAN': {
        if (!op.options.keepDims) throw this.fail('MEAN without keep_dims would leave the NHWC layout');
        const axes = this.ints(b).map((axis) => NCHW_AXIS_OF_NHWC[axis < 0 ? axis + 4 : axis]);
        if (axes.some((axis) => axis === undefined)) throw this.fail(`MEAN over axes [${this.ints(b)}] of an image`);
        return g.op('ReduceMean', [this.value(a)], { axes, keepdims: 1 });
      }
      case 'MIRROR_PAD': {
        if (op.options.mode !== 'REFLECT') throw this.fail('MIRROR_PAD in SYMMETRIC mode has no ONNX counterpart');
        const p = this.ints(b); // [4, 2]: before and after, per NHWC axis
        if (p.length !== 8 || p.some((n) => n < 0)) throw this.fail(`MIRROR_PAD paddings [${p}]`);
        const pads = [...TO_NCHW.map((axis) => p[2 * axis]), ...TO_NCHW.map((axis) => p[2 * axis + 1])];
        return g.op('Pad', [this.value(a), g.ints(pads, 'pads')], { mode: 'reflect' });
      }
      case 'RESIZE_NEAREST_NEIGHBOR':
        return this.resizeNearest(a, b, op.options);
      default:
        throw new Error(`${op.op} is handled before`);
    }
  }

  private conv(op: Extract<TfliteOperator, { op: 'CONV_2D' | 'DEPTHWISE_CONV_2D' }>): string {
    const [x, w, bias] = op.inputs;
    if (!this.isConstant(w) || (bias !== undefined && bias >= 0 && !this.isConstant(bias))) {
      throw this.fail(`${op.op} with weights computed at run time`);
    }
    const { kernel, dims, group } = this.convKernel(op, constantFloats(this.constant(w)));
    const outChannels = dims[0];
    let biases: Float32Array | undefined;
    if (bias !== undefined && bias >= 0) {
      biases = constantFloats(this.constant(bias));
      if (biases.length !== outChannels) throw this.fail(`${op.op} of ${outChannels} channels with ${biases.length} biases`);
    }
    const attributes = this.convAttributes(op, dims, group);
    if (op.op === 'CONV_2D' && worthHalfGrid(dims, attributes)) return this.convOnHalfGrid(this.value(x), kernel, dims, biases);
    const upsampled = this.upsampled.get(x);
    if (op.op === 'CONV_2D' && upsampled?.padded && worthUpsampledConv(dims, attributes)) return this.upsampledConv(this.value(upsampled.low), kernel, dims, biases);
    const inputs = [this.value(x), this.g.floats(kernel, dims, 'weights')];
    if (biases) inputs.push(this.g.floats(biases, [outChannels], 'bias'));
    return this.g.op('Conv', inputs, attributes);
  }

  /** The convolution's filters `data` (stored as the file has them, float or int8) in ONNX's layout, with its dims and groups. */
  private convKernel<T extends Float32Array | Int8Array>(op: Extract<TfliteOperator, { op: 'CONV_2D' | 'DEPTHWISE_CONV_2D' }>, data: T): { kernel: T; dims: number[]; group: number } {
    const [x, w] = op.inputs;
    const { shape } = this.constant(w);
    const [d0, kh, kw, d3] = shape;
    const inChannels = this.tensor(x).shape[3];
    if (op.op === 'CONV_2D') {
      // TFLite's filters are [out, kh, kw, in]; ONNX's [out, in, kh, kw].
      if (d3 !== inChannels) throw this.fail(`CONV_2D of ${inChannels} channels with filters [${shape}]`);
      return { kernel: permute(data, shape, TO_NCHW), dims: [d0, d3, kh, kw], group: 1 };
    }
    // Depthwise filters are [1, kh, kw, in * multiplier]; output channel c * multiplier + m reads input channel c,
    // which is the order of ONNX's grouped Conv with one group per input channel and weights [in * m, 1, kh, kw].
    if (d0 !== 1 || d3 % inChannels !== 0) throw this.fail(`DEPTHWISE_CONV_2D of ${inChannels} channels with filters [${shape}]`);
    return { kernel: permute(data, shape, [3, 0, 1, 2]), dims: [d3, 1, kh, kw], group: inChannels };
  }

  private convAttributes(op: Extract<TfliteOperator, { op: 'CONV_2D' | 'DEPTHWISE_CONV_2D' }>, dims: readonly number[], group: number): Attributes & { strides: number[]; dilations: number[]; group: number } {
    const o: ConvOptions = op.options;
    const [, , kh, kw] = dims;
    return {
      kernel_shape: [kh, kw],
      strides: [o.strideH, o.strideW],
      dilations: [o.dilationH, o.dilationW],
      group,
      ...this.convPadding(o, kh, kw),
    };
  }

  /**
   * A VALID stride-1 convolution `[x, kernel, bias?]` computed on the image folded into 2x2 blocks: SpaceToDepth
   * makes each block of the (even-sided) input one pixel of 4x the channels, a convolution of 4x the output
   * channels and a kernel of about half the side computes each block of the output at once, and DepthToSpace
   * unfolds it. The sums are those of the direct convolution, term for term. It pays for a kernel of few output
   * channels (the transformer's last, 3 of them, 9x9): onnxruntime computes output channels in vector-wide blocks
   * (8 or 16 floats), so that 3 channels cost what 16 do, while 12 fill most of a block on a quarter of the pixels.
   * Only full-resolution inputs reach it, which have even sides: the transformer's sides are a multiple of 4.
   */
  private convOnHalfGrid(x: string, kernel: Float32Array, dims: readonly number[], biases: Float32Array | undefined): string {
    const g = this.g;
    const folded = g.op('SpaceToDepth', [x], { blocksize: 2 });
    const halfGrid = halfGridKernel(kernel, dims);
    const inputs = [folded, g.floats(halfGrid.data, halfGrid.dims, 'weights')];
    if (biases) inputs.push(g.floats(tile(biases, 4), [halfGrid.dims[0]], 'bias'));
    const conv = g.op('Conv', inputs, { kernel_shape: halfGrid.dims.slice(2), pads: [0, 0, 0, 0] }, 'Conv_2x2');
    return g.op('DepthToSpace', [conv], { blocksize: 2, mode: 'DCR' });
  }

  /**
   * A nearest-neighbour doubling (RESIZE_NEAREST_NEIGHBOR by 2, not aligning corners) and a one-pixel REFLECT
   * MIRROR_PAD of it are not computed when met: a 3x3 convolution after them is computed from the small image
   * (upsampledConv), and any other consumer computes them as they are. Returns whether `op` was deferred.
   */
  private deferUpsampling(op: TfliteOperator): boolean {
    const [a, b] = op.inputs;
    const out = op.outputs[0];
    if (this.saturation(out) !== ALL_REALS) return false;
    if (op.op === 'RESIZE_NEAREST_NEIGHBOR' && !op.options.alignCorners && this.isConstant(b)) {
      const [outH, outW] = this.ints(b);
      const [, inH, inW] = this.tensor(a).shape;
      if (outH !== 2 * inH || outW !== 2 * inW) return false;
      this.upsampled.set(out, { low: a, padded: false });
    } else if (op.op === 'MIRROR_PAD' && op.options.mode === 'REFLECT' && this.upsampled.get(a)?.padded === false && this.isConstant(b)) {
      if (this.ints(b).join() !== [0, 0, 1, 1, 1, 1, 0, 0].join()) return false;
      this.upsampled.set(out, { low: this.upsampled.get(a)!.low, padded: true });
    } else {
      return false;
    }
    this.deferred.set(out, () => this.computeOther(op));
    return true;
  }

  /**
   * A VALID 3x3 stride-1 convolution of `low` doubled by nearest neighbour and mirrored out by a pixel (REFLECT),
   * computed from `low` itself: each 2x2 block of the output reads the same 3x3 pixels of `low` (mirrored out by
   * repeating its edge, which is what REFLECT of the doubled image reads there), through one kernel per position
   * in the block (upsampledConvKernel), and DepthToSpace puts the four side by side. Neither the doubled image nor
   * its padding is made, and the convolution has 4x the output channels on a quarter of the pixels, which fills
   * onnxruntime's vector-wide blocks of output channels when the direct one has fewer channels than a block.
   */
  private upsampledConv(low: string, kernel: Float32Array, dims: readonly number[], biases: Float32Array | undefined): string {
    const g = this.g;
    const padded = g.op('Pad', [low, g.ints([0, 0, 1, 1, 0, 0, 1, 1], 'pads')], { mode: 'edge' });
    const k = upsampledConvKernel(kernel, dims);
    const inputs = [padded, g.floats(k.data, k.dims, 'weights')];
    if (biases) inputs.push(g.floats(tile(biases, 4), [k.dims[0]], 'bias'));
    const conv = g.op('Conv', inputs, { kernel_shape: [3, 3], pads: [0, 0, 0, 0] }, 'Conv_upsampled');
    return g.op('DepthToSpace', [conv], { blocksize: 2, mode: 'DCR' });
  }

  /**
   * TF's SAME pads (out - 1) * stride + (k - 1) * dilation + 1 - in pixels in all, the odd one at the bottom and
   * right. At stride 1 that is (k - 1) * dilation whatever the size, so it is given as is; at larger strides it
   * depends on the size, which ONNX's SAME_UPPER works out the same way (onnxruntime takes it without dilation
   * only, as TF itself does at strides over 1).
   */
  private convPadding(o: ConvOptions, kh: number, kw: number): { pads: number[] } | { auto_pad: string } {
    if (o.padding === 'VALID') return { pads: [0, 0, 0, 0] };
    if (o.strideH === 1 && o.strideW === 1) {
      const [h, w] = [(kh - 1) * o.dilationH, (kw - 1) * o.dilationW];
      return { pads: [Math.floor(h / 2), Math.floor(w / 2), h - Math.floor(h / 2), w - Math.floor(w / 2)] };
    }
    if (o.dilationH !== 1 || o.dilationW !== 1) throw this.fail('a convolution both strided and dilated');
    return { auto_pad: 'SAME_UPPER' };
  }

  /**
   * The file fixes the output size; kept as the factor over the input size it was made for, the resize follows any
   * input size. Only whole factors are taken: for them out = factor * in exactly at every size, as TFLite would
   * have it (a fractional factor in float32 can lose a pixel). TFLite's source pixel is floor(x * in / out) by
   * default and round(x * (in - 1) / (out - 1)) with aligned corners: ONNX's asymmetric and align_corners
   * transforms with the rounding given. With half-pixel centres it is floor((x + 0.5) * in / out), which for a
   * whole factor is the default's pixel again.
   */
  private resizeNearest(x: number, size: number, o: { alignCorners: boolean; halfPixelCenters: boolean }): string {
    if (o.alignCorners && o.halfPixelCenters) throw this.fail('RESIZE_NEAREST_NEIGHBOR with both aligned corners and half-pixel centres');
    const [outH, outW] = this.ints(size);
    const [, inH, inW] = this.tensor(x).shape;
    if (!(outH >= inH && outW >= inW && outH % inH === 0 && outW % inW === 0)) {
      throw this.fail(`RESIZE_NEAREST_NEIGHBOR from ${inH}x${inW} to ${outH}x${outW} is not by a whole factor`);
    }
    // By a factor of 1 (the transformer's last resize is one) every mode picks each pixel itself: no op at all.
    if (outH === inH && outW === inW) return this.value(x);
    const scales = Float32Array.of(1, 1, outH / inH, outW / inW);
    const [transform, rounding] = o.alignCorners ? ['align_corners', 'round_prefer_ceil'] : ['asymmetric', 'floor'];
    return this.g.op('Resize', [this.value(x), '', this.g.floats(scales, [4], 'scales')], {
      mode: 'nearest',
      coordinate_transformation_mode: transform,
      nearest_mode: rounding,
    });
  }

  /**
   * Activation `a` of `x`, its result then kept within `range` (the tensor's saturation). A clamp after a clamp is
   * one clamp to where both ranges meet, so that a quantized net's RELU6 and saturation are one Clip, which
   * onnxruntime fuses into the convolution before it.
   */
  private activation(x: string, a: Activation, range: Range = ALL_REALS): string {
    const g = this.g;
    if (a === 'TANH') return this.activation(g.op('Tanh', [x]), 'NONE', range);
    const [lo, hi] = ACTIVATION_RANGE[a];
    const [min, max] = [Math.max(lo, range[0]), Math.min(hi, range[1])];
    if (min > max) throw this.fail(`an activation ${a} into a tensor that holds [${range}] only`);
    if (min === -Infinity && max === Infinity) return x;
    if (min === 0 && max === Infinity) return g.op('Relu', [x]);
    const hint = a === 'NONE' ? 'Saturate' : a === 'RELU' ? 'Relu' : a === 'RELU6' ? 'Relu6' : 'Relu1';
    return g.op('Clip', [x, min === -Infinity ? '' : g.scalar(min), max === Infinity ? '' : g.scalar(max)], {}, hint);
  }
}

/** An interval of the reals, ends included. */
type Range = readonly [number, number];
const ALL_REALS: Range = [-Infinity, Infinity];
const ACTIVATION_RANGE: Record<Exclude<Activation, 'TANH'>, Range> = {
  NONE: ALL_REALS,
  RELU: [0, Infinity],
  RELU6: [0, 6],
  RELU_N1_TO_1: [-1, 1],
};

/** A convolution worth computing on 2x2 blocks (see convOnHalfGrid): under 4 outputs, an odd kernel of 5 or more, VALID, stride 1. */
function worthHalfGrid(dims: readonly number[], a: { strides: number[]; dilations: number[]; group: number; pads?: number[] }): boolean {
  const [out, , kh, kw] = dims;
  const plain = [...a.strides, ...a.dilations, a.group].every((n) => n === 1) && a.pads !== undefined && a.pads.every((n) => n === 0);
  return plain && out < 4 && kh >= 5 && kw >= 5 && kh % 2 === 1 && kw % 2 === 1;
}

/**
 * A 3x3 convolution worth computing from the image before its doubling (see upsampledConv): VALID, stride 1, and
 * fewer output channels than onnxruntime's widest block (16 floats), which the direct one would compute in full.
 */
function worthUpsampledConv(dims: readonly number[], a: { strides: number[]; dilations: number[]; group: number; pads?: number[] }): boolean {
  const [out, , kh, kw] = dims;
  const plain = [...a.strides, ...a.dilations, a.group].every((n) => n === 1) && a.pads !== undefined && a.pads.every((n) => n === 0);
  return plain && kh === 3 && kw === 3 && out < 16;
}

/**
 * The taps of a 3x3 kernel, along one axis, that read pixel Y - 1, Y and Y + 1 of an image before its doubling, for
 * output pixel 2Y + r of the doubled image mirrored out by one: output 2Y reads doubled pixels 2Y - 1, 2Y, 2Y + 1,
 * which are Y - 1, Y, Y; output 2Y + 1 reads 2Y, 2Y + 1, 2Y + 2, which are Y, Y, Y + 1.
 */
const TAPS_BY_PHASE = [
  [[0], [1, 2], []],
  [[], [0, 1], [2]],
] as const;

/**
 * The kernel of upsampledConv for `kernel` of `dims` [out, in, 3, 3]: [4 out, in, 3, 3], output channel
 * (ry * 2 + rx) * out + o (DepthToSpace's DCR order) computing output pixel (2Y + ry, 2X + rx) from the image before
 * its doubling.
 */
export function upsampledConvKernel(kernel: Float32Array, dims: readonly number[]): { data: Float32Array; dims: number[] } {
  const [out, inn] = dims;
  const data = new Float32Array(4 * out * inn * 9);
  for (let ry = 0; ry < 2; ry++) for (let rx = 0; rx < 2; rx++) for (let o = 0; o < out; o++) for (let i = 0; i < inn; i++) {
    const base = (((ry * 2 + rx) * out + o) * inn + i) * 9;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      let sum = 0;
      for (const ky of TAPS_BY_PHASE[ry][a]) for (const kx of TAPS_BY_PHASE[rx][b]) sum += kernel[((o * inn + i) * 3 + ky) * 3 + kx];
      data[base + a * 3 + b] = sum;
    }
  }
  return { data, dims: [4 * out, inn, 3, 3] };
}

/**
 * The kernel that computes `kernel` (of `dims` [out, in, kh, kw], odd sides) on 2x2 blocks: [4 out, 4 in, kh / 2 + 1,
 * kw / 2 + 1] (halves rounded down), output channel (ry * 2 + rx) * out + o and input channel (by * 2 + bx) * in + i,
 * the orders of DepthToSpace's DCR mode and of SpaceToDepth. Output pixel 2Y + ry reads input pixel 2Y + ry + ky,
 * which is pixel `by` of block Y + KY when ky = 2 KY + by - ry.
 */
export function halfGridKernel(kernel: Float32Array, dims: readonly number[]): { data: Float32Array; dims: number[] } {
  const [out, inn, kh, kw] = dims;
  const [KH, KW] = [Math.floor(kh / 2) + 1, Math.floor(kw / 2) + 1];
  const data = new Float32Array(16 * out * inn * KH * KW);
  for (let ry = 0; ry < 2; ry++) for (let rx = 0; rx < 2; rx++) for (let o = 0; o < out; o++) {
    const oo = (ry * 2 + rx) * out + o;
    for (let by = 0; by < 2; by++) for (let bx = 0; bx < 2; bx++) for (let i = 0; i < inn; i++) {
      const ii = (by * 2 + bx) * inn + i;
      for (let KY = 0; KY < KH; KY++) for (let KX = 0; KX < KW; KX++) {
        const [ky, kx] = [2 * KY + by - ry, 2 * KX + bx - rx];
        if (ky < 0 || ky >= kh || kx < 0 || kx >= kw) continue;
        data[((oo * 4 * inn + ii) * KH + KY) * KW + KX] = kernel[((o * inn + i) * kh + ky) * kw + kx];
      }
    }
  }
  return { data, dims: [4 * out, 4 * inn, KH, KW] };
}

/** `values` repeated `times` times. */
function tile(values: Float32Array, times: number): Float32Array {
  const out = new Float32Array(values.length * times);
  for (let t = 0; t < times; t++) out.set(values, t * values.length);
  return out;
}

/** The NHWC dims of a graph input or output: height and width free where the file has more than one pixel. */
function freeSpatial(port: NetPort): Dim[] {
  const [n, h, w, c] = port.shape;
  return [n, h > 1 ? `${port.name}_height` : h, w > 1 ? `${port.name}_width` : w, c];
}

/** `data` of row-major `shape` with its axes reordered: axis i of the result is axis perm[i] of the input. */
export function permute<T extends Float32Array | Int8Array>(data: T, shape: readonly number[], perm: readonly number[]): T {
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const outShape = perm.map((p) => shape[p]);
  const step = perm.map((p) => strides[p]);
  const out = (data instanceof Int8Array ? new Int8Array(data.length) : new Float32Array(data.length)) as T;
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src];
    for (let d = rank - 1; d >= 0; d--) {
      src += step[d];
      if (++index[d] < outShape[d]) break;
      src -= step[d] * outShape[d];
      index[d] = 0;
    }
  }
  return out;
}
