import * as assert from 'node:assert/strict';
import { decodeSize } from '../../../src/image/decode-size';
import { fitLongSide } from '../../../src/image/resize';

describe('decodeSize', () => {
  it('keeps the size of an image at most 4x larger than needed, or when no size is given', () => {
    assert.deepEqual(decodeSize({ width: 9990, height: 7001 }, undefined), { width: 9990, height: 7001 });
    assert.deepEqual(decodeSize({ width: 2048, height: 1000 }, 512), { width: 2048, height: 1000 });
    assert.deepEqual(decodeSize({ width: 300, height: 200 }, 512), { width: 300, height: 200 });
  });

  it('shrinks a larger one to twice the size the engine makes of it', () => {
    assert.deepEqual(decodeSize({ width: 9990, height: 9990 }, 64), { width: 128, height: 128 });
    assert.deepEqual(decodeSize({ width: 2049, height: 1000 }, 512), { width: 1024, height: 498 });
    assert.deepEqual(decodeSize({ width: 1000, height: 2049 }, 512), { width: 498, height: 1024 });
  });

  it('leaves the engine the very size it makes of the whole image, float32 rounding included', () => {
    let roundedDown = 0;
    for (const need of [16, 64, 100, 512, 1000, 2048]) {
      for (let long = 4 * need + 1; long < 4 * need + 2000; long += 13) {
        for (const ratio of [1, 0.75, 0.5625, 0.3, 1 / 0.7]) {
          const size = { width: long, height: Math.max(1, Math.round(long * ratio)) };
          const whole = fitLongSide(size.height, size.width, need);
          const decoded = decodeSize(size, need);
          const label = `${size.width}x${size.height} for ${need}`;
          assert.deepEqual(fitLongSide(decoded.height, decoded.width, need), whole, label);
          assert.ok(Math.max(decoded.width, decoded.height) >= 2 * Math.max(whole.width, whole.height), label);
          assert.ok(decoded.width < size.width || decoded.height < size.height, `${label}: not shrunk`);
          if (Math.max(whole.width, whole.height) < need) roundedDown++;
        }
      }
    }
    // The sizes whose long side comes out one short (511 at 512) are the ones a plain 2x would get wrong.
    assert.ok(roundedDown > 100, `${roundedDown} sizes rounded down`);
  });
});
