import * as assert from 'node:assert/strict';
import type { Backend, Evaluator, FeatureMap, LossProblem } from '../../../src/engine/backend';
import { Adam } from '../../../src/engine/optim/adam';
import { planOptimization } from '../../../src/engine/plan';
import { resolveOptions, type StyleOptions } from '../../../src/common/options';
import type { Progress } from '../../../src/common/report';
import { stylizeWithOptions } from '../../helpers/stylize-options';
import { createRaster, type Raster } from '../../../src/image/raster';

/** The bottom of the bowl, per channel: red and blue outside [0, 1], so the box matters. */
const TARGET = [-0.2, 0.45, 1.2];

/**
 * A stand-in backend whose loss is a quadratic bowl around TARGET (the same for every pixel, so that tiles have
 * the same optimum as the whole), so the run loop's own behaviour can be checked exactly and fast.
 */
class BowlBackend implements Backend {
  readonly name = 'cpu' as const;
  readonly detail = 'test bowl';
  readonly problems: LossProblem[] = [];
  constructor(private readonly hook: (step: number) => number | undefined = () => undefined) {}
  private evaluations = 0;

  async features(image: Raster, layers: readonly string[]): Promise<Map<string, FeatureMap>> {
    return new Map(layers.map((l) => [l, { height: image.height, width: image.width, channels: 3, data: image.data }]));
  }
  async grams(_image: Raster, layers: readonly string[]): Promise<Map<string, Float32Array>> {
    return new Map(layers.map((l) => [l, new Float32Array(1)]));
  }
  async createEvaluator(problem: LossProblem): Promise<Evaluator> {
    this.problems.push(problem);
    const target = (i: number) => TARGET[i % 3];
    return {
      evaluate: async (x) => {
        this.evaluations++;
        const grad = new Float32Array(x.length);
        let total = 0;
        for (let i = 0; i < x.length; i++) {
          const d = x[i] - target(i);
          total += d * d;
          grad[i] = 2 * d;
        }
        total = this.hook(this.evaluations) ?? total;
        return { losses: { total, style: total, content: 0, tv: 0 }, grad };
      },
      dispose: () => {},
    };
  }
  dispose(): void {}
}

const flat = (w: number, h: number, v = 0.5) => createRaster(w, h, new Float32Array(w * h * 3).fill(v));

function options(o: Partial<StyleOptions>): StyleOptions {
  return resolveOptions({ multiScale: false, maxSize: 16, steps: 60, styleLayers: ['block1_conv1'], contentLayers: [], ...o });
}

describe('the run loop (any backend)', () => {
  it('lowers the loss with Adam and keeps every evaluated image inside [0, 1]', async () => {
    const seen: Progress[] = [];
    let outside = 0;
    const backend = new BowlBackend();
    const original = backend.createEvaluator.bind(backend);
    backend.createEvaluator = async (p) => {
      const ev = await original(p);
      return { ...ev, evaluate: (x) => { outside += x.filter((v) => v < 0 || v > 1).length; return ev.evaluate(x); } };
    };
    const r = await stylizeWithOptions({ backend, content: flat(16, 12), styles: [flat(8, 8)], options: options({ learningRate: 0.05 }), onProgress: (p) => seen.push(p) });
    assert.equal(r.outcome, 'done');
    assert.equal(seen.length, 60);
    assert.deepEqual(seen.map((p) => p.step), Array.from({ length: 60 }, (_, i) => i + 1));
    assert.ok(seen[59].losses.total < seen[0].losses.total / 5, `${seen[0].losses.total} -> ${seen[59].losses.total}`);
    assert.equal(outside, 0);
    assert.ok(r.image.data.every((v) => v >= 0 && v <= 1));
  });

  it('from the content image, takes (and shows) the first step before computing the content features', async () => {
    const order = async (init: 'content' | 'noise') => {
      const backend = new BowlBackend();
      const events: string[] = [];
      const features = backend.features.bind(backend);
      backend.features = (image, layers) => {
        events.push('content features');
        return features(image, layers);
      };
      const create = backend.createEvaluator.bind(backend);
      backend.createEvaluator = async (p) => {
        const ev = await create(p);
        events.push(`loss with ${p.content.length} content term(s)`);
        return { ...ev, evaluate: (x) => (events.push('step'), ev.evaluate(x)) };
      };
      const o = options({ steps: 3, init, contentLayers: ['block2_conv2'] });
      await stylizeWithOptions({ backend, content: flat(16, 12), styles: [flat(8, 8)], options: o, onPreview: () => void events.push('preview') });
      return events;
    };
    // At the content image the content term and its gradient are zero, so the first step needs no content target.
    assert.deepEqual(await order('content'), [
      'loss with 0 content term(s)', 'step', 'preview', 'content features', 'loss with 1 content term(s)', 'step', 'step',
    ]);
    assert.deepEqual(await order('noise'), ['content features', 'loss with 1 content term(s)', 'step', 'preview', 'step', 'step']);
  });

  it('L-BFGS reaches the box-constrained minimum of a bowl in a few dozen evaluations', async () => {
    const seen: Progress[] = [];
    await stylizeWithOptions({ backend: new BowlBackend(), content: flat(16, 12), styles: [flat(8, 8)], options: options({ optimizer: 'lbfgs', steps: 30 }), onProgress: (p) => seen.push(p) });
    // At the constrained minimum only the parts of the target outside [0, 1] remain: red and blue, 0.2 away.
    const floor = 16 * 12 * 2 * 0.2 ** 2;
    const best = Math.min(...seen.map((p) => p.losses.total));
    assert.ok(best < floor * 1.001, `best ${best} vs floor ${floor}`);
  });

  it('stops between steps when cancelled and returns the best image so far', async () => {
    const abort = new AbortController();
    const images: Float32Array[] = [];
    const backend = new BowlBackend();
    const original = backend.createEvaluator.bind(backend);
    backend.createEvaluator = async (p) => {
      const ev = await original(p);
      return { ...ev, evaluate: (x) => { images.push(x.slice()); return ev.evaluate(x); } };
    };
    const r = await stylizeWithOptions({
      backend, content: flat(16, 12), styles: [flat(8, 8)], options: options({ learningRate: 0.05 }), signal: abort.signal,
      onProgress: (p) => { if (p.step === 5) abort.abort(); },
    });
    assert.equal(r.outcome, 'cancelled');
    assert.equal(r.steps, 5);
    assert.deepEqual(Array.from(r.image.data), Array.from(images[4]), 'the lowest-loss image, the 5th evaluated');
  });

  it('stops with a message and the last good image when the loss is not finite', async () => {
    const images: Float32Array[] = [];
    const backend = new BowlBackend((n) => (n === 4 ? NaN : undefined));
    const original = backend.createEvaluator.bind(backend);
    backend.createEvaluator = async (p) => {
      const ev = await original(p);
      return { ...ev, evaluate: (x) => { images.push(x.slice()); return ev.evaluate(x); } };
    };
    const r = await stylizeWithOptions({ backend, content: flat(16, 12), styles: [flat(8, 8)], options: options({}) });
    assert.equal(r.outcome, 'diverged');
    assert.match(r.message!, /NaN at step 4/);
    assert.equal(r.steps, 3);
    assert.deepEqual(Array.from(r.image.data), Array.from(images[2]));
  });

  it('previews after the first step, then at the preview interval', async () => {
    const backend = new BowlBackend();
    const original = backend.createEvaluator.bind(backend);
    backend.createEvaluator = async (p) => {
      const ev = await original(p);
      return { ...ev, evaluate: async (x) => { await new Promise((r) => setTimeout(r, 50)); return ev.evaluate(x); } };
    };
    const previews: Progress[] = [];
    await stylizeWithOptions({ backend, content: flat(16, 12), styles: [flat(8, 8)], options: options({ steps: 40, previewInterval: 0.5 }), onPreview: (_img, p) => void previews.push(p) });
    assert.equal(previews[0].step, 1);
    // However slow or busy the machine, no two previews are closer than the interval; a 2 s run has several.
    for (let i = 1; i < previews.length; i++) assert.ok(previews[i].elapsedMs - previews[i - 1].elapsedMs >= 500);
    assert.ok(previews.length >= 2, `${previews.length} previews`);
  });

  it('runs coarse to fine, growing by sqrt(2), and ends at the output size', async () => {
    const backend = new BowlBackend();
    const seen: Progress[] = [];
    const r = await stylizeWithOptions({
      backend, content: flat(300, 200), styles: [flat(8, 8)], options: options({ multiScale: true, minSize: 128, maxSize: 512, steps: 3 }),
      onProgress: (p) => seen.push(p),
    });
    assert.deepEqual(backend.problems.map((p) => Math.max(p.width, p.height)), [128, 181, 256, 362, 512]);
    assert.equal(r.image.width, 512);
    assert.equal(r.image.height, 341);
    // A quarter of the steps at each coarse scale (rounded up), all of them at the output size.
    const steps = [1, 1, 1, 1, 3];
    assert.equal(seen[seen.length - 1].totalSteps, 7);
    // Compute in full-size equivalents: each size's steps weighted by its pixels.
    const expected = backend.problems.reduce((s, p, i) => s + (steps[i] * p.width * p.height) / (512 * 341), 0);
    assert.ok(Math.abs(r.stepEquivalents - expected) < 1e-9);
  });
});

/** The tutorial preset's Adam, as the plan gives it. */
function tutorialAdam() {
  const o = planOptimization(resolveOptions({ preset: 'tutorial' }), { name: 'c', width: 64, height: 64 }, []).optimizer;
  assert.equal(o.kind, 'adam');
  return o as Extract<typeof o, { kind: 'adam' }>;
}

describe('Adam', () => {
  it('takes the Keras step: lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)', () => {
    const adam = new Adam(tutorialAdam(), 2);
    const x = new Float32Array([0.5, 0.5]);
    adam.step(x, 0, new Float32Array([1, -2]));
    const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps } = tutorialAdam();
    assert.deepEqual([lr, b1, b2, eps], [0.02, 0.99, 0.999, 0.1], 'the tutorial\'s Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)');
    const expected = (g: number) => 0.5 - ((lr * Math.sqrt(1 - b2)) / (1 - b1)) * (((1 - b1) * g) / (Math.sqrt((1 - b2) * g * g) + eps));
    assert.ok(Math.abs(x[0] - expected(1)) < 1e-7);
    assert.ok(Math.abs(x[1] - expected(-2)) < 1e-7);
  });

  it('takes beta_2 from the options (the presets\' 0.6, the tutorial\'s 0.999)', async () => {
    // Two steps on the bowl's green channel (0.5 towards 0.45, never clipped), by the Keras formula above.
    const expected = (b2: number) => {
      const { epsilon: eps } = tutorialAdam();
      const [lr, b1] = [0.05, 0.9];
      let [x, m, v] = [0.5, 0, 0];
      for (let t = 1; t <= 2; t++) {
        const g = 2 * (x - 0.45);
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g * g;
        x -= ((lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t)) * (m / (Math.sqrt(v) + eps));
      }
      return x;
    };
    const green = async (beta2: number) => {
      const o = options({ steps: 2, learningRate: 0.05, beta1: 0.9, beta2, learningRateDecay: 'none' });
      return (await stylizeWithOptions({ backend: new BowlBackend(), content: flat(4, 4), styles: [flat(4, 4)], options: o })).image.data[1];
    };
    for (const b2 of [0.6, 0.999]) assert.ok(Math.abs((await green(b2)) - expected(b2)) < 1e-6, `beta2 ${b2}`);
    assert.ok(Math.abs(expected(0.6) - expected(0.999)) > 1e-3, 'the two settings take measurably different steps');
  });
});

describe('outputs larger than the tile size', () => {
  it('are optimised whole up to the tile size, then refined tile by tile at full size', async () => {
    const backend = new BowlBackend();
    const seen: Progress[] = [];
    const r = await stylizeWithOptions({
      backend, content: flat(96, 64), styles: [flat(8, 8)],
      options: options({ multiScale: false, maxSize: 96, tileSize: 40, steps: 4, tileSteps: 40, learningRate: 0.1 }),
      onProgress: (p) => seen.push(p),
    });
    assert.equal(r.outcome, 'done');
    assert.equal(r.image.width, 96);
    assert.equal(r.image.height, 64);
    // One whole stage at 40x26, then tiles of at most 40x40 over 96x64, overlapping.
    assert.deepEqual([backend.problems[0].width, backend.problems[0].height], [40, 26]);
    const tiles = backend.problems.slice(1);
    assert.ok(tiles.length >= 6 && tiles.every((t) => t.width <= 40 && t.height <= 40), `${tiles.length} tiles`);
    assert.equal(seen[seen.length - 1].totalSteps, 4 + 40 * tiles.length);
    assert.deepEqual(seen[seen.length - 1].tile, { index: tiles.length - 1, count: tiles.length });
    // Every pixel was refined towards the bowl's bottom, seams included.
    const target = (i: number) => Math.min(1, Math.max(0, TARGET[i % 3]));
    const err = r.image.data.reduce((m, v, i) => Math.max(m, Math.abs(v - target(i))), 0);
    assert.ok(err < 0.2, `largest distance from the optimum ${err}`);
  });
});
