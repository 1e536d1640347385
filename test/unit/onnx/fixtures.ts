import type { Backend, LossProblem } from '../../../src/engine/backend';
import { seededRandom } from '../../../src/engine/random';
import { createRaster, type Raster } from '../../../src/image/raster';

export function randomRaster(width: number, height: number, seed: number): Raster {
  const r = seededRandom(seed);
  return createRaster(width, height, Float32Array.from({ length: width * height * 3 }, () => r()));
}

/**
 * A smooth colour pattern (two random plane waves per channel, in [0, 1]): as unlike noise as a painting is, so
 * that a loss between the two is not a small difference of nearly equal Gram matrices.
 */
export function patternRaster(width: number, height: number, seed: number): Raster {
  const r = seededRandom(seed);
  const waves = Array.from({ length: 6 }, () => ({ fx: r() * 0.8, fy: r() * 0.8, phase: r() * 2 * Math.PI }));
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const [a, b] = [waves[2 * c], waves[2 * c + 1]];
        data[(y * width + x) * 3 + c] =
          0.5 + 0.25 * (Math.sin(a.fx * x + a.fy * y + a.phase) + Math.sin(b.fx * x + b.fy * y + b.phase));
      }
    }
  }
  return createRaster(width, height, data);
}

export interface ProblemSpec {
  readonly width: number;
  readonly height: number;
  readonly style: readonly string[];
  readonly content: readonly string[];
  /** Total style and content weights, split evenly over their layers as the tutorial does. */
  readonly styleWeight: number;
  readonly contentWeight: number;
  readonly tvWeight: number;
}

/** The tutorial's layers and weights. */
export const TUTORIAL = {
  style: ['block1_conv1', 'block2_conv1', 'block3_conv1', 'block4_conv1', 'block5_conv1'],
  content: ['block5_conv2'],
  styleWeight: 1e-2,
  contentWeight: 1e4,
  tvWeight: 30,
} as const;

/** A problem whose targets `targets` computes from two patterns (see patternRaster) of the problem's size. */
export async function patternProblem(targets: Backend, spec: ProblemSpec, seed: number): Promise<LossProblem> {
  const grams = await targets.grams(patternRaster(spec.width, spec.height, seed), spec.style);
  const features = await targets.features(patternRaster(spec.width, spec.height, seed + 1), spec.content);
  return {
    width: spec.width,
    height: spec.height,
    style: spec.style.map((layer) => ({ layer, gram: grams.get(layer)!, weight: spec.styleWeight / spec.style.length })),
    content: spec.content.map((layer) => ({
      layer,
      features: features.get(layer)!,
      weight: spec.contentWeight / spec.content.length,
    })),
    tvWeight: spec.tvWeight,
  };
}

/** max |a - b| / max |b|: the agreement measure of arrays whose small entries are noise relative to the large. */
export function maxRelativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
