import { fitLongSide } from '../image/resize';
import type { BackendChoice } from '../common/backends';
import { UserError } from '../common/errors';
import { FAST_MAX_PIXELS, FAST_MAX_SIDE, MIN_CONTENT_SIDE, STYLE_SIDE, paintLongSide } from '../common/fast-limits';
import { paintSize } from './fast/paint-size';
import type { OptimizerPlan } from './optim/create-optimizer';
import { DEFAULT_LBFGS } from './optim/lbfgs';
import { STYLE_OPTION_DEFS, type ColorMode, type OptionName, type StyleOptions } from '../common/options';
import { styleLongSide, type LossTerms, type StyleTargetPlan } from './problem';
import { planStages, type Stage } from './schedule';
import { layersUpTo } from './vgg19';
import type { ConvLayer } from '../common/vgg19-layers';

/**
 * Where the user's options become numbers. This is the only engine code that reads StyleOptions: every later step
 * (the run loop, the style targets, the loss, the optimizer) takes its own part of the plan, so an option can be
 * followed from the option table to here and from here to the one place that uses it.
 */

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** An image a run reads, with the name the user knows it by (for messages). */
export interface NamedSize extends Size {
  readonly name: string;
  /** The image's own size, when it was decoded smaller (see decode-size.ts): its shape at other sizes. */
  readonly source?: Size;
}

export type InitPlan = { readonly kind: 'content' } | { readonly kind: 'noise'; readonly seed: number };

/** The optimisation of the image itself (Gatys et al.) on VGG19. */
export interface OptimizePlan {
  readonly method: 'optimize';
  /** The scales, coarsest first; the last is the output, refined in tiles when it is larger than the tile side. */
  readonly stages: readonly Stage[];
  readonly init: InitPlan;
  readonly styleTargets: StyleTargetPlan;
  readonly loss: LossTerms;
  readonly optimizer: OptimizerPlan;
  /**
   * "luminance": optimise luminance only and put the content's colours back at the end; "histogram": recolour the
   * style images to the content's colour statistics before their targets are measured.
   */
  readonly colors: ColorMode;
  /** A preview after the first step, then at most this often. */
  readonly previewIntervalMs: number;
}

/** One pass of Magenta's arbitrary stylization network (the predictor, then the transformer). */
export interface FastPlan {
  readonly method: 'fast';
  /** The output's size: the content's at the longer side asked for (not resampled when it already is). */
  readonly width: number;
  readonly height: number;
  /** 0 (the content's own style) to 1 (the styles'). */
  readonly strength: number;
  /** Each style image's share of the blended style, summing to 1. */
  readonly blend: readonly number[];
  /** Stroke size: the picture is painted at its size divided by this (see paintSize). */
  readonly styleScale: number;
  readonly colors: ColorMode;
}

/** The longest sides the images are ever needed at (the output's; a style image's at the largest scale). */
export interface InputSides {
  readonly content: number;
  readonly style: number;
}

/** What the optimisation loads: a backend and the VGG19 layers up to the deepest one used. */
export interface BackendPlan {
  readonly backend: BackendChoice;
  readonly layers: readonly ConvLayer[];
}

/** What a loaded backend cannot do (see Backend.maxSide). */
export interface BackendLimits {
  readonly maxSide?: number;
}

/** The tutorial's Adam epsilon, added to sqrt(v) as Keras does; large, so early steps stay small where v is tiny. */
export const ADAM_EPSILON = 0.1;

/** How large the inputs must be decoded, at most: larger ones are decoded already shrunk. */
export function planInputs(o: StyleOptions): InputSides {
  // The fast method crops a style image to its centre square before the predictor sees it at STYLE_SIDE: an
  // elongated one's longer side may be needed at several times that. It paints larger than the output for a
  // stroke size under 1.
  if (o.method === 'fast') return { content: Math.max(o.maxSize, paintLongSide(o.maxSize, o.styleScale)), style: 4 * STYLE_SIDE };
  return { content: o.maxSize, style: styleLongSide(o.maxSize, o.styleScale) };
}

export function planBackend(o: StyleOptions): BackendPlan {
  return { backend: o.backend, layers: layersUpTo([...o.styleLayers, ...o.contentLayers]) };
}

/**
 * The optimisation's plan for a content image and style images of these sizes, on a backend with `limits`, whatever
 * `o.method` says. An image too small for the deepest layer used is refused here, on every backend, before anything
 * is computed.
 */
export function planOptimization(o: StyleOptions, content: NamedSize, styles: readonly NamedSize[], limits: BackendLimits = {}): OptimizePlan {
  const tileSide = Math.min(o.tileSize, limits.maxSide ?? Infinity);
  const layerWeights = normalised(o.styleLayerWeights.length > 0 ? o.styleLayerWeights : o.styleLayers.map(() => 1), o.styleLayers.length);
  const plan: OptimizePlan = {
    method: 'optimize',
    stages: planStages(
      { maxSize: o.maxSize, multiScale: o.multiScale, minSize: o.minSize, steps: o.steps, tileSide, tileSteps: o.tileSteps },
      content.height, content.width,
    ),
    init: o.init === 'noise' ? { kind: 'noise', seed: o.seed } : { kind: 'content' },
    styleTargets: {
      layers: o.styleLayers,
      scale: o.styleScale,
      blend: normalised(o.styleBlendWeights.length > 0 ? o.styleBlendWeights : styles.map(() => 1), 1),
      partSide: tileSide,
    },
    // The reference's `weight / number of layers`, times a per-layer weight normalised to average 1.
    loss: {
      style: o.styleLayers.map((layer, i) => ({ layer, weight: (o.styleWeight / o.styleLayers.length) * layerWeights[i] })),
      content: o.contentLayers.map((layer) => ({ layer, weight: o.contentWeight / o.contentLayers.length })),
      tvWeight: o.tvWeight,
    },
    optimizer:
      o.optimizer === 'lbfgs'
        ? { kind: 'lbfgs', ...DEFAULT_LBFGS }
        : {
            kind: 'adam', learningRate: o.learningRate, beta1: o.beta1, beta2: o.beta2, epsilon: ADAM_EPSILON,
            cosineDecay: o.learningRateDecay === 'cosine',
          },
    colors: o.colors,
    previewIntervalMs: o.previewInterval * 1000,
  };
  // The first scale is optimised whole, so it is at most the largest tile a backend takes.
  const largestFirst = Math.min(STYLE_OPTION_DEFS.maxSize.max, STYLE_OPTION_DEFS.tileSize.max, limits.maxSide ?? Infinity);
  checkSizes(plan, content, styles, largestFirst);
  return plan;
}

const megapixels = (pixels: number) => `${(pixels / 1e6).toFixed(1)} megapixels`;

/**
 * The fast method's plan whatever `o.method` says: only the styles' number matters, not their sizes. A content image
 * too small or too large for it is refused here; `name` spells an option in such messages as its user set it (see
 * crossOptionProblems).
 */
export function planFast(o: StyleOptions, content: NamedSize, styleCount: number, name: OptionName): FastPlan {
  const size = name('maxSize');
  if (o.maxSize > FAST_MAX_SIDE) {
    throw new UserError(`the fast method makes pictures up to ${FAST_MAX_SIDE} px on the longer side; choose ${size} ${FAST_MAX_SIDE} or less, not ${o.maxSize}`);
  }
  const { width, height } = fitLongSide(content.height, content.width, o.maxSize);
  const paint = paintSize({ width, height }, o.styleScale);
  if (Math.min(width, height, paint.width, paint.height) < MIN_CONTENT_SIDE) {
    const painted = paint.width === width && paint.height === height ? '' : ` (painted at ${paint.width}x${paint.height} for ${name('styleScale')} ${o.styleScale})`;
    throw (
      tooThin(content, 'the fast method', MIN_CONTENT_SIDE, FAST_MAX_SIDE) ??
      new UserError(
        `${content.name} is too small for the fast method: at ${width}x${height} px${painted} it must be at least ${MIN_CONTENT_SIDE} ` +
          'px on each side; choose a larger size',
      )
    );
  }
  if (width * height > FAST_MAX_PIXELS) {
    let fits = o.maxSize - 1;
    while (pixelsAt(content, fits) > FAST_MAX_PIXELS) fits--;
    throw new UserError(
      `${content.name} at ${size} ${o.maxSize} would be ${width}x${height} = ${megapixels(width * height)}, over the ` +
        `${megapixels(FAST_MAX_PIXELS)} the fast method makes at most (its memory grows with the pixels); choose ${size} ${fits} or less`,
    );
  }
  if (paint.width * paint.height > FAST_MAX_PIXELS) {
    throw new UserError(
      `${name('styleScale')} ${o.styleScale} paints ${content.name} at ${paint.width}x${paint.height} = ` +
        `${megapixels(paint.width * paint.height)}, over the ${megapixels(FAST_MAX_PIXELS)} the fast method makes at most; ` +
        `choose a larger ${name('styleScale')} or a smaller ${size}`,
    );
  }
  return {
    method: 'fast', width, height, strength: o.styleStrength, styleScale: o.styleScale, colors: o.colors,
    blend: normalised(o.styleBlendWeights.length > 0 ? o.styleBlendWeights : Array.from({ length: styleCount }, () => 1), 1),
  };
}

/** The pixels of `image` fitted to `longSide`. */
function pixelsAt(image: Size, longSide: number): number {
  const { width, height } = fitLongSide(image.height, image.width, longSide);
  return width * height;
}

/**
 * The refusal of `image` when no size up to `largest` (longer side) gives it `side` px on each side, as `what` needs:
 * then "choose a larger size" would not help. Undefined when some size does.
 */
function tooThin(image: NamedSize, what: string, side: number, largest: number): UserError | undefined {
  const own = image.source ?? image;
  const at = fitLongSide(own.height, own.width, largest);
  if (Math.min(at.width, at.height) >= side) return undefined;
  return new UserError(
    `${image.name} is ${own.width}x${own.height} px, too thin for ${what} at any size: it must be at least ${side} px on ` +
      `each side, and even at ${largest} px on its longer side it is ${at.width}x${at.height}; crop it to a less elongated shape`,
  );
}

/**
 * Each 2x2 pool before a layer halves (and floors) the image, and a layer's features need at least one position, so
 * an image must have 2^(pools) pixels on each side for the deepest layer it is measured at; total variation needs 2.
 */
function checkSizes(plan: OptimizePlan, content: NamedSize, styles: readonly NamedSize[], largestFirst: number): void {
  const first = plan.stages[0];
  const all = minimumFor([...plan.loss.style, ...plan.loss.content].map((t) => t.layer));
  if (Math.min(first.width, first.height) < all.side) {
    throw (
      tooThin(content, all.layer, all.side, largestFirst) ??
      new UserError(
        `${content.name} is too small for ${all.layer}: at ${first.width}x${first.height} px (its size at the first scale) it ` +
          `must be at least ${all.side} px on each side; choose a larger size`,
      )
    );
  }
  const { layers, scale, blend } = plan.styleTargets;
  if (layers.length === 0) return;
  const style = minimumFor(layers);
  const side = styleLongSide(first.longSide, scale);
  styles.forEach((s, i) => {
    const scaled = fitLongSide(s.height, s.width, side);
    if (blend[i] === 0 || Math.min(scaled.width, scaled.height) >= style.side) return;
    throw new UserError(
      `style image ${s.name} is too small for ${style.layer}: scaled to ${scaled.width}x${scaled.height} ` +
        `px it must be at least ${style.side} px on each side; use a larger or less elongated style image`,
    );
  });
}

/** The deepest of `layers` and the side an image needs for it (see checkSizes). */
function minimumFor(layers: readonly string[]): { layer: string; side: number } {
  const path = layersUpTo(layers);
  const pools = path.slice(0, -1).filter((l) => l.poolAfter).length;
  return { layer: path[path.length - 1].name, side: Math.max(2, 2 ** pools) };
}

/** Scales non-negative weights so that they sum to `total`. */
function normalised(ws: readonly number[], total: number): number[] {
  const sum = ws.reduce((a, b) => a + b, 0);
  return ws.map((w) => (sum > 0 ? (w * total) / sum : 0));
}
