import type { Raster } from '../../../src/image/raster';
import { DOG, KANDINSKY, STARRY_NIGHT } from '../../helpers/shared-data';
import { patternRaster, randomRaster } from '../onnx/fixtures';

/**
 * The inputs of fast mode's reference outputs (test/fixtures/fast, made by scripts/tflite-reference with the real
 * TFLite runtime): images generated here, the same on every machine, and photos that the tests use only where the
 * shared test data is present.
 */
export const REFERENCE_STYLES: Readonly<Record<string, () => Raster>> = {
  'pattern-256-seed5': () => patternRaster(256, 256, 5),
  'noise-256-seed6': () => randomRaster(256, 256, 6),
};

export const REFERENCE_PHOTOS: Readonly<Record<string, string>> = {
  dog: DOG,
  'starry-night': STARRY_NIGHT,
  kandinsky: KANDINSKY,
};

/** The transformer's reference: this content, stylized with the TFLite predictor's vector of this style. */
export const REFERENCE_TRANSFER = {
  content: () => patternRaster(384, 384, 7),
  style: 'pattern-256-seed5',
  /** Every `stride`-th pixel of every `stride`-th row is stored, to keep the file small. */
  stride: 3,
  file: 'transfer-pattern-384-seed7.f32',
} as const;

export const REFERENCE_FILE = 'references.json';

export interface References {
  readonly about: string;
  /** The predictor's output quantization step (its last tensor's scale). */
  readonly predictorStep: number;
  /** TFLite's style vector of each reference style and photo. */
  readonly styleVectors: Readonly<Record<string, readonly number[]>>;
  /** How fast mode compared with TFLite on the whole transformer output when the references were made. */
  readonly measured: Readonly<Record<string, number>>;
}

/** Every `stride`-th pixel of every `stride`-th row, starting at the top left. */
export function subsample(r: Raster, stride: number): Raster {
  const width = Math.ceil(r.width / stride);
  const height = Math.ceil(r.height / stride);
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * stride * r.width + x * stride) * 3;
      data.set(r.data.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`${a.length} values against ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Peak signal-to-noise ratio of values in [0, 1], in dB. */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`${a.length} values against ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return 10 * Math.log10(a.length / sum);
}
