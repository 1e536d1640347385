import * as assert from 'node:assert/strict';
import { reflectPadToMultiple } from '../../../src/engine/fast/reflect-pad';
import { createRaster } from '../../../src/image/raster';

describe('fast mode: mirroring an image out to a multiple of 4', () => {
  it('mirrors the last rows and columns without repeating the edge', () => {
    // 5x3, pixel (x, y) = (10y + x, -x, y)
    const r = createRaster(5, 3, Float32Array.from({ length: 45 }, (_, i) => {
      const [x, y, c] = [Math.floor(i / 3) % 5, Math.floor(i / 15), i % 3];
      return [10 * y + x, -x, y][c];
    }));
    const p = reflectPadToMultiple(r, 4);
    assert.deepEqual([p.width, p.height], [8, 4]);
    const rows = [0, 1, 2, 1];
    const columns = [0, 1, 2, 3, 4, 3, 2, 1];
    const expected = rows.flatMap((y) => columns.flatMap((x) => [10 * y + x, -x, y]));
    assert.deepEqual(Array.from(p.data), expected);
  });

  it('leaves a size that is a multiple already alone, and refuses one too small to mirror', () => {
    const r = createRaster(8, 4);
    assert.equal(reflectPadToMultiple(r, 4), r);
    assert.throws(() => reflectPadToMultiple(createRaster(2, 4), 4), /cannot mirror/);
  });
});
