import { fitLongSide } from './resize';

/** An image is decoded already shrunk only when it is more than this many times larger than needed (long side)... */
const SHRINK_ABOVE = 4;
/** ...and to at least this many times the needed size, so that the engine's own resize still makes the picture. */
const SHRINK_TO = 2;

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The size to decode an image of `size` (as oriented) at, when the engine will fit its longer side to at most
 * `needLongSide` with fitLongSide: its own size, or, for an image more than SHRINK_ABOVE times larger, a size from
 * SHRINK_TO times the needed one up, chosen so that fitLongSide gives from it exactly the size it gives from the
 * whole image (its float32 rounding makes that a search: at 512, about one size in eight ends at 511).
 *
 * Decoding a 9990 px style at 2x the 512 px needed holds 1 megapixel instead of 100; the engine then resizes as
 * always (at 2x, its bilinear averages 2x2 blocks, where straight from 9990 px it would sample 4 of 400 pixels).
 */
export function decodeSize(size: Size, needLongSide: number | undefined): Size {
  const longSide = Math.max(size.width, size.height);
  if (needLongSide === undefined || longSide <= SHRINK_ABOVE * needLongSide) return size;
  const target = fitLongSide(size.height, size.width, needLongSide);
  const wide = size.width >= size.height;
  const [targetLong, targetShort] = wide ? [target.width, target.height] : [target.height, target.width];
  for (let long = SHRINK_TO * targetLong; long < SHRINK_ABOVE * needLongSide; long++) {
    const short = Math.max(1, Math.round((long * targetShort) / targetLong));
    const candidate = wide ? { width: long, height: short } : { width: short, height: long };
    const back = fitLongSide(candidate.height, candidate.width, needLongSide);
    if (back.width === target.width && back.height === target.height) return candidate;
  }
  return size;
}
