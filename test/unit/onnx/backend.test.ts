import * as assert from 'node:assert/strict';
import type { Backend } from '../../../src/engine/backend';
import { UserError } from '../../../src/common/errors';
import { createOnnxBackend } from '../../../src/engine/onnx/backend';
import { featureSize } from '../../../src/engine/vgg19';
import { randomVggWeights } from '../../helpers/random-vgg-weights';
import { patternProblem, randomRaster } from './fixtures';

describe('onnx backend', () => {
  let backend: Backend;
  before(async () => {
    backend = await createOnnxBackend(randomVggWeights(51, 'block3_conv1'), { threads: 1 });
  });
  after(() => backend.dispose());

  it('names itself and what runs underneath', () => {
    assert.equal(backend.name, 'onnx');
    assert.match(backend.detail, /^onnxruntime \d+\.\d+\.\d+, 1 thread$/);
  });

  it('returns features of any size, shaped as featureSize says', async () => {
    for (const [w, h] of [[20, 16], [33, 17], [9, 41]]) {
      const out = await backend.features(randomRaster(w, h, w), ['block1_conv2', 'block3_conv1']);
      for (const [layer, f] of out) {
        const want = featureSize(layer, h, w);
        assert.deepEqual([f.height, f.width, f.channels], [want.height, want.width, want.channels], `${layer} at ${w}x${h}`);
        assert.equal(f.data.length, f.height * f.width * f.channels);
      }
    }
  });

  it('computes Gram matrices as F^T F / (H*W) of the features', async () => {
    const image = randomRaster(19, 14, 2);
    const f = (await backend.features(image, ['block2_conv1'])).get('block2_conv1')!;
    const g = (await backend.grams(image, ['block2_conv1'])).get('block2_conv1')!;
    const n = f.height * f.width;
    const c = f.channels;
    let worst = 0;
    let scale = 0;
    for (let a = 0; a < c; a++) {
      for (let b = 0; b < c; b++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += f.data[p * c + a] * f.data[p * c + b];
        worst = Math.max(worst, Math.abs(g[a * c + b] - s / n));
        scale = Math.max(scale, s / n);
      }
    }
    assert.ok(worst <= 1e-6 * scale, `${worst} of ${scale}`);
  });

  it('feeds raw features the x255 image without the caffe preprocessing', async () => {
    const image = randomRaster(8, 8, 3);
    const [raw, pre] = await Promise.all([
      backend.features(image, ['block1_conv1'], true),
      backend.features(image, ['block1_conv1']),
    ]);
    assert.notDeepEqual(raw.get('block1_conv1')!.data, pre.get('block1_conv1')!.data);
  });

  it('returns a fresh gradient per evaluation and the same numbers for the same image', async () => {
    const spec = { width: 12, height: 10, style: ['block1_conv1'], content: ['block2_conv2'], styleWeight: 1, contentWeight: 1, tvWeight: 1 };
    const evaluator = await backend.createEvaluator(await patternProblem(backend, spec, 4));
    try {
      const x = randomRaster(12, 10, 5).data;
      const a = await evaluator.evaluate(x);
      const b = await evaluator.evaluate(randomRaster(12, 10, 6).data);
      const c = await evaluator.evaluate(x);
      assert.notEqual(a.grad, c.grad);
      assert.notDeepEqual(a.grad, b.grad);
      assert.deepEqual(c, a);
      assert.equal(a.grad.length, x.length);
    } finally {
      evaluator.dispose();
    }
  });

  it('rejects targets of the wrong size, too small an image and unknown layers', async () => {
    const spec = { width: 12, height: 10, style: ['block1_conv1'], content: ['block2_conv2'], styleWeight: 1, contentWeight: 1, tvWeight: 1 };
    const problem = await patternProblem(backend, spec, 4);
    await assert.rejects(backend.createEvaluator({ ...problem, width: 14 }), /content target of block2_conv2 is 5x6x128, the image's is 5x7x128/);
    const empty = { height: 0, width: 0, channels: 256, data: new Float32Array(0) };
    await assert.rejects(
      backend.createEvaluator({ width: 3, height: 3, style: [], content: [{ layer: 'block3_conv1', features: empty, weight: 1 }], tvWeight: 0 }),
      (e) => e instanceof UserError && /the image is 3x3: block3_conv1 needs at least 4 px on each side/.test(e.message),
    );
    await assert.rejects(backend.features(randomRaster(8, 8, 1), ['block9_conv1']), UserError);
  });
});
