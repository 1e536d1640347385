import { fitLongSide, resizeBilinear } from '../image/resize';
import type { Raster } from '../image/raster';
import type { Backend, LossProblem } from './backend';
import type { StyleOptions } from './options';

/**
 * The loss at one scale: content features of the content image at that size, style Grams of each style image
 * (its longer side `styleScale` times the scale's), blended by weight, and the final coefficients of every term
 * (the reference's `weight / number of layers`, times a per-layer weight normalised to average 1).
 */
export async function buildProblem(
  backend: Backend,
  content: Raster,
  styles: readonly Raster[],
  o: StyleOptions,
  longSide: number,
): Promise<LossProblem> {
  const contentFeatures = o.contentLayers.length > 0 ? await backend.features(content, o.contentLayers) : new Map();
  const blend = normalised(o.styleBlendWeights.length > 0 ? o.styleBlendWeights : styles.map(() => 1), 1);
  const grams = new Map<string, Float32Array>();
  for (let i = 0; i < styles.length && o.styleLayers.length > 0; i++) {
    if (blend[i] === 0) continue;
    const s = styles[i];
    const size = fitLongSide(s.height, s.width, Math.max(16, Math.round(longSide * o.styleScale)));
    const resized = size.height === s.height && size.width === s.width ? s : resizeBilinear(s, size.width, size.height);
    for (const [layer, g] of await backend.grams(resized, o.styleLayers)) {
      const acc = grams.get(layer) ?? new Float32Array(g.length);
      for (let k = 0; k < g.length; k++) acc[k] += blend[i] * g[k];
      grams.set(layer, acc);
    }
  }
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
