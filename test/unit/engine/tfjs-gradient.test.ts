import * as assert from 'node:assert/strict';
import type { Backend, LossProblem } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/random';
import { createTfjsBackend } from '../../../src/engine/tfjs/backend';
import { createRaster } from '../../../src/image/raster';
import { randomVggWeights } from '../../helpers/random-vgg-weights';

describe('tfjs backend: image gradient', () => {
  const W = 7, H = 6, n = W * H * 3;
  let backend: Backend;
  before(async () => {
    backend = await createTfjsBackend(randomVggWeights(11, 'block2_conv1'), 'wasm');
  });
  after(() => backend.dispose());

  /**
   * A checkerboard with noise: neighbours differ by at least 0.1, so a step of 3e-4 crosses no kink of |d| in the
   * total variation and few of ReLU or max pool. In float32, central differences then agree to well under 1%; a wrong
   * gradient term is off by far more.
   */
  const r = seededRandom(5);
  const x = Float32Array.from({ length: n }, (_, i) => {
    const c = i % 3, px = Math.floor(i / 3) % W, py = Math.floor(i / 3 / W);
    return 0.2 + 0.4 * ((px + py + c) % 2) + 0.15 * r();
  });
  const other = () => createRaster(W, H, Float32Array.from({ length: n }, () => r()));

  async function check(name: string, problem: Omit<LossProblem, 'height' | 'width'>): Promise<void> {
    const ev = await backend.createEvaluator({ height: H, width: W, ...problem });
    const { grad } = await ev.evaluate(x);
    const h = 3e-4;
    const norm = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
    const gnorm = norm(grad);
    // Along the gradient itself the change is largest, so float32 rounding matters least: 2% of the value. Along
    // random directions the value can be near 0, so the bound is 2% of the largest it could be, |g| |v|.
    const directions = [grad.map((g) => g / gnorm), ...[0, 1].map(() => Float32Array.from({ length: n }, () => r() - 0.5))];
    for (const [k, v] of directions.entries()) {
      const at = async (s: number) => (await ev.evaluate(x.map((xi, i) => xi + s * h * v[i]))).losses.total;
      const fd = ((await at(1)) - (await at(-1))) / (2 * h);
      const analytic = grad.reduce((s, g, i) => s + g * v[i], 0);
      const bound = 0.02 * (k === 0 ? Math.abs(analytic) : gnorm * norm(v));
      assert.ok(Math.abs(fd - analytic) <= bound, `${name}, direction ${k}: finite difference ${fd}, gradient ${analytic}`);
    }
    ev.dispose();
  }

  it('of the content loss, through conv, ReLU and max pool, matches finite differences', async () => {
    const f = await backend.features(other(), ['block1_conv2', 'block2_conv1']);
    await check('content block1_conv2', { style: [], content: [{ layer: 'block1_conv2', features: f.get('block1_conv2')!, weight: 1 }], tvWeight: 0 });
    await check('content block2_conv1', { style: [], content: [{ layer: 'block2_conv1', features: f.get('block2_conv1')!, weight: 1 }], tvWeight: 0 });
  });

  it('of the style (Gram) loss matches finite differences', async () => {
    const g = await backend.grams(other(), ['block1_conv1', 'block2_conv1']);
    await check('style', { style: ['block1_conv1', 'block2_conv1'].map((layer) => ({ layer, gram: g.get(layer)!, weight: 1e-3 })), content: [], tvWeight: 0 });
  });

  it('of the total variation matches finite differences', async () => {
    await check('tv', { style: [], content: [], tvWeight: 2 });
  });
});
