import sharp from 'sharp';
import { maskBytes, resizeMask, type Mask } from './mask';
import { readImageFromBuffer, readImageHeader } from './decode';
import { fitLongSide } from './resize';

export interface ReadMask {
  /** At the size asked for. */
  readonly mask: Mask;
  /** What was done that the user should know of (stretched to another shape, the first frame taken). */
  readonly notes: string[];
}

/**
 * A mask image as a Mask of `size`: its luminance times its opacity (white = 1; transparent counts as black), first
 * frame, EXIF orientation applied, stretched to `size` (with a note when that changes its shape). `name` names it in
 * messages, as the user gave it (`--mask regions.png`). Not an image, empty or corrupt: a UserError from decoding.
 */
export async function readMask(bytes: Uint8Array, name: string, size: { readonly width: number; readonly height: number }, maxPixels?: number): Promise<ReadMask> {
  const header = await readImageHeader(bytes, name);
  const notes: string[] = [];
  if (header.frames > 1) notes.push(`${name} is animated (${header.frames} frames): its first frame is the mask`);
  const { width, height } = header.oriented;
  // Another shape when, fitted to the picture's longer side, its other side is more than a pixel off.
  const fitted = fitLongSide(height, width, Math.max(size.width, size.height));
  if (Math.abs(fitted.width - size.width) > 1 || Math.abs(fitted.height - size.height) > 1) {
    notes.push(`${name} is ${width}x${height} px, not the shape of the ${size.width}x${size.height} picture: it is stretched to fit`);
  }
  const { raster, alpha } = await readImageFromBuffer(bytes, name, { maxPixels, needLongSide: Math.max(size.width, size.height) });
  const data = new Float32Array(raster.width * raster.height);
  for (let p = 0, i = 0; p < data.length; p++, i += 3) {
    const v = (0.299 * raster.data[i] + 0.587 * raster.data[i + 1] + 0.114 * raster.data[i + 2]) * (alpha ? alpha[p] : 1);
    data[p] = Math.min(1, Math.max(0, v));
  }
  return { mask: resizeMask({ width: raster.width, height: raster.height, data }, size.width, size.height), notes };
}

/** A mask as an 8-bit greyscale PNG, as it was used: saved beside the picture it made. */
export function encodeMask(mask: Mask): Promise<Buffer> {
  return sharp(maskBytes(mask), { raw: { width: mask.width, height: mask.height, channels: 1 } }).png().toBuffer();
}
