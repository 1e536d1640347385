import { type Raster, createRaster } from './raster';

/**
 * Interleaved 8-bit RGB or RGBA pixels to a raster and, for RGBA, its alpha plane. A fully opaque alpha plane
 * is dropped: it carries nothing, and leaving it off keeps the output free of a useless channel.
 */
export function unpackPixels(
  bytes: Uint8Array,
  width: number,
  height: number,
  channels: 3 | 4,
): { raster: Raster; alpha?: Float32Array } {
  const n = width * height;
  if (bytes.length !== n * channels) {
    throw new Error(`${bytes.length} bytes do not hold ${width}x${height}x${channels} pixels`);
  }
  const rgb = new Float32Array(n * 3);
  const alpha = channels === 4 ? new Float32Array(n) : undefined;
  let opaque = true;
  for (let i = 0, s = 0, d = 0; i < n; i++) {
    rgb[d++] = bytes[s++] / 255;
    rgb[d++] = bytes[s++] / 255;
    rgb[d++] = bytes[s++] / 255;
    if (alpha) {
      const a = bytes[s++];
      opaque &&= a === 255;
      alpha[i] = a / 255;
    }
  }
  const raster = createRaster(width, height, rgb);
  return alpha && !opaque ? { raster, alpha } : { raster };
}

/**
 * A raster (and optional alpha plane, one value per pixel) to interleaved 8-bit RGB or RGBA: [0, 1] to 0..255,
 * clamped and rounded to nearest, so that bytes -> float -> bytes gives the bytes back. A Uint8ClampedArray does
 * both in one store, several times faster than by hand at millions of values; it breaks ties to even, but the one
 * value of [0, 1] whose product with 255 is a tie is 0.5 (255 v is exact for a float32 v), and 127.5 goes to 128.
 */
export function packPixels(r: Raster, alpha?: Float32Array): { bytes: Buffer; channels: 3 | 4 } {
  const n = r.width * r.height;
  if (alpha && alpha.length !== n) {
    throw new Error(`alpha has ${alpha.length} values, a ${r.width}x${r.height} raster needs ${n}`);
  }
  const channels = alpha ? 4 : 3;
  const bytes = Buffer.allocUnsafe(n * channels);
  const out = new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length);
  const src = r.data;
  if (!alpha) {
    for (let i = 0; i < n * 3; i++) out[i] = src[i] * 255;
    return { bytes, channels };
  }
  for (let i = 0, s = 0, d = 0; i < n; i++) {
    out[d++] = src[s++] * 255;
    out[d++] = src[s++] * 255;
    out[d++] = src[s++] * 255;
    out[d++] = alpha[i] * 255;
  }
  return { bytes, channels };
}

/**
 * A raster halved, each 2x2 block of pixels its mean, as interleaved 8-bit RGB (an odd last row or column is
 * dropped): what a quick preview of a large picture shrinks first, in one pass that packs a quarter of the bytes.
 */
export function packHalved(r: Raster): { bytes: Buffer; width: number; height: number } {
  const [width, height] = [r.width >> 1, r.height >> 1];
  const bytes = Buffer.allocUnsafe(width * height * 3);
  const out = new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length);
  const src = r.data;
  const row = r.width * 3;
  for (let y = 0, d = 0; y < height; y++) {
    for (let a = 2 * y * row, b = a + row, x = 0; x < width; x++, a += 6, b += 6) {
      out[d++] = (src[a] + src[a + 3] + src[b] + src[b + 3]) * 63.75;
      out[d++] = (src[a + 1] + src[a + 4] + src[b + 1] + src[b + 4]) * 63.75;
      out[d++] = (src[a + 2] + src[a + 5] + src[b + 2] + src[b + 5]) * 63.75;
    }
  }
  return { bytes, width, height };
}
