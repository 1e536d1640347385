import * as assert from 'node:assert/strict';
import type { Backend, LossProblem } from '../../../src/engine/backend';
import { createOnnxBackend } from '../../../src/engine/onnx/backend';
import { createTfjsBackend } from '../../../src/engine/tfjs/backend';
import { layersUpTo } from '../../../src/engine/vgg19';
import { loadVggWeights, type VggWeights } from '../../../src/engine/weights/keras-h5';
import { createRaster, type Raster } from '../../../src/image/raster';
import { randomVggWeights } from '../../helpers/random-vgg-weights';
import { REAL_WEIGHTS, requireShared } from '../../helpers/shared-data';
import { maxRelativeDiff, patternProblem, randomRaster, TUTORIAL, type ProblemSpec } from './fixtures';

/**
 * The acceptance test of the onnx backend: on the same weights, images, targets and coefficients as the
 * tfjs implementation (autodiff through its custom gradients), float32 against float32, the losses agree within
 * 1e-5 relative and the image gradient within 1e-4 of its largest value.
 */
function agreementSuite(title: string, weights: () => Promise<VggWeights>, spec: ProblemSpec, skip?: (ctx: Mocha.Context) => void): void {
  describe(title, () => {
    let onnx: Backend;
    let tfjs: Backend;
    let problem: LossProblem;
    before(async function () {
      skip?.(this);
      const w = await weights();
      // wasm: tfjs's fastest backend here (its pure-JS cpu backend would take minutes for these steps).
      [onnx, tfjs] = await Promise.all([createOnnxBackend(w), createTfjsBackend(w, 'wasm')]);
      problem = await patternProblem(tfjs, spec, 11);
    });
    after(() => {
      onnx?.dispose();
      tfjs?.dispose();
    });

    it('computes the same features (caffe-preprocessed and raw) and Gram matrices', async () => {
      const image = randomRaster(spec.width, spec.height, 12);
      const layers = [...spec.style, ...spec.content];
      for (const raw of [false, true]) {
        const [a, b] = await Promise.all([onnx.features(image, layers, raw), tfjs.features(image, layers, raw)]);
        for (const layer of layers) {
          const fa = a.get(layer)!;
          const fb = b.get(layer)!;
          assert.deepEqual([fa.height, fa.width, fa.channels], [fb.height, fb.width, fb.channels], layer);
          const d = maxRelativeDiff(fa.data, fb.data);
          assert.ok(d < 1e-5, `${raw ? 'raw ' : ''}features of ${layer}: ${d}`);
        }
      }
      const [ga, gb] = await Promise.all([onnx.grams(image, spec.style), tfjs.grams(image, spec.style)]);
      for (const layer of spec.style) {
        const d = maxRelativeDiff(ga.get(layer)!, gb.get(layer)!);
        assert.ok(d < 1e-5, `Gram of ${layer}: ${d}`);
      }
    });

    it('computes the same losses and image gradient', async () => {
      await agreeOn(onnx, tfjs, problem, randomRaster(spec.width, spec.height, 13));
    });
  });
}

async function agreeOn(onnx: Backend, tfjs: Backend, problem: LossProblem, image: Raster): Promise<void> {
  const [ea, eb] = await Promise.all([onnx.createEvaluator(problem), tfjs.createEvaluator(problem)]);
  try {
    const a = await ea.evaluate(image.data);
    const b = await eb.evaluate(image.data);
    for (const term of ['total', 'style', 'content', 'tv'] as const) {
      const want = b.losses[term];
      const rel = Math.abs(a.losses[term] - want) / Math.abs(want);
      assert.ok(rel <= 1e-5, `${term}: onnx ${a.losses[term]}, tfjs ${want} (relative difference ${rel.toExponential(1)})`);
    }
    const d = maxRelativeDiff(a.grad, b.grad);
    assert.ok(d <= 1e-4, `gradient differs by ${d} of its largest value`);
  } finally {
    ea.dispose();
    eb.dispose();
  }
}

describe('onnx backend agrees with the tfjs implementation', () => {
  describe('on tied maxima (flat regions)', () => {
    // Flat areas give bitwise-equal positive activations across a pooling window: the gradient goes to one
    // position of each window, the first maximum in row-major order, as TensorFlow and tfjs's cpu backend do
    // (tfjs's wasm MaxPoolGrad takes the last one instead, hence cpu here; a small net keeps it quick).
    const spec = {
      width: 23, height: 19, style: ['block1_conv1', 'block2_conv1'], content: ['block2_conv2'],
      styleWeight: 1e-2, contentWeight: 1e2, tvWeight: 30,
    };
    let onnx: Backend;
    let tfjs: Backend;
    before(async () => {
      const w = randomVggWeights(41, 'block2_conv2');
      [onnx, tfjs] = await Promise.all([createOnnxBackend(w), createTfjsBackend(w, 'cpu')]);
    });
    after(() => {
      onnx?.dispose();
      tfjs?.dispose();
    });

    it('routes their gradient to the first maximum of each pooling window', async () => {
      const { width, height } = spec;
      const data = randomRaster(width, height, 14).data;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (x < width / 2) data.fill(1, (y * width + x) * 3, (y * width + x + 1) * 3);
          else if (y < height / 2) data.set([0.9, 0.6, 0.2], (y * width + x) * 3);
        }
      }
      await agreeOn(onnx, tfjs, await patternProblem(tfjs, spec, 15), createRaster(width, height, data));
    });
  });

  const tutorial = { ...TUTORIAL, style: [...TUTORIAL.style], content: [...TUTORIAL.content] };
  // Odd sizes: each pool floors (35 -> 17 -> 8 -> 4 -> 2, 50 -> 25 -> 12 -> 6 -> 3).
  agreementSuite('generated VGG19 weights, the tutorial layers, 50x35', async () => randomVggWeights(31, 'block5_conv2'), {
    ...tutorial, width: 50, height: 35,
  });

  // The real weights stop after block 3; content at block3_conv2 is ~10x larger than at block5_conv2, hence its
  // weight 1e2 (docs/algorithm.md).
  const blocks13 = ['block1_conv1', 'block2_conv1', 'block3_conv1'];
  agreementSuite(
    'real block1-3 weights, 131x97',
    () => loadVggWeights(REAL_WEIGHTS, layersUpTo([...blocks13, 'block3_conv2'])),
    { width: 131, height: 97, style: blocks13, content: ['block3_conv2'], styleWeight: 1e-2, contentWeight: 1e2, tvWeight: 30 },
    (ctx) => requireShared(ctx, REAL_WEIGHTS),
  );
});
