import { atSize, fitLongSide } from '../image/resize';
import type { Raster } from '../image/raster';
import type { Backend, LossProblem } from './backend';
import { crop, partition } from './tiles';
import { featureSize } from './vgg19';

/** One VGG19 layer's loss term with its final coefficient (see LossProblem). */
export interface LayerTerm {
  readonly layer: string;
  readonly weight: number;
}

export interface LossTerms {
  readonly style: readonly LayerTerm[];
  readonly content: readonly LayerTerm[];
  readonly tvWeight: number;
}

/** How the style images become Gram-matrix targets at each scale (see styleTargets). */
export interface StyleTargetPlan {
  readonly layers: readonly string[];
  /** A style image's longer side relative to the scale's. */
  readonly scale: number;
  /** Each style image's share of the targets, summing to 1. */
  readonly blend: readonly number[];
  /** Style images longer than this are measured in parts, to bound memory. */
  readonly partSide: number;
}

/** The longer side a style image is measured at for a scale whose longer side is `longSide`. */
export function styleLongSide(longSide: number, styleScale: number): number {
  return Math.max(16, Math.round(longSide * styleScale));
}

/**
 * The style targets at one scale: Gram matrices of each style image (its longer side `scale` times the scale's),
 * blended by weight. A style image larger than `partSide` is measured in parts: the Gram matrix is a sum over
 * positions, so the parts' sums add up to the whole's (up to the parts' borders), in bounded memory.
 */
export async function styleTargets(
  backend: Backend,
  styles: readonly Raster[],
  t: StyleTargetPlan,
  longSide: number,
): Promise<Map<string, Float32Array>> {
  const grams = new Map<string, Float32Array>();
  if (t.layers.length === 0) return grams;
  for (let i = 0; i < styles.length; i++) {
    if (t.blend[i] === 0) continue;
    const s = styles[i];
    const size = fitLongSide(s.height, s.width, styleLongSide(longSide, t.scale));
    const resized = atSize(s, size);
    const parts = partition(resized.width, resized.height, t.partSide);
    const positions = (layer: string, h: number, w: number) => {
      const f = featureSize(layer, h, w);
      return f.height * f.width;
    };
    for (const part of parts) {
      const image = parts.length === 1 ? resized : crop(resized, part);
      for (const [layer, g] of await backend.grams(image, t.layers)) {
        const share = positions(layer, part.height, part.width) / parts.reduce((n, p) => n + positions(layer, p.height, p.width), 0);
        const acc = grams.get(layer) ?? new Float32Array(g.length);
        for (let k = 0; k < g.length; k++) acc[k] += t.blend[i] * share * g[k];
        grams.set(layer, acc);
      }
    }
  }
  return grams;
}

/** The loss of one image (or tile): the terms' coefficients, the content features of `content`, the style targets. */
export async function lossProblem(
  backend: Backend,
  content: Raster,
  grams: ReadonlyMap<string, Float32Array>,
  terms: LossTerms,
): Promise<LossProblem> {
  const contentLayers = terms.content.map((t) => t.layer);
  const contentFeatures = contentLayers.length > 0 ? await backend.features(content, contentLayers) : new Map();
  return {
    height: content.height,
    width: content.width,
    style: terms.style.map(({ layer, weight }) => ({ layer, gram: grams.get(layer)!, weight })),
    content: terms.content.map(({ layer, weight }) => ({ layer, features: contentFeatures.get(layer)!, weight })),
    tvWeight: terms.tvWeight,
  };
}
