import type { BackendName } from '../common/backends';
import type { Raster } from '../image/raster';
import type { Losses } from '../common/report';

/** Activations of one layer for one image, HWC like the rasters. */
export interface FeatureMap {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly data: Float32Array;
}

/**
 * The loss of one optimisation problem at one image size, with its targets fixed. Coefficients are final:
 * a style term contributes `weight * mean((gram(F_l) - gram)^2)`, a content term
 * `weight * mean((F_l - features)^2)`, and total variation `tvWeight * sum |x[i,j+1]-x[i,j]| + |x[i+1,j]-x[i,j]|`.
 */
export interface LossProblem {
  readonly height: number;
  readonly width: number;
  readonly style: ReadonlyArray<{ readonly layer: string; readonly gram: Float32Array; readonly weight: number }>;
  readonly content: ReadonlyArray<{ readonly layer: string; readonly features: FeatureMap; readonly weight: number }>;
  readonly tvWeight: number;
}

export interface Evaluation {
  readonly losses: Losses;
  /** d total / d image, same layout as the image (HWC RGB). */
  readonly grad: Float32Array;
}

/** The one backend-specific step of a run: image in, losses and image gradient out. */
export interface Evaluator {
  evaluate(image: Float32Array): Promise<Evaluation>;
  /** Frees what it holds; calling it again does nothing. */
  dispose(): void;
}

export interface Backend {
  readonly name: BackendName;
  /** What runs underneath, for the panel and the CLI (e.g. "wasm, SIMD, 1 thread"). */
  readonly detail: string;
  /**
   * The longest image side it can optimise whole, where its memory runs out first (the wasm heap is capped at
   * 4 GB); larger images are refined in tiles of this size. Undefined: as large as the tile size setting.
   */
  readonly maxSide?: number;
  /**
   * Forward pass up to the deepest of `layers`. The image goes through the caffe preprocessing unless `raw`,
   * in which case it is only multiplied by 255 (how the tutorial printed its first table).
   */
  features(image: Raster, layers: readonly string[], raw?: boolean): Promise<Map<string, FeatureMap>>;
  /** Gram matrices (C x C, divided by H*W) of the preprocessed image's activations. */
  grams(image: Raster, layers: readonly string[]): Promise<Map<string, Float32Array>>;
  createEvaluator(problem: LossProblem): Promise<Evaluator>;
  dispose(): void;
}
