import * as assert from 'node:assert/strict';
import type { Backend, Evaluator } from '../../../src/engine/backend';
import { createOnnxBackend } from '../../../src/engine/onnx/backend';
import { createRaster, type Raster } from '../../../src/image/raster';
import { randomVggWeights } from '../../helpers/random-vgg-weights';
import { patternProblem, randomRaster } from './fixtures';

describe('onnx backend: image gradient', () => {
  let backend: Backend;
  before(async () => {
    backend = await createOnnxBackend(randomVggWeights(21, 'block2_conv2'));
  });
  after(() => backend.dispose());

  describe('against central differences', () => {
    // Odd sizes: the pool drops the last row and column, whose backward must be zero. A loss at block1_conv2,
    // whose pool feeds block 2, takes the backward path that applies its full-size ReLU mask. No total variation:
    // its kinks (|d| at d = 0) are dense in a random image; it is checked exactly below.
    const spec = {
      width: 13, height: 11, style: ['block1_conv1', 'block1_conv2', 'block2_conv1'], content: ['block2_conv2'],
      styleWeight: 1e-3, contentWeight: 1, tvWeight: 0,
    };
    let evaluator: Evaluator;
    before(async () => {
      evaluator = await backend.createEvaluator(await patternProblem(backend, spec, 1));
    });
    after(() => evaluator.dispose());

    it('has both terms contributing', async () => {
      const { losses } = await evaluator.evaluate(randomRaster(spec.width, spec.height, 3).data);
      for (const term of ['style', 'content'] as const) assert.ok(losses[term] > 0.2 * losses.total, JSON.stringify(losses));
    });

    it('matches them at every pixel and channel', async () => {
      // The losses are float32: a step of 1e-3 keeps rounding noise near 1e-4 of the largest gradient, and a
      // pixel whose step moves a ReLU or pool switch (a kink) across zero is off by up to a few percent. A wrong
      // gradient (a missing term, a misrouted pool, an unflipped kernel) is off by its own size at most pixels.
      const h = 1e-3;
      const x = randomRaster(spec.width, spec.height, 5).data;
      const { grad } = await evaluator.evaluate(x);
      const scale = grad.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      const errors: number[] = [];
      for (let i = 0; i < x.length; i++) {
        const at = async (t: number) => {
          const moved = x.slice();
          moved[i] += t;
          return (await evaluator.evaluate(moved)).losses.total;
        };
        const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
        errors.push(Math.abs(numeric - grad[i]) / scale);
      }
      errors.sort((a, b) => a - b);
      const quantile = (q: number) => errors[Math.floor(q * (errors.length - 1))];
      assert.ok(quantile(0.5) < 2e-3, `median error ${quantile(0.5)}`);
      assert.ok(quantile(0.9) < 1e-2, `90th percentile error ${quantile(0.9)}`);
      assert.ok(quantile(1) < 5e-2, `largest error ${quantile(1)}`);
    });
  });

  describe('of total variation alone', () => {
    // Flat runs make exact zero differences, where the gradient of |d| must be 0 (TensorFlow's sign(0)).
    const image: Raster = createRaster(5, 4, Float32Array.from({ length: 60 }, (_, i) => [0, 0.25, 1][(i * 7) % 5 % 3]));
    const weight = 30;

    function direct(r: Raster): { loss: number; grad: Float64Array } {
      const { width: w, height: h, data } = r;
      const grad = new Float64Array(data.length);
      let loss = 0;
      const pair = (i: number, j: number) => {
        const d = data[j] - data[i];
        loss += Math.abs(d);
        grad[j] += Math.sign(d);
        grad[i] -= Math.sign(d);
      };
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let c = 0; c < 3; c++) {
            const i = (y * w + x) * 3 + c;
            if (x + 1 < w) pair(i, i + 3);
            if (y + 1 < h) pair(i, i + 3 * w);
          }
        }
      }
      return { loss: weight * loss, grad: grad.map((g) => weight * g) };
    }

    it('is weight * sum |neighbour differences| with gradient weight * (sum of signs), sign(0) = 0', async () => {
      const evaluator = await backend.createEvaluator({ width: 5, height: 4, style: [], content: [], tvWeight: weight });
      try {
        const { losses, grad } = await evaluator.evaluate(image.data);
        const want = direct(image);
        assert.ok(want.grad.some((g) => g === 0) && want.grad.some((g) => g !== 0), 'the image must have flat runs and edges');
        assert.ok(Math.abs(losses.tv - want.loss) <= 1e-6 * want.loss, `${losses.tv} vs ${want.loss}`);
        assert.deepEqual(losses, { total: losses.tv, style: 0, content: 0, tv: losses.tv });
        assert.deepEqual([...grad], [...want.grad]);
      } finally {
        evaluator.dispose();
      }
    });
  });
});
