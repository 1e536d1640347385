/**
 * The sizes fast mode's nets work at, apart from the nets themselves so that planning a run does not load them.
 * See docs/fast-mode.md.
 */

/** The predictor's input side: a style image is seen as a square of this side, as the nets were trained. */
export const STYLE_SIDE = 256;

/**
 * The smallest content side the transformer runs on: its first layer mirrors 4 pixels out on each side, which
 * needs at least 5 (after the padding to a multiple of 4, a side of 5 to 8 becomes 8; 4 stays 4 and fails).
 */
export const MIN_CONTENT_SIDE = 5;

/**
 * The longest side fast mode makes whole (there are no tiles: the transformer's instance norms use whole-image
 * statistics, so tiles would not match at their seams).
 */
export const FAST_MAX_SIDE = 4096;

/**
 * The longer side the transformer paints at for a picture whose longer side is `side`, at stroke size `styleScale`.
 * Its strokes have a fixed size in the pixels it paints, so painting smaller and enlarging the picture makes them
 * larger (and softer), painting larger and shrinking it makes them smaller.
 */
export function paintLongSide(side: number, styleScale: number): number {
  return Math.max(1, Math.round(side / styleScale));
}

/**
 * The most pixels fast mode makes, since its memory grows with them: a whole job at 4096x3072 peaks at 3.0 GB, at
 * 4096x4096 at 5.7 GB (README, "Fast mode"), too much beside an editor on a machine of 16-24 GB.
 */
export const FAST_MAX_PIXELS = 4096 * 3072;

/**
 * The smallest stroke size (to 0.01) at which a picture of `width`x`height`, made at `maxSize`, is painted within
 * FAST_MAX_SIDE and FAST_MAX_PIXELS: below 1 it is painted larger than itself. A panel's slider stops there.
 */
export function smallestStyleScale(maxSize: number, width: number, height: number): number {
  const needed = Math.max(maxSize / FAST_MAX_SIDE, Math.max(width, height) / FAST_MAX_SIDE, Math.sqrt((width * height) / FAST_MAX_PIXELS));
  // A hundredth more than needed leaves room for the paint size's rounding.
  return Math.ceil(needed * 100 + 1) / 100;
}
