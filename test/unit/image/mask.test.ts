import * as assert from 'node:assert/strict';
import { composite, resizeMask, uniformMask, type Mask } from '../../../src/image/mask';
import { patternRaster } from '../onnx/fixtures';

const mask = (width: number, height: number, at: (x: number, y: number) => number): Mask => ({
  width, height, data: Float32Array.from({ length: width * height }, (_, p) => at(p % width, Math.floor(p / width))),
});

describe('masks', () => {
  it('composite: the first picture exactly where white, the second exactly where black, linear in between, over the first', () => {
    const [white, black] = [patternRaster(20, 10, 1), patternRaster(20, 10, 2)];
    const m = mask(20, 10, (x) => (x < 8 ? 0 : x >= 12 ? 1 : (x - 8) / 4));
    const out = composite(patternRaster(20, 10, 1), black, m);
    for (let p = 0; p < 200; p++) {
      const x = p % 20;
      for (let c = 0; c < 3; c++) {
        const i = 3 * p + c;
        const want = x < 8 ? black.data[i] : x >= 12 ? white.data[i] : black.data[i] + ((x - 8) / 4) * (white.data[i] - black.data[i]);
        assert.ok(x < 8 || x >= 12 ? out.data[i] === want : Math.abs(out.data[i] - want) < 1e-6, `pixel ${p}`);
      }
    }
    assert.throws(() => composite(white, patternRaster(10, 10, 2), m), /a 10x10 picture under a 20x10 mask/);
    const first = patternRaster(20, 10, 1);
    assert.equal(composite(first, black, m), first, 'written over the first picture');
  });

  it('tells a mask of one region (black or white all over) from one of two', () => {
    assert.equal(uniformMask(mask(4, 4, () => 0)), 'black');
    assert.equal(uniformMask(mask(4, 4, () => 1)), 'white');
    assert.equal(uniformMask(mask(4, 4, (x) => (x === 3 ? 1 / 255 : 0))), undefined);
  });

  it('resizes: shrinking averages the area, enlarging is bilinear, the same size is the mask itself', () => {
    const m = mask(4, 2, (x) => (x < 2 ? 0 : 1));
    assert.deepEqual(Array.from(resizeMask(m, 2, 1).data), [0, 1]);
    const big = resizeMask(m, 8, 4);
    assert.deepEqual([big.width, big.height, big.data[0], big.data[7]], [8, 4, 0, 1]);
    assert.equal(resizeMask(m, 4, 2), m);
  });
});
