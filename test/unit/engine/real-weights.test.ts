import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { Backend } from '../../../src/engine/backend';
import type { BackendName } from '../../../src/common/backends';
import { resolveOptions } from '../../../src/common/options';
import type { Progress } from '../../../src/common/report';
import { stylizeWithOptions } from '../../helpers/stylize-options';
import { loadBackend } from '../../../src/engine/select-backend';
import { layersUpTo } from '../../../src/engine/vgg19';
import { loadVggWeights, type VggWeights } from '../../../src/engine/weights/keras-h5';
import { readImage } from '../../../src/image/decode';
import type { Raster } from '../../../src/image/raster';
import { fitLongSide, resizeBilinear } from '../../../src/image/resize';
import { randomVggWeights } from '../../helpers/random-vgg-weights';
import { DOG, KANDINSKY, REAL_WEIGHTS, requireShared } from '../../helpers/shared-data';

const LAYERS = ['block1_conv1', 'block2_conv1', 'block3_conv1'];

/** The tutorial's printed numbers for blocks 1-3 (docs/algorithm.md). */
const RAW_TABLE = {
  block1_conv1: { shape: [336, 512, 64], max: 835.5256, mean: 33.97525 },
  block2_conv1: { shape: [168, 256, 128], max: 4625.8857, mean: 199.82687 },
  block3_conv1: { shape: [84, 128, 256], max: 8789.239, mean: 230.78099 },
};
const GRAM_TABLE = {
  block1_conv1: { max: 28014.557, mean: 263.79022 },
  block2_conv1: { max: 61479.496, mean: 9100.949 },
  block3_conv1: { max: 545623.44, mean: 7660.976 },
};

async function loadLikeTheTutorial(file: string, maxSide = 512): Promise<Raster> {
  const { raster } = await readImage(file);
  const size = fitLongSide(raster.height, raster.width, maxSide);
  return resizeBilinear(raster, size.width, size.height);
}

function maxMean(a: Float32Array): { max: number; mean: number } {
  let max = -Infinity, sum = 0;
  for (const v of a) {
    if (v > max) max = v;
    sum += v;
  }
  return { max, mean: sum / a.length };
}

function within(actual: number, expected: number, rel: number, what: string): void {
  const off = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(off <= rel, `${what}: ${actual} vs the tutorial's ${expected} (${(off * 100).toFixed(2)}% off, limit ${rel * 100}%)`);
}

describe('with the real VGG19 weights of blocks 1-3', function () {
  let weights: VggWeights;
  before(async function () {
    requireShared(this, REAL_WEIGHTS, DOG, KANDINSKY);
    weights = await loadVggWeights(REAL_WEIGHTS, layersUpTo(['block3_conv2']));
  });

  for (const name of ['onnx', 'wasm'] as BackendName[]) {
    describe(`on the ${name} backend`, () => {
      let backend: Backend;
      before(async () => {
        backend = await loadBackend(name, weights);
      });
      after(() => backend?.dispose());

      it("reproduces the tutorial's raw activation table of the Kandinsky (means 2%, maxima 5%)", async () => {
        const img = await loadLikeTheTutorial(KANDINSKY);
        const feats = await backend.features(img, LAYERS, true);
        for (const [layer, want] of Object.entries(RAW_TABLE)) {
          const f = feats.get(layer)!;
          assert.deepEqual([f.height, f.width, f.channels], want.shape);
          const got = maxMean(f.data);
          within(got.mean, want.mean, 0.02, `${layer} mean`);
          within(got.max, want.max, 0.05, `${layer} max`);
        }
      });

      it("reproduces the tutorial's Gram table of the dog photo (means 2%, maxima 5%)", async () => {
        const img = await loadLikeTheTutorial(DOG);
        assert.deepEqual([img.height, img.width], [422, 512]);
        const grams = await backend.grams(img, LAYERS);
        for (const [layer, want] of Object.entries(GRAM_TABLE)) {
          const got = maxMean(grams.get(layer)!);
          within(got.mean, want.mean, 0.02, `${layer} Gram mean`);
          within(got.max, want.max, 0.05, `${layer} Gram max`);
        }
      });
    });
  }

  it('stylizes at 128 px: within 200 steps the style loss falls 5x while content stays of the same order', async function () {
    const backend = await loadBackend('onnx', weights);
    const [content, style] = await Promise.all([readImage(DOG), readImage(KANDINSKY)]);
    const seen: Progress[] = [];
    try {
      await stylizeWithOptions({
        backend, content: content.raster, styles: [style.raster],
        options: resolveOptions({
          multiScale: false, maxSize: 128, steps: 200, optimizer: 'adam', styleLayers: LAYERS, contentLayers: ['block3_conv2'],
          contentWeight: 1e2,
        }),
        onProgress: (p) => seen.push(p),
      });
    } finally {
      backend.dispose();
    }
    const start = seen[0].losses;
    const end = seen[seen.length - 1].losses;
    console.log(`      style ${start.style.toExponential(2)} -> ${end.style.toExponential(2)}, content ${start.content.toExponential(2)} -> ${end.content.toExponential(2)}`);
    assert.equal(start.content, 0, 'the run starts from the content image');
    assert.ok(end.style * 5 <= start.style, `style loss fell only ${(start.style / end.style).toFixed(1)}x`);
    const ratio = end.content / end.style;
    assert.ok(ratio > 0.1 && ratio < 10, `content ${end.content} vs style ${end.style}: not the same order of magnitude`);
  });
});

describe('tfjs tensors over a long run', () => {
  it('does not leak: the tensor count after step 1000 equals that after step 10', async () => {
    const backend = await loadBackend('wasm', randomVggWeights(3, 'block1_conv2'));
    const counts = new Map<number, number>();
    const flat = (v: number): Raster => ({ width: 12, height: 10, data: new Float32Array(360).fill(v) });
    await stylizeWithOptions({
      backend, content: flat(0.4), styles: [flat(0.6)],
      options: resolveOptions({ multiScale: false, maxSize: 12, steps: 1000, styleLayers: ['block1_conv1'], contentLayers: ['block1_conv2'] }),
      onProgress: (p) => {
        if (p.step === 10 || p.step === 1000) counts.set(p.step, tf.memory().numTensors);
      },
    });
    backend.dispose();
    assert.equal(counts.get(1000), counts.get(10));
  });
});
