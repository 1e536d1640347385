import * as assert from 'node:assert/strict';
import { constantFloats, constantInts, halfToFloat } from '../../../src/engine/fast/dequantize';
import type { TensorType, TfliteTensor } from '../../../src/engine/fast/tflite-model';

function tensor(type: TensorType, shape: number[], data: ArrayBufferView, quantization?: TfliteTensor['quantization']): TfliteTensor {
  return { name: 'w', shape, type, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), quantization };
}

describe('fast mode: dequantization', () => {
  it('decodes IEEE half floats: normals, subnormals, signed zeros, infinities and NaN', () => {
    const cases: Array<[number, number]> = [
      [0x0000, 0],
      [0x3c00, 1],
      [0xc000, -2],
      [0x3555, 0.333251953125], // 1/3 rounded: 1.0101010101b * 2^-2
      [0x7bff, 65504], // the largest finite half
      [0x0400, 2 ** -14], // the smallest normal
      [0x0001, 2 ** -24], // the smallest subnormal
      [0x03ff, 1023 * 2 ** -24], // the largest subnormal
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    for (const [bits, value] of cases) assert.equal(halfToFloat(bits), value, `0x${bits.toString(16)}`);
    assert.ok(Object.is(halfToFloat(0x8000), -0));
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
    // Every half is exactly a float32: the conversion agrees with float32 rounding of itself.
    for (let bits = 0; bits < 0x10000; bits += 7) {
      const v = halfToFloat(bits);
      if (!Number.isNaN(v)) assert.equal(Math.fround(v), v);
    }
  });

  it('maps int8 and uint8 to reals per tensor, with the zero point', () => {
    const q = { scale: [0.5], zeroPoint: [3], axis: 0 };
    assert.deepEqual(Array.from(constantFloats(tensor('INT8', [4], Int8Array.of(-128, 0, 3, 127), q))), [-65.5, -1.5, 0, 62]);
    assert.deepEqual(Array.from(constantFloats(tensor('UINT8', [3], Uint8Array.of(0, 3, 255), q))), [-1.5, 0, 126]);
  });

  it('maps per-channel values along the quantization axis, first or last', () => {
    // shape [2, 3]: axis 0 scales rows, axis 1 scales columns
    const values = Int8Array.of(1, 2, 3, 4, 5, 6);
    const rows = constantFloats(tensor('INT8', [2, 3], values, { scale: [1, 10], zeroPoint: [0, 1], axis: 0 }));
    assert.deepEqual(Array.from(rows), [1, 2, 3, 30, 40, 50]);
    const columns = constantFloats(tensor('INT8', [2, 3], values, { scale: [1, 10, 100], zeroPoint: [0], axis: 1 }));
    assert.deepEqual(Array.from(columns), [1, 20, 300, 4, 50, 600]);
  });

  it('maps int32 biases by their scale, and keeps unquantized integers as integers', () => {
    const bias = tensor('INT32', [2], Int32Array.of(-300, 1000), { scale: [0.25, 0.001], zeroPoint: [0], axis: 0 });
    assert.deepEqual(Array.from(constantFloats(bias)), [-75, Math.fround(1)]);
    assert.deepEqual(constantInts(tensor('INT32', [3], Int32Array.of(-1, 0, 7))), [-1, 0, 7]);
    assert.deepEqual(constantInts(tensor('INT64', [2], BigInt64Array.of(-2n, 5n))), [-2, 5]);
    assert.throws(() => constantInts(bias), /not a list of integers/);
    assert.throws(() => constantFloats(tensor('INT8', [1], Int8Array.of(1))), /carries no quantization/);
  });

  it('reads float32 and float16 constants as they are', () => {
    assert.deepEqual(Array.from(constantFloats(tensor('FLOAT32', [2], Float32Array.of(0.1, -3)))), [Math.fround(0.1), -3]);
    assert.deepEqual(Array.from(constantFloats(tensor('FLOAT16', [2], Uint16Array.of(0x3800, 0xbc00)))), [0.5, -1]);
  });
});
