import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRaster, type Raster } from '../../../src/image/raster';
import { fitLongSide, resample, resizeBilinear, shrinkArea } from '../../../src/image/resize';

/** A raster from one plane of values: R = v, G = v / 2, B = 1 - v, so a channel mix-up shows. */
function fromPlane(width: number, height: number, plane: readonly number[]): Raster {
  return createRaster(width, height, Float32Array.from(plane.flatMap((v) => [v, v / 2, 1 - v])));
}

function assertPlane(r: Raster, plane: readonly number[]): void {
  assert.equal(r.data.length, plane.length * 3);
  plane.forEach((v, i) => {
    const got = Array.from(r.data.subarray(i * 3, i * 3 + 3));
    [v, v / 2, 1 - v].forEach((want, c) => {
      assert.ok(Math.abs(got[c] - want) < 1e-6, `pixel ${i} channel ${c}: ${got[c]} != ${want}`);
    });
  });
}

describe('resizeBilinear (TF2 tf.image.resize, bilinear, half-pixel centres, no antialias)', () => {
  it('upsamples 2x2 to 4x4 with edge pixels clamped', () => {
    // Source coordinates of the 4 outputs: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    const out = resizeBilinear(fromPlane(2, 2, [0, 0.4, 0.8, 1]), 4, 4);
    assert.deepEqual([out.width, out.height], [4, 4]);
    assertPlane(out, [
      0.0, 0.1, 0.3, 0.4,
      0.2, 0.2875, 0.4625, 0.55,
      0.6, 0.6625, 0.7875, 0.85,
      0.8, 0.85, 0.95, 1.0,
    ]);
  });

  it('downsamples 4x4 to 2x2 by averaging 2x2 blocks (source coordinates 0.5 and 2.5)', () => {
    const out = resizeBilinear(fromPlane(4, 4, Array.from({ length: 16 }, (_, i) => i / 15)), 2, 2);
    assertPlane(out, [2.5 / 15, 4.5 / 15, 10.5 / 15, 12.5 / 15]);
  });

  it('downsamples 3 to 2 without antialiasing (taps at 0.25 and 1.75)', () => {
    assertPlane(resizeBilinear(fromPlane(3, 1, [0, 0.5, 1]), 2, 1), [0.125, 0.875]);
  });

  it('agrees with TensorFlow.js resizeBilinear(halfPixelCenters) on odd sizes both ways', async () => {
    await tf.setBackend('cpu');
    const cases: Array<[number, number, number, number]> = [[37, 23, 64, 50], [97, 61, 20, 13], [5, 9, 11, 4]];
    for (const [w, h, ow, oh] of cases) {
      const data = Float32Array.from({ length: w * h * 3 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1 + 0.5);
      const want = tf.tidy(() =>
        tf.image.resizeBilinear(tf.tensor4d(data, [1, h, w, 3]), [oh, ow], false, true).dataSync(),
      );
      const got = resizeBilinear(createRaster(w, h, data), ow, oh).data;
      const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i])), 0);
      // tfjs computes source coordinates in float64, TF (and resizeBilinear) in float32: a few ulps apart, where
      // a wrong tap would be off by a tenth or more.
      assert.ok(worst < 1e-5, `${w}x${h} -> ${ow}x${oh}: differs by up to ${worst}`);
    }
  });

  it('refuses a size that is not a positive integer', () => {
    const r = fromPlane(2, 2, [0, 0, 0, 0]);
    assert.throws(() => resizeBilinear(r, 0, 2), /0x2/);
    assert.throws(() => resizeBilinear(r, 2.5, 2), /2\.5x2/);
  });
});

describe('fitLongSide (the tutorial image size)', () => {
  it('gives the sizes the tutorial printed', () => {
    assert.deepEqual(fitLongSide(577, 700, 512), { height: 422, width: 512 }); // the dog photo
    assert.deepEqual(fitLongSide(657, 1000, 512), { height: 336, width: 512 }); // the Kandinsky
    assert.deepEqual(fitLongSide(700, 577, 512), { height: 512, width: 422 });
  });

  it('puts the long side at maxSide, or one short where TF float32 truncation does', () => {
    for (const long of [512, 577, 700, 1000, 1024, 2000, 4000]) {
      assert.equal(fitLongSide(100, long, 512).width, 512, `long side ${long}`);
    }
    // float32(41) * float32(512 / 41) = 511.99997, which TF's int32 cast truncates to 511 (checked with numpy float32).
    for (const long of [41, 564, 656]) assert.equal(fitLongSide(long, 10, 512).height, 511, `long side ${long}`);
    for (let long = 1; long <= 5000; long++) {
      const side = fitLongSide(long, 1, 512).height;
      assert.ok(side === 512 || side === 511, `long side ${long} -> ${side}`);
    }
  });

  it('keeps at least one pixel on a very thin image', () => {
    assert.deepEqual(fitLongSide(1, 5000, 512), { height: 1, width: 512 });
  });
});

describe('shrinkArea (area averaging) and resample', () => {
  it('averages whole blocks at whole factors, and covered parts in proportion at others', () => {
    assertPlane(shrinkArea(fromPlane(4, 2, [0, 0.2, 0.4, 0.6, 1, 0.8, 0.6, 0.4]), 2, 1), [0.5, 0.5]);
    // 3 -> 2: each output covers 1.5 inputs, the middle one shared half and half.
    assertPlane(shrinkArea(fromPlane(3, 1, [0, 0.6, 0.9]), 2, 1), [0.2, 0.8]);
  });

  it('keeps the mean of an image, where bilinear at a factor of 4 samples a quarter of the pixels', () => {
    // Bilinear's taps from 8 to 2 read columns 1, 2, 5 and 6 only: here all 0, where the mean is 0.5.
    const plane = Array.from({ length: 64 }, (_, i) => [1, 0, 0, 1, 1, 0, 0, 1][i % 8]);
    const mean = (r: Raster) => r.data.reduce((s, v, i) => (i % 3 === 0 ? s + v : s), 0) / (r.width * r.height);
    const whole = fromPlane(8, 8, plane);
    assert.ok(Math.abs(mean(shrinkArea(whole, 2, 2)) - mean(whole)) < 1e-6);
    assert.ok(Math.abs(mean(resizeBilinear(whole, 2, 2)) - mean(whole)) > 0.01, 'the bilinear taps miss pixels');
  });

  it('resample shrinks by area, enlarges bilinearly, and returns an image already at the size as it is', () => {
    const r = fromPlane(4, 2, [0, 0.2, 0.4, 0.6, 1, 0.8, 0.6, 0.4]);
    assert.deepEqual(resample(r, { width: 2, height: 1 }).data, shrinkArea(r, 2, 1).data);
    assert.deepEqual(resample(r, { width: 8, height: 4 }).data, resizeBilinear(r, 8, 4).data);
    assert.equal(resample(r, { width: 4, height: 2 }), r);
    assert.throws(() => shrinkArea(r, 8, 1), /cannot shrink 4x2 to 8x1/);
  });
});
