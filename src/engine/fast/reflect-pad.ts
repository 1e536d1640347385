import { createRaster, type Raster } from '../../image/raster';

/**
 * `r` grown on the right and at the bottom to the next multiple of `multiple` in each direction, the new pixels
 * mirrored from the image (without repeating the edge, as TF's REFLECT padding does), so that the added strip
 * looks like more of the same picture to a net whose statistics span the whole image. Needs sides longer than the
 * padding added (at most multiple - 1).
 */
export function reflectPadToMultiple(r: Raster, multiple: number): Raster {
  const width = Math.ceil(r.width / multiple) * multiple;
  const height = Math.ceil(r.height / multiple) * multiple;
  if (width === r.width && height === r.height) return r;
  if (width - r.width >= r.width || height - r.height >= r.height) {
    throw new Error(`cannot mirror ${r.width}x${r.height} px out to ${width}x${height}`);
  }
  const mirror = (i: number, size: number) => (i < size ? i : 2 * (size - 1) - i);
  const out = createRaster(width, height);
  for (let y = 0; y < height; y++) {
    const row = mirror(y, r.height) * r.width;
    out.data.set(r.data.subarray(row * 3, (row + r.width) * 3), y * width * 3);
    for (let x = r.width; x < width; x++) {
      const from = (row + mirror(x, r.width)) * 3;
      out.data.set(r.data.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return out;
}
