import { createRaster, type Raster } from '../image/raster';
import { resizeBilinear } from '../image/resize';
import type { Backend, Evaluator, Losses } from './backend';
import { luminanceOnly, matchedLuminance, withContentColors } from './colors';
import { Adam, TUTORIAL_ADAM } from './optim/adam';
import { Lbfgs, DEFAULT_LBFGS } from './optim/lbfgs';
import type { Optimizer } from './optim/optimizer';
import type { StyleOptions } from './options';
import { lossProblem, styleTargets } from './problem';
import { seededRandom } from './random';
import { planStages, stageEquivalents, stageEvaluations, type Stage } from './schedule';
import { crop, paste, type Tile } from './tiles';

export interface Progress {
  /** Steps done over the whole run, and in all. */
  readonly step: number;
  readonly totalSteps: number;
  /** Index of the current scale (0-based) and how many there are. */
  readonly stage: number;
  readonly stages: number;
  /** In a tiled stage, the tile being refined (0-based) and how many there are. */
  readonly tile?: { readonly index: number; readonly count: number };
  /** The size of the image at this scale (the whole image, also while a tile of it is refined). */
  readonly width: number;
  readonly height: number;
  /** Losses of the image, or of the tile being refined, at this step. */
  readonly losses: Losses;
  readonly elapsedMs: number;
  /** Compute so far in full-size step equivalents (each step weighted by its pixels over the output's). */
  readonly stepEquivalents: number;
  /** The whole run's compute in the same unit, as planned. */
  readonly totalStepEquivalents: number;
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
  /** Made when the region's first step is due, so that nothing it needs delays an earlier step. */
  readonly evaluator: () => Promise<Evaluator>;
  /** Evaluates the first step instead, when that can be done sooner (see `startsAtContent`). */
  readonly firstStep?: () => Promise<Evaluator>;
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
  private readonly o: StyleOptions;
  private readonly stages: readonly Stage[];
  private readonly out: Stage;
  private readonly totalSteps: number;
  private readonly totalEquivalents: number;
  private readonly content: Raster;
  private readonly styles: readonly Raster[];
  private readonly t0 = performance.now();
  private lastPreview = -Infinity;
  private step = 0;
  private equivalents = 0;
  private lastLosses: Losses | undefined;

  constructor(private readonly req: StylizeRequest) {
    this.o = req.options;
    this.stages = req.stages ?? planStages(this.o, req.content.height, req.content.width, Math.min(this.o.tileSize, req.backend.maxSide ?? Infinity));
    this.out = this.stages[this.stages.length - 1];
    this.totalSteps = this.stages.reduce((n, s) => n + stageEvaluations(s), 0);
    this.totalEquivalents = this.stages.reduce((n, s) => n + stageEquivalents(s, this.out), 0);
    this.content = this.o.preserveColors ? luminanceOnly(req.content) : req.content;
    this.styles = this.o.preserveColors ? req.styles.map((s) => matchedLuminance(s, req.content)) : req.styles;
  }

  async run(): Promise<StylizeResult> {
    const { backend } = this.req;
    const maxSide = Math.min(this.o.tileSize, backend.maxSide ?? Infinity);
    let image = initialImage(this.o, this.content, this.stages[0]);
    let optimizer: Optimizer | undefined;
    for (let si = 0; si < this.stages.length; si++) {
      const stage = this.stages[si];
      if (si > 0) {
        const prev = this.stages[si - 1];
        const resample = (a: Float32Array) => resizeBilinear(createRaster(prev.width, prev.height, a), stage.width, stage.height).data;
        image = resample(image);
        optimizer?.resize(resample);
      }
      const content = resized(this.content, stage);
      const grams = await styleTargets(backend, this.styles, this.o, stage.longSide, maxSide);
      const asRaster = (pixels: Float32Array) => createRaster(stage.width, stage.height, pixels);
      if (!stage.tiles) {
        optimizer ??= createOptimizer(this.o, image.length);
        const evaluator = async () => backend.createEvaluator(await lossProblem(backend, content, grams, this.o));
        // At the content image the content term and its gradient are zero: the first step needs no content
        // features, so it runs (and shows its preview) before the forward pass that computes them.
        const startsAtContent = si === 0 && this.o.init === 'content' && this.o.contentLayers.length > 0 && this.o.styleLayers.length > 0;
        const firstStep = startsAtContent
          ? async () => backend.createEvaluator(await lossProblem(backend, content, grams, { ...this.o, contentLayers: [] }))
          : undefined;
        const stop = await this.optimize({ stage: si, pixels: image, evaluator, firstStep, optimizer, steps: stage.steps, whole: asRaster });
        if (stop) return this.finish(stop.outcome, stop.pixels, stage, stop.message);
        continue;
      }
      // Tiles are refined one after another; each starts from the image as its neighbours left it.
      const whole = asRaster(image);
      const feather = Math.round(Math.min(stage.tiles[0].width, stage.tiles[0].height) / 8);
      for (const [index, tile] of stage.tiles.entries()) {
        const pixels = crop(whole, tile).data;
        const evaluator = async () => backend.createEvaluator(await lossProblem(backend, crop(content, tile), grams, this.o));
        const withTile = (p: Float32Array) => {
          const view = asRaster(image.slice());
          paste(view, p, tile, 0);
          return view;
        };
        const stop = await this.optimize({
          stage: si, tile: { index, count: stage.tiles.length }, pixels, evaluator,
          optimizer: createOptimizer(this.o, pixels.length), steps: stage.steps, whole: withTile,
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
    let evaluator = await (r.firstStep ?? r.evaluator)();
    try {
      for (let k = 0; k < r.steps; k++) {
        if (req.signal?.aborted) return { outcome: 'cancelled', pixels: best?.pixels ?? r.pixels.slice() };
        if (k === 1 && r.firstStep) {
          // Freed before the next is built (dispose is idempotent): two loss sessions at once would raise the peak.
          evaluator.dispose();
          evaluator = await r.evaluator();
        }
        const { losses, grad } = await evaluator.evaluate(r.pixels);
        if (!Number.isFinite(losses.total)) {
          const message = `the loss became ${losses.total} at step ${this.step + 1}; kept the last good image. Try lower weights or learning rate.`;
          return { outcome: 'diverged', pixels: best?.pixels ?? r.pixels.slice(), message };
        }
        this.step++;
        this.equivalents += share;
        this.lastLosses = losses;
        if (!best || losses.total < best.total) best = { pixels: r.pixels.slice(), total: losses.total };
        const p: Progress = {
          step: this.step, totalSteps: this.totalSteps, stage: r.stage, stages: this.stages.length, tile: r.tile,
          width: region.width, height: region.height, losses, elapsedMs: performance.now() - this.t0, stepEquivalents: this.equivalents,
          totalStepEquivalents: this.totalEquivalents,
        };
        req.onProgress?.(p);
        if (req.onPreview && p.elapsedMs - this.lastPreview >= this.o.previewInterval * 1000) {
          this.lastPreview = p.elapsedMs;
          req.onPreview(r.whole(r.pixels.slice()), p);
        }
        if (req.onStep) await req.onStep(r.whole(r.pixels.slice()), p);
        r.optimizer.step(r.pixels, losses.total, grad);
      }
      return undefined;
    } finally {
      evaluator.dispose();
    }
  }

  private finish(outcome: Outcome, pixels: Float32Array, stage: Stage, message?: string): StylizeResult {
    let image = createRaster(stage.width, stage.height, pixels);
    if (this.o.preserveColors) image = withContentColors(image, resized(this.req.content, stage));
    return {
      image, outcome, message, losses: this.lastLosses, steps: this.step,
      elapsedMs: performance.now() - this.t0, stepEquivalents: this.equivalents,
    };
  }
}

function resized(r: Raster, size: { width: number; height: number }): Raster {
  return r.width === size.width && r.height === size.height ? r : resizeBilinear(r, size.width, size.height);
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
    : new Adam({ ...TUTORIAL_ADAM, learningRate: o.learningRate, beta1: o.beta1, beta2: o.beta2, cosineDecay: o.learningRateDecay === 'cosine' }, size);
}

export type { Tile };
