import * as assert from 'node:assert/strict';
import { packHalved, packPixels, unpackPixels } from '../../../src/image/pixels';
import { createRaster } from '../../../src/image/raster';

describe('8-bit pixels <-> raster', () => {
  it('gives every byte back after a round trip through floats', () => {
    const bytes = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256);
    const { raster, alpha } = unpackPixels(bytes, 256, 1, 3);
    assert.equal(alpha, undefined);
    assert.deepEqual(packPixels(raster), { bytes: Buffer.from(bytes), channels: 3 });
  });

  it('rounds to the nearest byte and clamps values outside [0, 1]', () => {
    const r = createRaster(2, 1, Float32Array.from([0.5 / 255 - 1e-6, 0.5 / 255 + 1e-6, 254.4 / 255, -0.2, 1.3, 0.5]));
    assert.deepEqual(Array.from(packPixels(r).bytes), [0, 1, 254, 0, 255, 128]);
  });

  it('splits alpha off RGBA, keeps it only when some pixel is not opaque, and packs it back', () => {
    const rgba = Uint8Array.from([10, 20, 30, 255, 40, 50, 60, 0]);
    const { raster, alpha } = unpackPixels(rgba, 2, 1, 4);
    assert.deepEqual(Array.from(alpha ?? []), [1, 0]);
    assert.deepEqual(packPixels(raster, alpha), { bytes: Buffer.from(rgba), channels: 4 });
    assert.equal(unpackPixels(Uint8Array.from([1, 2, 3, 255]), 1, 1, 4).alpha, undefined);
  });

  it('halves a raster to the mean of each 2x2 block in bytes, dropping an odd last row and column', () => {
    // 5x3: pixel (x, y) has red x / 4, green y / 2, blue 1 at even x and 0 at odd x.
    const r = createRaster(5, 3, Float32Array.from({ length: 45 }, (_, i) => {
      const [p, c] = [Math.floor(i / 3), i % 3];
      const [x, y] = [p % 5, Math.floor(p / 5)];
      return c === 0 ? x / 4 : c === 1 ? y / 2 : (x + 1) % 2;
    }));
    const half = packHalved(r);
    assert.deepEqual([half.width, half.height], [2, 1]);
    // Block 0 covers x 0-1, block 1 x 2-3; both rows 0-1: red (x0 + x1) / 8, green 1/4, blue 1/2.
    assert.deepEqual(Array.from(half.bytes), [32, 64, 128, 159, 64, 128]);
  });
});
