import { createRaster, type Raster } from '../image/raster';
import { atSize, resizeBilinear } from '../image/resize';
import type { Backend, Evaluator } from './backend';
import type { Losses } from '../common/report';
import { colorMatched, luminanceOnly, matchedLuminance, withContentColors } from './colors';
import { createOptimizer } from './optim/create-optimizer';
import type { Optimizer } from './optim/optimizer';
import type { InitPlan, OptimizePlan } from './plan';
import { lossProblem, styleTargets } from './problem';
import { seededRandom } from './random';
import type { Outcome, Progress, RunReport } from '../common/report';
import { stageEquivalents, stageEvaluations, type Stage } from './schedule';
import { Throttle } from '../common/throttle';
import { crop, paste } from './tiles';

/** A finished optimisation: how it ended, and its picture. */
export interface StylizeResult extends RunReport {
  readonly image: Raster;
}

export interface StylizeRequest {
  readonly backend: Backend;
  readonly content: Raster;
  readonly styles: readonly Raster[];
  readonly plan: OptimizePlan;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /** Called (and awaited) after the first step, then every `plan.previewIntervalMs`, with the current image. */
  readonly onPreview?: (image: Raster, p: Progress) => void | Promise<void>;
}

/** Where a run stopped early: the image to keep and why. */
interface Stop {
  readonly outcome: 'cancelled' | 'diverged';
  readonly pixels: Float32Array;
  readonly message?: string;
}

/** A piece of work for the optimizer: the pixels it moves, and how they look as the whole image for previews. */
interface Region {
  readonly stage: number;
  readonly tile?: Progress['tile'];
  readonly pixels: Float32Array;
  readonly evaluator: Evaluator;
  readonly optimizer: Optimizer;
  readonly steps: number;
  /** The whole image of the stage with `pixels` in place. */
  readonly whole: (pixels: Float32Array) => Raster;
}

/**
 * The optimisation loop shared by every backend: the backend only evaluates loss and gradient; the optimizer,
 * the scales, tiles, progress, previews and cancelling all work on plain arrays here.
 */
export function stylize(req: StylizeRequest): Promise<StylizeResult> {
  return new Run(req).run();
}

class Run {
  private readonly plan: OptimizePlan;
  private readonly out: Stage;
  private readonly totalSteps: number;
  private readonly totalEquivalents: number;
  private readonly content: Raster;
  private readonly styles: readonly Raster[];
  private readonly t0 = performance.now();
  private readonly previews: Throttle;
  private step = 0;
  private equivalents = 0;
  private lastLosses: Losses | undefined;

  constructor(private readonly req: StylizeRequest) {
    this.plan = req.plan;
    const { stages } = this.plan;
    this.out = stages[stages.length - 1];
    this.totalSteps = stages.reduce((n, s) => n + stageEvaluations(s), 0);
    this.totalEquivalents = stages.reduce((n, s) => n + stageEquivalents(s, this.out), 0);
    this.previews = new Throttle(this.plan.previewIntervalMs);
    const { colors } = this.plan;
    this.content = colors === 'luminance' ? luminanceOnly(req.content) : req.content;
    this.styles =
      colors === 'luminance' ? req.styles.map((s) => matchedLuminance(s, req.content))
      : colors === 'histogram' ? req.styles.map((s) => colorMatched(s, req.content))
      : req.styles;
  }

  async run(): Promise<StylizeResult> {
    const { backend } = this.req;
    const { stages, loss } = this.plan;
    let image = initialImage(this.plan.init, this.content, stages[0]);
    let optimizer: Optimizer | undefined;
    for (let si = 0; si < stages.length; si++) {
      const stage = stages[si];
      if (si > 0) {
        const prev = stages[si - 1];
        const resample = (a: Float32Array) => resizeBilinear(createRaster(prev.width, prev.height, a), stage.width, stage.height).data;
        image = resample(image);
        optimizer?.resize(resample);
      }
      const content = atSize(this.content, stage);
      const grams = await styleTargets(backend, this.styles, this.plan.styleTargets, stage.longSide);
      const lossOf = (c: Raster, terms = loss) => async () => backend.createEvaluator(await lossProblem(backend, c, grams, terms));
      const asRaster = (pixels: Float32Array) => createRaster(stage.width, stage.height, pixels);
      if (!stage.tiles) {
        optimizer ??= createOptimizer(this.plan.optimizer, image.length);
        // At the content image the content term and its gradient are zero: the first step needs no content
        // features, so it runs (and shows its preview) before the forward pass that computes them.
        const startsAtContent = si === 0 && this.plan.init.kind === 'content' && loss.content.length > 0 && loss.style.length > 0;
        const evaluator = startsAtContent ? evaluatorWhenDue(lossOf(content, { ...loss, content: [] }), lossOf(content)) : evaluatorWhenDue(lossOf(content));
        const stop = await this.optimize({ stage: si, pixels: image, evaluator, optimizer, steps: stage.steps, whole: asRaster });
        if (stop) return this.finish(stop.outcome, stop.pixels, stage, stop.message);
        continue;
      }
      // Tiles are refined one after another; each starts from the image as its neighbours left it.
      const whole = asRaster(image);
      const feather = Math.round(Math.min(stage.tiles[0].width, stage.tiles[0].height) / 8);
      for (const [index, tile] of stage.tiles.entries()) {
        const pixels = crop(whole, tile).data;
        const withTile = (p: Float32Array) => {
          const view = asRaster(image.slice());
          paste(view, p, tile, 0);
          return view;
        };
        const stop = await this.optimize({
          stage: si, tile: { index, count: stage.tiles.length }, pixels, evaluator: evaluatorWhenDue(lossOf(crop(content, tile))),
          optimizer: createOptimizer(this.plan.optimizer, pixels.length), steps: stage.steps, whole: withTile,
        });
        paste(whole, stop?.pixels ?? pixels, tile, feather);
        if (stop) return this.finish(stop.outcome, image, stage, stop.message);
      }
    }
    return this.finish('done', image, this.out);
  }

  /** Runs `r.steps` steps on a region; returns why it stopped early, with the best pixels it saw, if it did. */
  private async optimize(r: Region): Promise<Stop | undefined> {
    const { req } = this;
    r.optimizer.beginStage?.(r.steps);
    let best: { pixels: Float32Array; total: number } | undefined;
    const region = r.whole(r.pixels);
    const share = (r.pixels.length / 3) / (this.out.width * this.out.height);
    try {
      for (let k = 0; k < r.steps; k++) {
        if (req.signal?.aborted) return { outcome: 'cancelled', pixels: best?.pixels ?? r.pixels.slice() };
        const { losses, grad } = await r.evaluator.evaluate(r.pixels);
        if (!Number.isFinite(losses.total)) {
          const message = `the loss became ${losses.total} at step ${this.step + 1}; kept the last good image. Try lower weights or learning rate.`;
          return { outcome: 'diverged', pixels: best?.pixels ?? r.pixels.slice(), message };
        }
        this.step++;
        this.equivalents += share;
        this.lastLosses = losses;
        if (!best || losses.total < best.total) best = { pixels: r.pixels.slice(), total: losses.total };
        const p: Progress = {
          step: this.step, totalSteps: this.totalSteps, stage: r.stage, stages: this.plan.stages.length, tile: r.tile,
          width: region.width, height: region.height, losses, elapsedMs: performance.now() - this.t0, stepEquivalents: this.equivalents,
          totalStepEquivalents: this.totalEquivalents,
        };
        req.onProgress?.(p);
        if (req.onPreview && this.previews.due(p.elapsedMs)) await req.onPreview(r.whole(r.pixels.slice()), p);
        r.optimizer.step(r.pixels, losses.total, grad);
      }
      return undefined;
    } finally {
      r.evaluator.dispose();
    }
  }

  private finish(outcome: Outcome, pixels: Float32Array, stage: Stage, message?: string): StylizeResult {
    let image = createRaster(stage.width, stage.height, pixels);
    if (this.plan.colors === 'luminance') image = withContentColors(image, atSize(this.req.content, stage));
    return {
      image, outcome, message, losses: this.lastLosses, steps: this.step, elapsedMs: performance.now() - this.t0,
      stepEquivalents: this.equivalents, width: image.width, height: image.height,
    };
  }
}

/**
 * An evaluator made when its first evaluation is due, so that nothing it needs delays an earlier step. With `then`,
 * only the first evaluation uses `first`'s; `then`'s serves the rest, made after the first is freed (two loss
 * sessions at once would raise the peak memory).
 */
function evaluatorWhenDue(first: () => Promise<Evaluator>, then?: () => Promise<Evaluator>): Evaluator {
  let current: Evaluator | undefined;
  let evaluations = 0;
  return {
    async evaluate(image) {
      if (evaluations === 1 && then) {
        current?.dispose();
        current = undefined;
      }
      current ??= await (evaluations === 0 || !then ? first() : then());
      evaluations++;
      return current.evaluate(image);
    },
    dispose() {
      current?.dispose();
      current = undefined;
    },
  };
}


function initialImage(init: InitPlan, content: Raster, stage: Stage): Float32Array {
  if (init.kind === 'content') return atSize(content, stage).data.slice();
  const random = seededRandom(init.seed);
  const a = new Float32Array(stage.width * stage.height * 3);
  for (let i = 0; i < a.length; i++) a[i] = random();
  return a;
}
