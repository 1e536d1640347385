import { createRaster, type Raster } from '../../image/raster';

/**
 * What keeps an animation's still regions still. The transformer paints each frame anew, and its strokes answer to
 * the faintest change of the input: camera noise alone repaints every stroke, and the clip flickers. So a pixel of
 * the output keeps the colour it was given until its input has changed by more than noise since then: each output
 * pixel remembers the input it was painted from (smoothed over 3x3 pixels, which divides independent noise by 3),
 * and is painted again by the new frame in proportion to how far the input has moved from it, none up to
 * KEEP_BELOW, all from REPAINT_ABOVE (levels of 255, on the channel that moved most). Comparing with the input the
 * pixel was painted from, not the previous frame, lets a slow drift (a fade, a slow pan over a flat sky) add up
 * until it is repainted, rather than be kept for ever. Where the input moved more than REPAINT_ABOVE, the output is
 * the frame's own picture, exactly.
 */

/** Camera noise of a few levels, smoothed and compared on three channels, stays under this (see above). */
const KEEP_BELOW = 6 / 255;
const REPAINT_ABOVE = 16 / 255;

export class SteadyFrames {
  /** The smoothed input each output pixel was painted from (RGB), and the last output. */
  private reference?: Float32Array;
  private last?: Raster;

  /**
   * The output for the next frame: `painted` (the frame's own picture) where `input` (the frame, at the picture's
   * size) moved, the last output where it did not. The first frame's is its own picture.
   */
  next(input: Raster, painted: Raster): Raster {
    if (input.width !== painted.width || input.height !== painted.height) {
      throw new Error(`a ${input.width}x${input.height} frame painted at ${painted.width}x${painted.height}`);
    }
    const smooth = smoothed(input);
    const { reference, last } = this;
    if (!reference || !last || last.width !== painted.width || last.height !== painted.height) {
      this.reference = smooth;
      this.last = painted;
      return painted;
    }
    const out = new Float32Array(painted.data.length);
    const p = painted.data;
    const o = last.data;
    for (let i = 0; i < out.length; i += 3) {
      const moved = Math.max(Math.abs(smooth[i] - reference[i]), Math.abs(smooth[i + 1] - reference[i + 1]), Math.abs(smooth[i + 2] - reference[i + 2]));
      const w = moved <= KEEP_BELOW ? 0 : moved >= REPAINT_ABOVE ? 1 : (moved - KEEP_BELOW) / (REPAINT_ABOVE - KEEP_BELOW);
      if (w === 1) {
        out[i] = p[i];
        out[i + 1] = p[i + 1];
        out[i + 2] = p[i + 2];
      } else {
        for (let c = i; c < i + 3; c++) {
          out[c] = o[c] + w * (p[c] - o[c]);
          reference[c] += w * (smooth[c] - reference[c]);
        }
        continue;
      }
      reference[i] = smooth[i];
      reference[i + 1] = smooth[i + 1];
      reference[i + 2] = smooth[i + 2];
    }
    this.last = createRaster(painted.width, painted.height, out);
    return this.last;
  }
}

/**
 * `r` averaged over 3x3 pixels (the edges over the pixels there are), as interleaved RGB: rows first, then columns,
 * each a running window of three, summed left to right as a loop over the window would.
 */
function smoothed(r: Raster): Float32Array {
  const { width, height, data } = r;
  const rows = new Float32Array(data.length);
  for (let y = 0; y < height; y++) boxOfThree(data, rows, y * width * 3, 3, width);
  const out = new Float32Array(data.length);
  for (let x = 0; x < width; x++) boxOfThree(rows, out, x * 3, width * 3, height);
  return out;
}

/** The mean of each RGB pixel and its neighbours (one each side, where there are) along a line of `n` pixels `stride` apart. */
function boxOfThree(from: Float32Array, to: Float32Array, start: number, stride: number, n: number): void {
  for (let c = 0; c < 3; c++) {
    const at = (i: number) => from[start + i * stride + c];
    if (n === 1) {
      to[start + c] = at(0);
      continue;
    }
    to[start + c] = (at(0) + at(1)) / 2;
    for (let i = 1; i < n - 1; i++) to[start + i * stride + c] = (at(i - 1) + at(i) + at(i + 1)) / 3;
    to[start + (n - 1) * stride + c] = (at(n - 2) + at(n - 1)) / 2;
  }
}
