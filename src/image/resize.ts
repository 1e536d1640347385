import { type Raster, createRaster } from './raster';

const f32 = Math.fround;

/** For one output row or column: the two source indices it blends and the weight of the second. */
interface Taps {
  readonly lower: Int32Array;
  readonly upper: Int32Array;
  readonly lerp: Float32Array;
}

/**
 * TF's `compute_interpolation_weights` with the half-pixel scaler, in float32 as TF computes it, so that the
 * same inputs give the same taps (an index off by one at a boundary would be a visible difference).
 */
function taps(inSize: number, outSize: number): Taps {
  const scale = f32(inSize / outSize);
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const lerp = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = f32(f32(f32(i + 0.5) * scale) - 0.5);
    const floor = Math.floor(src);
    lower[i] = Math.max(floor, 0);
    upper[i] = Math.min(Math.ceil(src), inSize - 1);
    lerp[i] = f32(src - floor);
  }
  return { lower, upper, lerp };
}

/**
 * Bilinear resize exactly as TF2's `tf.image.resize(method='bilinear', antialias=False)` (half-pixel centres,
 * edges clamped, arithmetic in float32). Downscaling does not antialias: that is what the reference does.
 */
export function resizeBilinear(r: Raster, width: number, height: number): Raster {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`cannot resize to ${width}x${height}: sizes must be positive integers`);
  }
  const xs = taps(r.width, width);
  const ys = taps(r.height, height);
  const src = r.data;
  const out = new Float32Array(width * height * 3);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const top = ys.lower[y] * r.width * 3;
    const bottom = ys.upper[y] * r.width * 3;
    const dy = ys.lerp[y];
    for (let x = 0; x < width; x++) {
      const left = xs.lower[x] * 3;
      const right = xs.upper[x] * 3;
      const dx = xs.lerp[x];
      for (let c = 0; c < 3; c++) {
        const tl = src[top + left + c];
        const bl = src[bottom + left + c];
        const t = f32(tl + f32(f32(src[top + right + c] - tl) * dx));
        const b = f32(bl + f32(f32(src[bottom + right + c] - bl) * dx));
        out[o++] = t + f32(f32(b - t) * dy);
      }
    }
  }
  return createRaster(width, height, out);
}

/**
 * The reference's size for an image whose longer side becomes `maxSide`:
 * `scale = max_dim / max(shape)`, `new_shape = int32(float32(shape) * scale)`, all in float32 as TF does it.
 * TF's float32 rounding makes the long side `maxSide - 1` for about one size in eight (at 512: 564, 656, ...,
 * since float32(564) * float32(512 / 564) = 511.99997, truncated). That is what the reference produces, so it
 * is kept. A side that would truncate to 0 is given 1 px, where TF would fail.
 */
export function fitLongSide(height: number, width: number, maxSide: number): { height: number; width: number } {
  const scale = f32(f32(maxSide) / f32(Math.max(height, width)));
  const side = (n: number): number => Math.max(1, Math.trunc(f32(f32(n) * scale)));
  return { height: side(height), width: side(width) };
}

/** `r` at `size`: itself when it is that size already (no resampling), else resized bilinearly. */
export function atSize(r: Raster, size: { readonly width: number; readonly height: number }): Raster {
  return r.width === size.width && r.height === size.height ? r : resizeBilinear(r, size.width, size.height);
}

/** For one output row or column of an area resize: the source indices it covers and the share of each. */
function coverage(inSize: number, outSize: number): Array<{ from: number; weights: number[] }> {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, i) => {
    const [start, end] = [i * scale, (i + 1) * scale];
    const from = Math.floor(start);
    const weights: number[] = [];
    for (let k = from; k < Math.min(Math.ceil(end), inSize); k++) weights.push((Math.min(end, k + 1) - Math.max(start, k)) / scale);
    return { from, weights };
  });
}

/**
 * Shrinks `r` by area averaging: each output pixel is the mean of the input pixels it covers (those it covers in
 * part, in proportion), so detail finer than the output's pixels averages out instead of aliasing as it would
 * with bilinear's four taps. Only for shrinking (each side at most the input's).
 */
export function shrinkArea(r: Raster, width: number, height: number): Raster {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && width <= r.width && height <= r.height)) {
    throw new Error(`cannot shrink ${r.width}x${r.height} to ${width}x${height}`);
  }
  const xs = coverage(r.width, width);
  const ys = coverage(r.height, height);
  const rows = new Float32Array(width * r.height * 3);
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < width; x++) {
      const { from, weights } = xs[x];
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = 0; k < weights.length; k++) s += weights[k] * r.data[(y * r.width + from + k) * 3 + c];
        rows[(y * width + x) * 3 + c] = s;
      }
    }
  }
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const { from, weights } = ys[y];
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = 0; k < weights.length; k++) s += weights[k] * rows[((from + k) * width + x) * 3 + c];
        out[(y * width + x) * 3 + c] = s;
      }
    }
  }
  return createRaster(width, height, out);
}

/** `r` at `size`: shrunk by area averaging when neither side grows, else as atSize (bilinear, or itself). */
export function resample(r: Raster, size: { readonly width: number; readonly height: number }): Raster {
  const shrinks = size.width <= r.width && size.height <= r.height && (size.width < r.width || size.height < r.height);
  return shrinks ? shrinkArea(r, size.width, size.height) : atSize(r, size);
}
