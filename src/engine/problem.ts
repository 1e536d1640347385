import { fitLongSide, resizeBilinear } from '../image/resize';
import type { Raster } from '../image/raster';
import type { Backend, LossProblem } from './backend';
import type { StyleOptions } from './options';
import { crop, partition } from './tiles';
import { featureSize } from './vgg19';

/** The longer side a style image is measured at for a scale whose longer side is `longSide`. */
export function styleLongSide(longSide: number, styleScale: number): number {
  return Math.max(16, Math.round(longSide * styleScale));
}

/**
 * The style targets at one scale: Gram matrices of each style image (its longer side `styleScale` times the
 * scale's), blended by weight. A style image larger than `maxSide` is measured in parts: the Gram matrix is a sum
 * over positions, so the parts' sums add up to the whole's (up to the parts' borders), in bounded memory.
 */
export async function styleTargets(
  backend: Backend,
  styles: readonly Raster[],
  o: StyleOptions,
  longSide: number,
  maxSide: number,
): Promise<Map<string, Float32Array>> {
  const blend = normalised(o.styleBlendWeights.length > 0 ? o.styleBlendWeights : styles.map(() => 1), 1);
  const grams = new Map<string, Float32Array>();
  if (o.styleLayers.length === 0) return grams;
  for (let i = 0; i < styles.length; i++) {
    if (blend[i] === 0) continue;
    const s = styles[i];
    const size = fitLongSide(s.height, s.width, styleLongSide(longSide, o.styleScale));
    const resized = size.height === s.height && size.width === s.width ? s : resizeBilinear(s, size.width, size.height);
    const parts = partition(resized.width, resized.height, maxSide);
    const positions = (layer: string, h: number, w: number) => {
      const f = featureSize(layer, h, w);
      return f.height * f.width;
    };
    for (const part of parts) {
      const image = parts.length === 1 ? resized : crop(resized, part);
      for (const [layer, g] of await backend.grams(image, o.styleLayers)) {
        const share = positions(layer, part.height, part.width) / parts.reduce((n, p) => n + positions(layer, p.height, p.width), 0);
        const acc = grams.get(layer) ?? new Float32Array(g.length);
        for (let k = 0; k < g.length; k++) acc[k] += blend[i] * share * g[k];
        grams.set(layer, acc);
      }
    }
  }
  return grams;
}

/**
 * The loss of one image (or tile): content features of `content`, the given style targets, and the final
 * coefficients of every term (the reference's `weight / number of layers`, times a per-layer weight normalised
 * to average 1).
 */
export async function lossProblem(
  backend: Backend,
  content: Raster,
  grams: ReadonlyMap<string, Float32Array>,
  o: StyleOptions,
): Promise<LossProblem> {
  const contentFeatures = o.contentLayers.length > 0 ? await backend.features(content, o.contentLayers) : new Map();
  const layerWeights = normalised(
    o.styleLayerWeights.length > 0 ? o.styleLayerWeights : o.styleLayers.map(() => 1),
    o.styleLayers.length,
  );
  return {
    height: content.height,
    width: content.width,
    style: o.styleLayers.map((layer, i) => ({
      layer,
      gram: grams.get(layer)!,
      weight: (o.styleWeight / o.styleLayers.length) * layerWeights[i],
    })),
    content: o.contentLayers.map((layer) => ({
      layer,
      features: contentFeatures.get(layer)!,
      weight: o.contentWeight / o.contentLayers.length,
    })),
    tvWeight: o.tvWeight,
  };
}

/** Scales non-negative weights so that they sum to `total`. */
function normalised(ws: readonly number[], total: number): number[] {
  const sum = ws.reduce((a, b) => a + b, 0);
  return ws.map((w) => (sum > 0 ? (w * total) / sum : 0));
}
