import { createRaster, type Raster } from '../image/raster';
import { resizeBilinear } from '../image/resize';
import type { Backend, Evaluator, Losses } from './backend';
import { luminanceOnly, matchedLuminance, withContentColors } from './colors';
import { Adam, TUTORIAL_ADAM } from './optim/adam';
import { Lbfgs, DEFAULT_LBFGS } from './optim/lbfgs';
import type { Optimizer } from './optim/optimizer';
import type { StyleOptions } from './options';
import { buildProblem } from './problem';
import { seededRandom } from './random';
import { planStages, type Stage } from './schedule';

export interface Progress {
  /** Steps done over the whole run, and in all. */
  readonly step: number;
  readonly totalSteps: number;
  /** Index of the current scale (0-based) and how many there are. */
  readonly stage: number;
  readonly stages: number;
  readonly width: number;
  readonly height: number;
  readonly losses: Losses;
  readonly elapsedMs: number;
  /** Compute so far in full-size step equivalents (each step weighted by its pixels over the output's). */
  readonly stepEquivalents: number;
}

export type Outcome = 'done' | 'cancelled' | 'diverged';

export interface StylizeResult {
  readonly image: Raster;
  readonly outcome: Outcome;
  /** Why the run stopped early, for the user. */
  readonly message?: string;
  /** The last finite losses seen. */
  readonly losses?: Losses;
  readonly steps: number;
  readonly elapsedMs: number;
  readonly stepEquivalents: number;
}

export interface StylizeRequest {
  readonly backend: Backend;
  readonly content: Raster;
  readonly styles: readonly Raster[];
  readonly options: StyleOptions;
  /** The scales and their steps; planStages(options) unless given (benchmarks try other plans). */
  readonly stages?: readonly Stage[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /** Called after the first step, then every `previewInterval` seconds, with the current image. */
  readonly onPreview?: (image: Raster, p: Progress) => void;
  /** Awaited after every step with the image just evaluated (benchmarks measure it at the output size). */
  readonly onStep?: (image: Raster, p: Progress) => void | Promise<void>;
}

/**
 * The optimisation loop shared by every backend: the backend only evaluates loss and gradient; the optimizer,
 * the scales, progress, previews and cancelling all work on plain arrays here.
 */
export async function stylize(req: StylizeRequest): Promise<StylizeResult> {
  const { backend, options: o, signal } = req;
  const stages = req.stages ?? planStages(o, req.content.height, req.content.width);
  const out = stages[stages.length - 1];
  const totalSteps = stages.reduce((n, s) => n + s.steps, 0);
  const content = o.preserveColors ? luminanceOnly(req.content) : req.content;
  const styles = o.preserveColors ? req.styles.map((s) => matchedLuminance(s, req.content)) : req.styles;
  const t0 = performance.now();
  let lastPreview = -Infinity;
  let step = 0;
  let equivalents = 0;
  let image = initialImage(o, content, stages[0]);
  let optimizer: Optimizer | undefined;
  let best: { image: Float32Array; losses: Losses } | undefined;
  let lastLosses: Losses | undefined;

  const finish = (outcome: Outcome, pixels: Float32Array, stage: Stage, message?: string): StylizeResult => {
    let result = createRaster(stage.width, stage.height, pixels);
    if (o.preserveColors) result = withContentColors(result, resized(req.content, stage));
    return { image: result, outcome, message, losses: lastLosses, steps: step, elapsedMs: performance.now() - t0, stepEquivalents: equivalents };
  };

  for (let si = 0; si < stages.length; si++) {
    const stage = stages[si];
    if (si > 0) {
      const prev = stages[si - 1];
      const resample = (a: Float32Array) => resizeBilinear(createRaster(prev.width, prev.height, a), stage.width, stage.height).data;
      image = resample(image);
      optimizer!.resize(resample);
    }
    optimizer ??= createOptimizer(o, image.length);
    best = undefined;
    const problem = await buildProblem(backend, resized(content, stage), styles, o, stage.longSide);
    const evaluator: Evaluator = await backend.createEvaluator(problem);
    try {
      for (let k = 0; k < stage.steps; k++) {
        if (signal?.aborted) return finish('cancelled', (best?.image ?? image).slice(), stage);
        const { losses, grad } = await evaluator.evaluate(image);
        if (!Number.isFinite(losses.total)) {
          const message = `the loss became ${losses.total} at step ${step + 1}; kept the last good image. Try lower weights or learning rate.`;
          return finish('diverged', (best?.image ?? image).slice(), stage, message);
        }
        step++;
        equivalents += (stage.height * stage.width) / (out.height * out.width);
        lastLosses = losses;
        if (!best || losses.total < best.losses.total) best = { image: image.slice(), losses };
        const p: Progress = {
          step, totalSteps, stage: si, stages: stages.length, width: stage.width, height: stage.height, losses,
          elapsedMs: performance.now() - t0, stepEquivalents: equivalents,
        };
        req.onProgress?.(p);
        if (req.onPreview && p.elapsedMs - lastPreview >= o.previewInterval * 1000) {
          lastPreview = p.elapsedMs;
          req.onPreview(createRaster(stage.width, stage.height, image.slice()), p);
        }
        if (req.onStep) await req.onStep(createRaster(stage.width, stage.height, image.slice()), p);
        optimizer.step(image, losses.total, grad);
      }
    } finally {
      evaluator.dispose();
    }
  }
  return finish('done', image, out);
}

function resized(r: Raster, stage: Stage): Raster {
  return r.width === stage.width && r.height === stage.height ? r : resizeBilinear(r, stage.width, stage.height);
}

function initialImage(o: StyleOptions, content: Raster, stage: Stage): Float32Array {
  if (o.init === 'content') return resized(content, stage).data.slice();
  const random = seededRandom(o.seed);
  const a = new Float32Array(stage.width * stage.height * 3);
  for (let i = 0; i < a.length; i++) a[i] = random();
  return a;
}

function createOptimizer(o: StyleOptions, size: number): Optimizer {
  return o.optimizer === 'lbfgs'
    ? new Lbfgs(DEFAULT_LBFGS)
    : new Adam({ ...TUTORIAL_ADAM, learningRate: o.learningRate }, size);
}
