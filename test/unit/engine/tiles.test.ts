import * as assert from 'node:assert/strict';
import { crop, partition, paste, tileGrid } from '../../../src/engine/tiles';
import { createRaster } from '../../../src/image/raster';

describe('tiles', () => {
  it('cover the image with overlapping tiles no larger than asked', () => {
    const tiles = tileGrid(1000, 700, 400, 50);
    const covered = new Uint8Array(1000 * 700);
    for (const t of tiles) {
      assert.ok(t.width <= 400 && t.height <= 400 && t.x + t.width <= 1000 && t.y + t.height <= 700);
      for (let y = t.y; y < t.y + t.height; y++) covered.fill(1, y * 1000 + t.x, y * 1000 + t.x + t.width);
    }
    assert.ok(covered.every((c) => c === 1));
    const xs = [...new Set(tiles.map((t) => t.x))].sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i - 1] + 400 - xs[i] >= 50, 'neighbours overlap by 50 or more');
  });

  it('partition an image exactly', () => {
    const parts = partition(1001, 333, 256);
    assert.equal(parts.reduce((n, t) => n + t.width * t.height, 0), 1001 * 333);
  });

  it('paste a tile back with a feathered edge inside the image and none at its border', () => {
    const image = createRaster(20, 10, new Float32Array(600));
    const t = { x: 10, y: 0, width: 10, height: 10 };
    paste(image, new Float32Array(300).fill(1), t, 4);
    const at = (x: number, y: number) => image.data[(y * 20 + x) * 3];
    assert.equal(at(19, 5), 1, 'at the image border the tile is taken as is');
    assert.ok(at(10, 5) > 0 && at(10, 5) < 0.25, `fades in from the inner edge (${at(10, 5)})`);
    assert.equal(at(14, 5), 1);
    assert.equal(at(9, 5), 0, 'nothing outside the tile changes');
    assert.deepEqual(Array.from(crop(image, t).data.subarray(27, 30)), [1, 1, 1]);
  });
});
