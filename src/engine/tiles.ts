import { createRaster, type Raster } from '../image/raster';

/** A rectangle of an image, in pixels. */
export interface Tile {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Starts of `count` spans of `span` evenly covering `size` (the last one flush with the end). */
function starts(size: number, span: number, overlap: number): number[] {
  if (span >= size) return [0];
  const count = Math.ceil((size - overlap) / (span - overlap));
  return Array.from({ length: count }, (_, i) => Math.round((i * (size - span)) / (count - 1)));
}

/** Tiles of at most `side` x `side` covering a width x height image, neighbours overlapping by at least `overlap`. */
export function tileGrid(width: number, height: number, side: number, overlap: number): Tile[] {
  const tw = Math.min(side, width);
  const th = Math.min(side, height);
  return starts(height, th, overlap).flatMap((y) => starts(width, tw, overlap).map((x) => ({ x, y, width: tw, height: th })));
}

/** Without overlap: tiles that partition the image (for sums over it, such as Gram matrices). */
export function partition(width: number, height: number, side: number): Tile[] {
  const spans = (size: number) => {
    const n = Math.ceil(size / side);
    return Array.from({ length: n }, (_, i) => [Math.floor((i * size) / n), Math.floor(((i + 1) * size) / n)] as const);
  };
  return spans(height).flatMap(([y0, y1]) => spans(width).map(([x0, x1]) => ({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 })));
}

export function crop(r: Raster, t: Tile): Raster {
  const out = createRaster(t.width, t.height);
  for (let y = 0; y < t.height; y++) {
    const from = ((t.y + y) * r.width + t.x) * 3;
    out.data.set(r.data.subarray(from, from + t.width * 3), y * t.width * 3);
  }
  return out;
}

/**
 * Writes `tile` back into `image` at `t`, fading it in over `feather` pixels from each edge that lies inside the
 * image, so a refined tile meets its already refined neighbours without a seam.
 */
export function paste(image: Raster, tile: Float32Array, t: Tile, feather: number): void {
  const ramp = (d: number, atBorder: boolean) => (atBorder || feather <= 0 ? 1 : Math.min(1, (d + 0.5) / feather));
  for (let y = 0; y < t.height; y++) {
    const wy = Math.min(ramp(y, t.y === 0), ramp(t.height - 1 - y, t.y + t.height === image.height));
    for (let x = 0; x < t.width; x++) {
      const w = Math.min(wy, ramp(x, t.x === 0), ramp(t.width - 1 - x, t.x + t.width === image.width));
      const i = ((t.y + y) * image.width + t.x + x) * 3;
      const j = (y * t.width + x) * 3;
      for (let c = 0; c < 3; c++) image.data[i + c] += w * (tile[j + c] - image.data[i + c]);
    }
  }
}
