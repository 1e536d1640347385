import * as assert from 'node:assert/strict';
import type { Backend, FeatureMap, LossProblem } from '../../../src/engine/backend';
import { createTfjsBackend } from '../../../src/engine/tfjs/backend';
import { createRaster, type Raster } from '../../../src/image/raster';
import { seededRandom } from '../../../src/engine/random';
import { randomVggWeights } from '../../helpers/random-vgg-weights';

function randomRaster(width: number, height: number, seed: number): Raster {
  const r = seededRandom(seed);
  return createRaster(width, height, Float32Array.from({ length: width * height * 3 }, () => r()));
}

/** G[c,d] = sum_ij F[i,j,c] F[i,j,d] / (H*W), straight from the definition. */
function directGram(f: FeatureMap): Float64Array {
  const c = f.channels;
  const n = f.height * f.width;
  const g = new Float64Array(c * c);
  for (let p = 0; p < n; p++) {
    for (let a = 0; a < c; a++) for (let b = 0; b < c; b++) g[a * c + b] += f.data[p * c + a] * f.data[p * c + b];
  }
  return g.map((v) => v / n);
}

function meanSquaredDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

function directTv(r: Raster): number {
  const { width: w, height: h, data: d } = r;
  let s = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * w + x) * 3 + c;
        if (x + 1 < w) s += Math.abs(d[i + 3] - d[i]);
        if (y + 1 < h) s += Math.abs(d[i + 3 * w] - d[i]);
      }
    }
  }
  return s;
}

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

describe('tfjs backend: Gram, losses and total variation against their formulas', () => {
  let backend: Backend;
  before(async () => {
    backend = await createTfjsBackend(randomVggWeights(7, 'block2_conv2'), 'cpu');
  });
  after(() => backend.dispose());

  const styleLayers = ['block1_conv1', 'block2_conv1'];
  const contentLayer = 'block2_conv2';

  it('computes the Gram matrix as F^T F / (H*W)', async () => {
    const img = randomRaster(9, 7, 1);
    const feats = await backend.features(img, styleLayers);
    const grams = await backend.grams(img, styleLayers);
    for (const layer of styleLayers) {
      const want = directGram(feats.get(layer)!);
      const got = grams.get(layer)!;
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) close(got[i], want[i], 1e-4, `${layer} G[${i}]`);
    }
  });

  it('sums weighted style, content and TV terms as the reference defines them', async () => {
    const img = randomRaster(10, 8, 2);
    const styleImg = randomRaster(10, 8, 3);
    const contentImg = randomRaster(10, 8, 4);
    const styleGrams = await backend.grams(styleImg, styleLayers);
    const contentFeats = (await backend.features(contentImg, [contentLayer])).get(contentLayer)!;
    const problem: LossProblem = {
      height: 8, width: 10,
      style: styleLayers.map((layer, i) => ({ layer, gram: styleGrams.get(layer)!, weight: 0.01 * (i + 1) })),
      content: [{ layer: contentLayer, features: contentFeats, weight: 3 }],
      tvWeight: 5,
    };
    const ev = await backend.createEvaluator(problem);
    const { losses } = await ev.evaluate(img.data);
    ev.dispose();

    const feats = await backend.features(img, [...styleLayers, contentLayer]);
    const style = styleLayers.reduce(
      (s, layer, i) => s + 0.01 * (i + 1) * meanSquaredDiff(directGram(feats.get(layer)!), styleGrams.get(layer)!), 0);
    const content = 3 * meanSquaredDiff(feats.get(contentLayer)!.data, contentFeats.data);
    const tv = 5 * directTv(img);
    close(losses.style, style, 1e-4, 'style loss');
    close(losses.content, content, 1e-4, 'content loss');
    close(losses.tv, tv, 1e-5, 'tv loss');
    close(losses.total, style + content + tv, 1e-5, 'total');
  });
});
