/**
 * An RGB image as the engine sees it: float32, row-major, channels interleaved (HWC), values in [0, 1].
 * Every layer speaks this one format so that no backend's tensor type leaks across the engine's boundary.
 */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function createRaster(width: number, height: number, data?: Float32Array): Raster {
  const n = width * height * 3;
  if (data && data.length !== n) {
    throw new Error(`raster data has ${data.length} values, ${width}x${height}x3 needs ${n}`);
  }
  return { width, height, data: data ?? new Float32Array(n) };
}

/** A value clipped to [0, 1], where every pixel of a raster lies (the optimizers clip every proposal, as the tutorial does). */
export function intoBox(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
