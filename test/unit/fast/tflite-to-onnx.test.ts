import * as assert from 'node:assert/strict';
import { UserError } from '../../../src/common/errors';
import type * as Ort from 'onnxruntime-node';
import { permute, tfliteToOnnx, tfliteToOnnxParts } from '../../../src/engine/fast/tflite-to-onnx';
import { readTfliteModel } from '../../../src/engine/fast/tflite-model';
import { createSession, loadOnnxRuntime } from '../../../src/engine/onnx/session';
import { seededRandom } from '../../../src/engine/random';
import { ACT, buildTflite, float32Bytes, int32Bytes, OP, options, TYPE, type OperatorSpec, type TensorSpec } from './tflite-builder';

interface Value {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** A tiny TFLite graph built op by op; `run` converts it to ONNX and runs it in onnxruntime. */
class Net {
  private readonly tensors: TensorSpec[] = [];
  private readonly operators: OperatorSpec[] = [];
  private readonly inputs: number[] = [];

  input(shape: number[]): number {
    this.inputs.push(this.tensor({ shape, type: TYPE.FLOAT32 }));
    return this.inputs[this.inputs.length - 1];
  }

  floats(shape: number[], values: readonly number[]): number {
    return this.tensor({ shape, type: TYPE.FLOAT32, data: float32Bytes(values) });
  }

  ints(shape: number[], values: readonly number[]): number {
    return this.tensor({ shape, type: TYPE.INT32, data: int32Bytes(values) });
  }

  tensor(spec: TensorSpec): number {
    this.tensors.push(spec);
    return this.tensors.length - 1;
  }

  op(code: number, inputs: number[], shape: number[], opts?: OperatorSpec['options'], out: Partial<TensorSpec> = {}): number {
    const output = this.tensor({ shape, type: TYPE.FLOAT32, ...out });
    this.operators.push({ code, inputs, outputs: [output], options: opts });
    return output;
  }

  /** The output, the graph converted whole or (`late` given) split where input tensors `late` enter, its two parts run in turn. */
  async run(output: number, feeds: readonly Value[], late?: readonly number[]): Promise<Value> {
    const bytes = buildTflite({ tensors: this.tensors, operators: this.operators, inputs: this.inputs, outputs: [output] });
    const model = readTfliteModel(bytes, 'net.tflite');
    const nets = late ? tfliteToOnnxParts(model, 'net.tflite', late) : [tfliteToOnnx(model, 'net.tflite')];
    const ort = await loadOnnxRuntime();
    const byName = new Map(nets.flatMap((n) => n.inputs).filter((p) => !p.name.startsWith('features_')).map((p, i) => [p.name, feeds[i]]));
    let values: Record<string, Ort.Tensor> = {};
    for (const net of nets) {
      const session = await createSession(ort, net.model, 1);
      try {
        const own = net.inputs.filter((p) => byName.has(p.name)).map((p) => [p.name, new ort.Tensor('float32', byName.get(p.name)!.data, byName.get(p.name)!.shape)]);
        values = await session.run({ ...values, ...Object.fromEntries(own) });
      } finally {
        await session.release();
      }
    }
    const t = values[nets[nets.length - 1].outputs[0].name];
    return { data: t.data as Float32Array, shape: t.dims };
  }
}

function random(shape: readonly number[], seed: number, lo = -1, hi = 1): Value {
  const r = seededRandom(seed);
  return { data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * r()), shape };
}

/** NHWC element (n = 0). */
function at(v: Value, y: number, x: number, c: number): number {
  const [, , w, ch] = v.shape;
  return v.data[(y * w + x) * ch + c];
}

/** Each output element from its coordinates, NHWC. */
function nhwc(shape: readonly number[], f: (y: number, x: number, c: number) => number): Value {
  const [, h, w, c] = shape;
  const data = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = f(y, x, k);
  return { data, shape };
}

function assertClose(actual: Value, expected: Value, tolerance = 1e-5): void {
  assert.deepEqual(actual.shape, expected.shape);
  for (let i = 0; i < expected.data.length; i++) {
    assert.ok(Math.abs(actual.data[i] - expected.data[i]) <= tolerance, `element ${i}: ${actual.data[i]} vs ${expected.data[i]}`);
  }
}

/**
 * TF's convolution by its definition, NHWC with [out, kh, kw, in] filters: SAME pads (out - 1) * stride +
 * (k - 1) * dilation + 1 - in in total, the smaller half before.
 */
function conv2d(x: Value, w: Value, bias: readonly number[], stride: number, padding: 'SAME' | 'VALID', dilation = 1): Value {
  const [, h, wd] = x.shape;
  const [o, kh, kw, cin] = w.shape;
  const size = (n: number, k: number) => (padding === 'SAME' ? Math.ceil(n / stride) : Math.floor((n - (k - 1) * dilation - 1) / stride) + 1);
  const [oh, ow] = [size(h, kh), size(wd, kw)];
  const before = (n: number, out: number, k: number) => (padding === 'SAME' ? Math.floor(Math.max((out - 1) * stride + (k - 1) * dilation + 1 - n, 0) / 2) : 0);
  const [top, left] = [before(h, oh, kh), before(wd, ow, kw)];
  return nhwc([1, oh, ow, o], (y, xx, c) => {
    let s = bias[c];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const sy = y * stride + i * dilation - top;
        const sx = xx * stride + j * dilation - left;
        if (sy < 0 || sx < 0 || sy >= h || sx >= wd) continue;
        for (let k = 0; k < cin; k++) s += at(x, sy, sx, k) * w.data[((c * kh + i) * kw + j) * cin + k];
      }
    }
    return s;
  });
}

describe('fast mode: TFLite operators as ONNX', () => {
  it('CONV_2D: VALID with bias and fused RELU', async () => {
    const net = new Net();
    const x = net.input([1, 4, 5, 2]);
    const w = random([3, 2, 3, 2], 2);
    const bias = [0.1, -0.2, 0.3];
    const y = net.op(OP.CONV_2D, [x, net.floats([3, 2, 3, 2], Array.from(w.data)), net.floats([3], bias)], [1, 3, 3, 3], options.conv('VALID', 1, ACT.RELU));
    const input = random([1, 4, 5, 2], 1);
    const expected = conv2d(input, w, bias, 1, 'VALID');
    assertClose(await net.run(y, [input]), { ...expected, data: expected.data.map((v) => Math.max(v, 0)) });
  });

  it('CONV_2D: SAME with stride 2 on odd and even sizes pads like TF (the odd pixel after), RELU6, no bias', async () => {
    const net = new Net();
    const x = net.input([1, 5, 5, 1]);
    const w = random([2, 3, 3, 1], 4, 0, 3);
    const y = net.op(OP.CONV_2D, [x, net.floats([2, 3, 3, 1], Array.from(w.data)), -1], [1, 3, 3, 2], options.conv('SAME', 2, ACT.RELU6));
    for (const [h, wd] of [[5, 5], [6, 7]]) {
      const input = random([1, h, wd, 1], h, 0, 1);
      const expected = conv2d(input, w, [0, 0], 2, 'SAME');
      assertClose(await net.run(y, [input]), { ...expected, data: expected.data.map((v) => Math.min(Math.max(v, 0), 6)) });
    }
  });

  it('CONV_2D: dilated, with the fused RELU_N1_TO_1', async () => {
    const net = new Net();
    const x = net.input([1, 7, 7, 2]);
    const w = random([2, 3, 3, 2], 6);
    const y = net.op(OP.CONV_2D, [x, net.floats([2, 3, 3, 2], Array.from(w.data)), -1], [1, 7, 7, 2], options.conv('SAME', 1, ACT.RELU_N1_TO_1, 2));
    const input = random([1, 7, 7, 2], 5);
    const expected = conv2d(input, w, [0, 0], 1, 'SAME', 2);
    assertClose(await net.run(y, [input]), { ...expected, data: expected.data.map((v) => Math.min(Math.max(v, -1), 1)) });
  });

  it('CONV_2D: a wide kernel of few outputs (computed on 2x2 blocks) gives the direct convolution, biased', async () => {
    const net = new Net();
    const x = net.input([1, 14, 12, 4]);
    const w = random([3, 9, 7, 4], 14);
    const bias = [0.5, -0.25, 2];
    const y = net.op(OP.CONV_2D, [x, net.floats([3, 9, 7, 4], Array.from(w.data)), net.floats([3], bias)], [1, 6, 6, 3], options.conv('VALID', 1, ACT.NONE));
    for (const [h, wd] of [[14, 12], [20, 10]]) {
      const input = random([1, h, wd, 4], h);
      assertClose(await net.run(y, [input]), conv2d(input, w, bias, 1, 'VALID'), 1e-4);
    }
  });

  it('CONV_2D into an 8-bit tensor: its RELU6 and the saturation clamp where both ranges meet', async () => {
    const net = new Net();
    const x = net.input([1, 3, 3, 2]);
    const w = random([2, 1, 1, 2], 15, 1, 4);
    // uint8 with scale 0.02 and zero point 10 holds -0.2 to 4.9: with RELU6, 0 to 4.9
    const y = net.op(OP.CONV_2D, [x, net.floats([2, 1, 1, 2], Array.from(w.data)), -1], [1, 3, 3, 2], options.conv('VALID', 1, ACT.RELU6), {
      type: TYPE.UINT8, quant: { scale: [0.02], zeroPoint: [10] },
    });
    const input = random([1, 3, 3, 2], 16, -5, 5);
    const expected = conv2d(input, w, [0, 0], 1, 'VALID');
    const clamped = expected.data.map((v) => Math.min(Math.max(v, 0), Math.fround(245 * 0.02)));
    assert.ok(clamped.some((v) => v === 0) && clamped.some((v) => v > 4.8), 'both ends are reached');
    assertClose(await net.run(y, [input]), { ...expected, data: clamped });
  });

  it('DEPTHWISE_CONV_2D: output channel c * multiplier + m filters input channel c', async () => {
    const net = new Net();
    const x = net.input([1, 5, 4, 2]);
    const w = random([1, 3, 3, 4], 8); // 2 channels, multiplier 2
    const bias = [1, 2, 3, 4];
    const y = net.op(OP.DEPTHWISE_CONV_2D, [x, net.floats([1, 3, 3, 4], Array.from(w.data)), net.floats([4], bias)], [1, 3, 2, 4], options.depthwise('SAME', 2, 2, ACT.NONE));
    const input = random([1, 5, 4, 2], 7);
    // As a dense conv: output channel o sees only input channel floor(o / 2).
    const dense = new Float32Array(4 * 3 * 3 * 2);
    for (let o = 0; o < 4; o++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) dense[((o * 3 + i) * 3 + j) * 2 + Math.floor(o / 2)] = w.data[(i * 3 + j) * 4 + o];
    assertClose(await net.run(y, [input]), conv2d(input, { data: dense, shape: [4, 3, 3, 2] }, bias, 2, 'SAME'));
  });

  it('ADD, SUB, MUL: image with image, with a per-channel constant, a [1,1,1,C] constant and a scalar', async () => {
    const net = new Net();
    const a = net.input([1, 2, 3, 2]);
    const b = net.input([1, 1, 1, 2]);
    const sum = net.op(OP.ADD, [a, b], [1, 2, 3, 2], options.add(ACT.NONE));
    const scaled = net.op(OP.MUL, [sum, net.floats([2], [2, -3])], [1, 2, 3, 2], options.mul(ACT.NONE));
    const shifted = net.op(OP.SUB, [scaled, net.floats([1, 1, 1, 2], [0.5, -0.5])], [1, 2, 3, 2], options.sub(ACT.NONE));
    const y = net.op(OP.MUL, [net.floats([], [0.25]), shifted], [1, 2, 3, 2], options.mul(ACT.RELU));
    const [ia, ib] = [random([1, 2, 3, 2], 9), random([1, 1, 1, 2], 10)];
    const expected = nhwc([1, 2, 3, 2], (yy, x, c) => Math.max(0, 0.25 * ((at(ia, yy, x, c) + ib.data[c]) * [2, -3][c] - [0.5, -0.5][c])));
    assertClose(await net.run(y, [ia, ib]), expected);
  });

  it('MEAN over height and width, SQUARED_DIFFERENCE and RSQRT: an instance norm', async () => {
    const net = new Net();
    const x = net.input([1, 3, 4, 2]);
    const axes = net.ints([2], [1, 2]);
    const mean = net.op(OP.MEAN, [x, axes], [1, 1, 1, 2], options.reducer(true));
    const sq = net.op(OP.SQUARED_DIFFERENCE, [x, mean], [1, 3, 4, 2]);
    const variance = net.op(OP.MEAN, [sq, axes], [1, 1, 1, 2], options.reducer(true));
    const y = net.op(OP.RSQRT, [variance], [1, 1, 1, 2]);
    const input = random([1, 3, 4, 2], 11);
    const expected = [0, 1].map((c) => {
      const v = Array.from({ length: 12 }, (_, p) => input.data[2 * p + c]);
      const m = v.reduce((s, t) => s + t, 0) / 12;
      return 1 / Math.sqrt(v.reduce((s, t) => s + (t - m) ** 2, 0) / 12);
    });
    assertClose(await net.run(y, [input]), { data: Float32Array.from(expected), shape: [1, 1, 1, 2] }, 1e-4);
    assertClose(await net.run(sq, [input]), nhwc([1, 3, 4, 2], (yy, xx, c) => {
      const m = Array.from({ length: 12 }, (_, p) => input.data[2 * p + c]).reduce((s, t) => s + t, 0) / 12;
      return (at(input, yy, xx, c) - m) ** 2;
    }));
  });

  it('MIRROR_PAD (REFLECT) with different paddings on each side', async () => {
    const net = new Net();
    const x = net.input([1, 3, 4, 1]);
    const y = net.op(OP.MIRROR_PAD, [x, net.ints([4, 2], [0, 0, 1, 2, 2, 1, 0, 0])], [1, 6, 7, 1], options.mirrorPad('REFLECT'));
    const input = nhwc([1, 3, 4, 1], (yy, xx) => 10 * yy + xx);
    const rows = [1, 0, 1, 2, 1, 0];
    const columns = [2, 1, 0, 1, 2, 3, 2];
    assertClose(await net.run(y, [input]), nhwc([1, 6, 7, 1], (yy, xx) => 10 * rows[yy] + columns[xx]));
  });

  it('RESIZE_NEAREST_NEIGHBOR: the size in the file becomes a whole factor, any input size follows', async () => {
    const source = (h: number, w: number) => nhwc([1, h, w, 1], (yy, xx) => 10 * yy + xx);
    // TFLite's source pixel of output pixel o, from in to out pixels (for whole factors, half-pixel centres pick
    // what the default does; aligned corners differ).
    const floor = (o: number, i: number, n: number) => Math.floor((o * i) / n);
    const halfPixel = (o: number, i: number, n: number) => Math.min(Math.floor(((o + 0.5) * i) / n), i - 1);
    const aligned = (o: number, i: number, n: number) => Math.round((o * (i - 1)) / (n - 1));
    for (const [alignCorners, halfPixelCenters, pick] of [[false, false, floor], [false, true, halfPixel], [true, false, aligned]] as const) {
      const net = new Net();
      const x = net.input([1, 2, 3, 1]);
      const y = net.op(OP.RESIZE_NEAREST_NEIGHBOR, [x, net.ints([2], [4, 9])], [1, 4, 9, 1], options.resizeNearest(alignCorners, halfPixelCenters));
      for (const [h, w] of [[2, 3], [3, 5]]) {
        const expected = nhwc([1, 2 * h, 3 * w, 1], (yy, xx) => 10 * pick(yy, h, 2 * h) + pick(xx, w, 3 * w));
        assertClose(await net.run(y, [source(h, w)]), expected);
      }
    }
    const fractional = new Net();
    const f = fractional.op(OP.RESIZE_NEAREST_NEIGHBOR, [fractional.input([1, 2, 3, 1]), fractional.ints([2], [3, 5])], [1, 3, 5, 1], options.resizeNearest(false, false));
    await assert.rejects(fractional.run(f, []), /not by a whole factor/);
  });

  it('RESIZE_NEAREST_NEIGHBOR by 2, MIRROR_PAD by 1 and a 3x3 CONV_2D of few outputs give the direct computation, from the small image', async () => {
    const net = new Net();
    const x = net.input([1, 3, 4, 5]);
    const up = net.op(OP.RESIZE_NEAREST_NEIGHBOR, [x, net.ints([2], [6, 8])], [1, 6, 8, 5], options.resizeNearest(false, false));
    const padded = net.op(OP.MIRROR_PAD, [up, net.ints([4, 2], [0, 0, 1, 1, 1, 1, 0, 0])], [1, 8, 10, 5], options.mirrorPad('REFLECT'));
    const w = random([3, 3, 3, 5], 21);
    const bias = [0.25, -1, 0.5];
    const y = net.op(OP.CONV_2D, [padded, net.floats([3, 3, 3, 5], Array.from(w.data)), net.floats([3], bias)], [1, 6, 8, 3], options.conv('VALID', 1, ACT.NONE));
    // The doubled image used again elsewhere is computed as it is.
    const twice = net.op(OP.ADD, [y, net.op(OP.CONV_2D, [up, net.floats([3, 1, 1, 5], [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]), -1], [1, 6, 8, 3], options.conv('VALID', 1, ACT.NONE))], [1, 6, 8, 3], options.add(ACT.NONE));
    for (const [h, wd] of [[3, 4], [5, 2]]) {
      const input = random([1, h, wd, 5], 20 + h);
      const doubled = nhwc([1, 2 * h, 2 * wd, 5], (yy, xx, c) => at(input, yy >> 1, xx >> 1, c));
      const mirror = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
      const reflected = nhwc([1, 2 * h + 2, 2 * wd + 2, 5], (yy, xx, c) => at(doubled, mirror(yy - 1, 2 * h), mirror(xx - 1, 2 * wd), c));
      const expected = conv2d(reflected, w, bias, 1, 'VALID');
      assertClose(await net.run(y, [input]), expected, 1e-5);
      assertClose(await net.run(twice, [input]), nhwc(expected.shape, (yy, xx, c) => at(expected, yy, xx, c) + at(doubled, yy, xx, c)), 1e-5);
    }
  });

  it('split where an input enters: the two parts give what the whole graph does, whatever the first part passes on', async () => {
    const net = new Net();
    const x = net.input([1, 4, 4, 2]);
    const v = net.input([1, 1, 1, 2]);
    const axes = net.ints([2], [1, 2]);
    // The late input scales an instance norm of the image, as the transformer's style vector does.
    const mean = net.op(OP.MEAN, [x, axes], [1, 1, 1, 2], options.reducer(true));
    const centred = net.op(OP.SUB, [x, mean], [1, 4, 4, 2], options.sub(ACT.NONE));
    const relu = net.op(OP.RELU, [x], [1, 4, 4, 2]);
    const scaled = net.op(OP.MUL, [centred, v], [1, 4, 4, 2], options.mul(ACT.NONE));
    const y = net.op(OP.ADD, [scaled, relu], [1, 4, 4, 2], options.add(ACT.NONE));
    for (const [h, w] of [[4, 4], [3, 6]]) {
      const feeds = [random([1, h, w, 2], 30 + h), random([1, 1, 1, 2], 31)];
      assertClose(await net.run(y, feeds, [v]), await net.run(y, feeds));
    }
    await assert.rejects(net.run(mean, [random([1, 4, 4, 2], 1)], [v]), /an output does not depend on the inputs/);
  });

  it('LOGISTIC, RELU and RELU6', async () => {
    const net = new Net();
    const x = net.input([1, 2, 2, 3]);
    const input = random([1, 2, 2, 3], 12, -8, 8);
    for (const [code, f] of [
      [OP.LOGISTIC, (v: number) => 1 / (1 + Math.exp(-v))],
      [OP.RELU, (v: number) => Math.max(v, 0)],
      [OP.RELU6, (v: number) => Math.min(Math.max(v, 0), 6)],
    ] as const) {
      const y = net.op(code, [x], [1, 2, 2, 3]);
      assertClose(await net.run(y, [input]), { data: input.data.map(f), shape: input.shape }, 1e-6);
    }
  });

  it('QUANTIZE and DEQUANTIZE: constants dequantized in place, activations rounded to their levels within their 8-bit range', async () => {
    const net = new Net();
    const x = net.input([1, 1, 4, 1]);
    // int8 with scale 0.5 and zero point 10 holds (-128 - 10) * 0.5 = -69 to (127 - 10) * 0.5 = 58.5
    const q = net.op(OP.QUANTIZE, [x], [1, 1, 4, 1], undefined, { type: TYPE.INT8, quant: { scale: [0.5], zeroPoint: [10] } });
    const dq = net.op(OP.DEQUANTIZE, [q], [1, 1, 4, 1]);
    const half = net.tensor({ shape: [1], type: TYPE.FLOAT16, data: new Uint8Array(Uint16Array.of(0x4200).buffer) }); // 3.0
    const three = net.op(OP.DEQUANTIZE, [half], [1]);
    const y = net.op(OP.ADD, [dq, three], [1, 1, 4, 1], options.add(ACT.NONE));
    // -1.3 is 2.6 levels below 0 and 7.3 is 14.6 above: the nearest levels are -1.5 and 7.5.
    const input = { data: Float32Array.of(-100, -1.3, 7.3, 80), shape: [1, 1, 4, 1] };
    assertClose(await net.run(y, [input]), { data: Float32Array.of(-66, 1.5, 10.5, 61.5), shape: [1, 1, 4, 1] });
  });

  it('int8 CONV_2D, DEPTHWISE_CONV_2D, ADD and MEAN are computed in integers: each output on a level, the nearest to the exact result', async () => {
    const net = new Net();
    const x = net.input([1, 5, 6, 2]);
    const int8 = (scale: number, zeroPoint: number) => ({ type: TYPE.INT8, quant: { scale: [scale], zeroPoint: [zeroPoint] } });
    const levels = { in: [0.05, -3], conv: [0.04, 5], depthwise: [0.03, -7], sum: [0.07, -10] } as const;
    const q = net.op(OP.QUANTIZE, [x], [1, 5, 6, 2], undefined, int8(...levels.in));
    // Filters [3, 3, 3, 2] of int8 with a scale per output channel; int32 biases in the input's scale times the filter's.
    const r = seededRandom(31);
    const filters = Array.from({ length: 54 }, () => Math.round(-127 + 254 * r()));
    const filterScales = [0.01, 0.02, 0.015];
    const biases = [100, -50, 0];
    const w = net.tensor({ shape: [3, 3, 3, 2], type: TYPE.INT8, data: Uint8Array.from(filters, (v) => v & 0xff), quant: { scale: filterScales, zeroPoint: [0, 0, 0], axis: 0 } });
    const b = net.tensor({ shape: [3], type: TYPE.INT32, data: int32Bytes(biases), quant: { scale: filterScales.map((f) => f * levels.in[0]), zeroPoint: [0, 0, 0] } });
    // RELU6 into scale 0.04, zero point 5: the levels from 5 (0.0) up; 6.0 would be 155, past 127.
    const conv = net.op(OP.CONV_2D, [q, w, b], [1, 5, 6, 3], options.conv('SAME', 1, ACT.RELU6), int8(...levels.conv));
    const dwFilters = Array.from({ length: 27 }, () => Math.round(-127 + 254 * r()));
    const dw = net.tensor({ shape: [1, 3, 3, 3], type: TYPE.INT8, data: Uint8Array.from(dwFilters, (v) => v & 0xff), quant: { scale: [0.02], zeroPoint: [0] } });
    const depthwise = net.op(OP.DEPTHWISE_CONV_2D, [conv, dw, -1], [1, 3, 3, 3], options.depthwise('SAME', 2, 1, ACT.NONE), int8(...levels.depthwise));
    const sum = net.op(OP.ADD, [depthwise, depthwise], [1, 3, 3, 3], options.add(ACT.NONE), int8(...levels.sum));
    const mean = net.op(OP.MEAN, [sum, net.ints([2], [1, 2])], [1, 1, 1, 3], options.reducer(true), int8(...levels.sum));
    const input = random([1, 5, 6, 2], 32, -3, 3);

    // The exact result of each layer from the integers of the layer before, rounded to the nearest level and clamped.
    const level = (real: number, [scale, zero]: readonly number[], lo = -128) => Math.min(127, Math.max(lo, Math.round(real / scale) + zero));
    const real = (v: Value, [scale, zero]: readonly number[]): Value => ({ ...v, data: v.data.map((l) => (l - zero) * scale) });
    const ints = (v: Value, f: (y: number, x: number, c: number) => number): Value => nhwc(v.shape, f);
    const qIn = ints(input, (y, xx, c) => level(at(input, y, xx, c), levels.in));
    const realIn = real(qIn, levels.in);
    const dense = { data: Float32Array.from(filters, (f, i) => f * filterScales[Math.floor(i / 18)]), shape: [3, 3, 3, 2] };
    const convReal = conv2d(realIn, dense, biases.map((v, c) => v * filterScales[c] * levels.in[0]), 1, 'SAME');
    const qConv = ints(convReal, (y, xx, c) => level(at(convReal, y, xx, c), levels.conv, levels.conv[1]));
    const dwDense = new Float32Array(3 * 3 * 3 * 3);
    for (let o = 0; o < 3; o++) for (let i = 0; i < 9; i++) dwDense[(o * 9 + i) * 3 + o] = dwFilters[i * 3 + o] * 0.02;
    const dwReal = conv2d(real(qConv, levels.conv), { data: dwDense, shape: [3, 3, 3, 3] }, [0, 0, 0], 2, 'SAME');
    const qDw = ints(dwReal, (y, xx, c) => level(at(dwReal, y, xx, c), levels.depthwise));
    const qSum = ints(qDw, (y, xx, c) => level(2 * (at(qDw, y, xx, c) - levels.depthwise[1]) * levels.depthwise[0], levels.sum));
    const sumReal = real(qSum, levels.sum);
    const qMean = nhwc([1, 1, 1, 3], (_y, _x, c) => level([0, 1, 2].reduce((a, y) => a + [0, 1, 2].reduce((s, xx) => s + at(sumReal, y, xx, c), 0), 0) / 9, levels.sum));

    for (const [tensor, expected, scaleZero] of [[conv, qConv, levels.conv], [depthwise, qDw, levels.depthwise], [sum, qSum, levels.sum], [mean, qMean, levels.sum]] as const) {
      const ours = await net.run(tensor, [input]);
      const [scale, zero] = scaleZero;
      const got = ours.data.map((v) => v / scale + zero);
      got.forEach((l, i) => assert.ok(Math.abs(l - Math.round(l)) < 1e-3, `element ${i} (${l}) is on a level`));
      const off = got.map((l, i) => Math.abs(Math.round(l) - expected.data[i]));
      assert.ok(Math.max(...off) <= 1 && off.filter((d) => d > 0).length <= off.length / 20, `levels off: [${Array.from(off)}]`);
    }
    assert.ok(qConv.data.some((l) => l === levels.conv[1]) && qConv.data.some((l) => l > 60), 'the conv reaches its RELU\'s clamp and well above it');
  });

  it('refuses what it does not convert, naming the file', async () => {
    const net = new Net();
    const x = net.input([1, 3, 3, 1]);
    const symmetric = net.op(OP.MIRROR_PAD, [x, net.ints([4, 2], [0, 0, 1, 1, 1, 1, 0, 0])], [1, 5, 5, 1], options.mirrorPad('SYMMETRIC'));
    await assert.rejects(net.run(symmetric, []), (e: unknown) => e instanceof UserError && /net\.tflite.*SYMMETRIC/.test(e.message));
    const reduced = new Net();
    const r = reduced.op(OP.MEAN, [reduced.input([1, 3, 3, 1]), reduced.ints([2], [1, 2])], [1, 1], options.reducer(false));
    await assert.rejects(reduced.run(r, []), (e: unknown) => e instanceof UserError && /net\.tflite/.test(e.message));
  });

  it('permutes axes as asked', () => {
    // [2, 3] -> [3, 2]: a transpose
    assert.deepEqual(Array.from(permute(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], [1, 0])), [1, 4, 2, 5, 3, 6]);
    // NHWC [1, 1, 2, 3] -> NCHW [1, 3, 1, 2]
    assert.deepEqual(Array.from(permute(Float32Array.of(1, 2, 3, 4, 5, 6), [1, 1, 2, 3], [0, 3, 1, 2])), [1, 4, 2, 5, 3, 6]);
  });
});
