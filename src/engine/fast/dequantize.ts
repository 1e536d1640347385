import type { TfliteTensor } from './tflite-model';

/**
 * IEEE 754 binary16 to a number: sign, 5 exponent bits (bias 15), 10 fraction bits. Exponent 0 holds zero and the
 * subnormals (fraction * 2^-24), exponent 31 the infinities and NaN.
 */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** The integers of an INT32 or INT64 constant that is not quantized (axes, paddings, sizes). */
export function constantInts(t: TfliteTensor): number[] {
  const data = contents(t);
  if (t.quantization || (t.type !== 'INT32' && t.type !== 'INT64')) {
    throw new Error(`tensor "${t.name}" (${t.type}${t.quantization ? ', quantized' : ''}) is not a list of integers`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return t.type === 'INT32'
    ? Array.from({ length: data.length / 4 }, (_, i) => view.getInt32(4 * i, true))
    : Array.from({ length: data.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
}

/**
 * A constant as float32: float16 widened exactly, and integers (int8 and uint8 weights, int32 biases) mapped back
 * to real numbers by their quantization, real = scale * (q - zero point), with one scale for the tensor or one
 * per index along its quantization axis. Fast mode runs every layer in float32 on these: the nets' quantized
 * activations are thus computed unrounded (see docs/fast-mode.md for what that changes).
 */
export function constantFloats(t: TfliteTensor): Float32Array {
  const data = contents(t);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = t.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count);
  switch (t.type) {
    case 'FLOAT32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    case 'FLOAT16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    case 'INT8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      return dequantize(out, t);
    case 'UINT8':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      return dequantize(out, t);
    case 'INT32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      return dequantize(out, t);
    case 'INT64':
      throw new Error(`tensor "${t.name}" is INT64, which has no float32 meaning here`);
  }
}

function contents(t: TfliteTensor): Uint8Array {
  if (!t.data) throw new Error(`tensor "${t.name}" is not a constant`);
  return t.data;
}

/** Maps the quantized values in `q` (in place) to reals; the arithmetic is done in doubles, then rounded once. */
function dequantize(q: Float32Array, t: TfliteTensor): Float32Array {
  const quant = t.quantization;
  if (!quant) throw new Error(`tensor "${t.name}" is ${t.type} but carries no quantization`);
  const { scale, zeroPoint, axis } = quant;
  if (scale.length === 1) {
    for (let i = 0; i < q.length; i++) q[i] = (q[i] - zeroPoint[0]) * scale[0];
    return q;
  }
  // Row-major: the index along `axis` advances every `inner` elements and wraps after `scale.length` steps.
  const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < q.length; i++) {
    const c = Math.floor(i / inner) % scale.length;
    q[i] = (q[i] - (zeroPoint.length > 1 ? zeroPoint[c] : zeroPoint[0])) * scale[c];
  }
  return q;
}

/** The stored integers of an INT8 constant as they are, without their quantization (QLinearConv's weights). */
export function constantInt8s(t: TfliteTensor): Int8Array {
  const data = contents(t);
  if (t.type !== 'INT8') throw new Error(`tensor "${t.name}" (${t.type}) is not stored as 8-bit integers`);
  return new Int8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** The stored integers of an INT32 constant as they are, without their quantization (QLinearConv's biases). */
export function constantInt32s(t: TfliteTensor): Int32Array {
  const data = contents(t);
  if (t.type !== 'INT32') throw new Error(`tensor "${t.name}" (${t.type}) is not stored as 32-bit integers`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return Int32Array.from({ length: data.length / 4 }, (_, i) => view.getInt32(4 * i, true));
}
