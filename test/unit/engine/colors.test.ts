import * as assert from 'node:assert/strict';
import { colorMatched } from '../../../src/engine/colors';
import { symmetricEigen, symmetricPower } from '../../../src/engine/symmetric-3x3';
import { createRaster, type Raster } from '../../../src/image/raster';
import { patternRaster } from '../onnx/fixtures';

function statistics(r: Raster): { mean: number[]; covariance: number[] } {
  const n = r.width * r.height;
  const mean = [0, 1, 2].map((c) => r.data.reduce((s, v, i) => (i % 3 === c ? s + v : s), 0) / n);
  const covariance = [0, 1, 2].flatMap((a) =>
    [0, 1, 2].map((b) => {
      let s = 0;
      for (let i = 0; i < r.data.length; i += 3) s += (r.data[i + a] - mean[a]) * (r.data[i + b] - mean[b]);
      return s / n;
    }),
  );
  return { mean, covariance };
}

/** `r` squeezed into the middle of the colour cube and its channels mixed, so that matching it needs no clamping. */
function tinted(r: Raster, mix: readonly number[], offset: readonly number[]): Raster {
  const out = createRaster(r.width, r.height);
  for (let i = 0; i < r.data.length; i += 3) {
    for (let c = 0; c < 3; c++) out.data[i + c] = offset[c] + 0.2 * (mix[3 * c] * r.data[i] + mix[3 * c + 1] * r.data[i + 1] + mix[3 * c + 2] * r.data[i + 2]);
  }
  return out;
}

describe('colours of the content by colour matching (Gatys et al. 2017)', () => {
  it('decomposes a symmetric 3x3 matrix: M v = lambda v, and the square root squared is M', () => {
    const m = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2];
    const { values, vectors } = symmetricEigen(m);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        const mv = m[3 * i] * vectors[k] + m[3 * i + 1] * vectors[3 + k] + m[3 * i + 2] * vectors[6 + k];
        assert.ok(Math.abs(mv - values[k] * vectors[3 * i + k]) < 1e-12, `eigenpair ${k}, row ${i}`);
      }
    }
    const root = symmetricPower(m, 0.5, 0);
    const squared = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => root[3 * i] * root[j] + root[3 * i + 1] * root[3 + j] + root[3 * i + 2] * root[6 + j]));
    squared.forEach((v, i) => assert.ok(Math.abs(v - m[i]) < 1e-12, `entry ${i}: ${v} != ${m[i]}`));
  });

  it('gives the style the content’s colour mean and covariance, and keeps its pattern', () => {
    const style = tinted(patternRaster(60, 40, 3), [1, 0.2, 0, 0, 0.5, 0.3, 0.1, 0, 1], [0.1, 0.3, 0.2]);
    const content = tinted(patternRaster(50, 70, 4), [0.3, 0.3, 0.3, 0.8, 0.1, 0, 0, 0.2, 0.6], [0.5, 0.4, 0.6]);
    const matched = colorMatched(style, content);
    assert.deepEqual([matched.width, matched.height], [60, 40]);
    const [got, want] = [statistics(matched), statistics(content)];
    got.mean.forEach((v, c) => assert.ok(Math.abs(v - want.mean[c]) < 1e-5, `mean ${c}: ${v} != ${want.mean[c]}`));
    got.covariance.forEach((v, i) => assert.ok(Math.abs(v - want.covariance[i]) < 1e-5, `covariance ${i}: ${v} != ${want.covariance[i]}`));
    // The map that matches with least change: an image matched to itself is itself.
    const same = colorMatched(content, content);
    assert.ok(same.data.every((v, i) => Math.abs(v - content.data[i]) < 1e-5));
  });

  it('leaves a one-colour style nearly one colour (its flat covariance has no inverse), within [0, 1]', () => {
    const flat = createRaster(8, 8, new Float32Array(8 * 8 * 3).fill(0.4));
    const matched = colorMatched(flat, patternRaster(30, 30, 5));
    const { covariance } = statistics(matched);
    assert.ok(Math.max(...covariance.map(Math.abs)) < 1e-9, `covariance ${covariance}`);
    assert.ok(matched.data.every((v) => v >= 0 && v <= 1 && Number.isFinite(v)));
  });
});
