import type { Raster } from '../../src/image/raster';

/**
 * How large a picture's strokes are, in pixels: the detail of its luminance split into octave bands (differences of
 * Gaussian blurs of sigma 0.5, 1, 2, ..., 32 px), and 2 to the power of the energy-weighted mean band. A picture
 * whose detail energy moves to coarser bands (larger strokes, fewer edges) measures larger; the content's own shapes
 * add the same energy to every version of a picture, so between versions only the strokes move it.
 */
export function strokeSize(r: Raster): number {
  const { energies } = bandEnergies(r);
  const total = energies.reduce((a, b) => a + b, 0);
  const meanBand = energies.reduce((a, e, k) => a + k * e, 0) / total;
  return 0.5 * 2 ** meanBand;
}

/** The detail energy (mean square) of each octave band of the luminance, finest first. */
export function bandEnergies(r: Raster): { sigmas: number[]; energies: number[] } {
  const luma = new Float32Array(r.width * r.height);
  for (let p = 0; p < luma.length; p++) luma[p] = 0.299 * r.data[3 * p] + 0.587 * r.data[3 * p + 1] + 0.114 * r.data[3 * p + 2];
  const sigmas = [0, 0.5, 1, 2, 4, 8, 16, 32];
  const blurred = sigmas.map((s) => (s === 0 ? luma : gaussianBlur(luma, r.width, r.height, s)));
  const energies = sigmas.slice(0, -1).map((_, k) => {
    let e = 0;
    for (let i = 0; i < luma.length; i++) e += (blurred[k][i] - blurred[k + 1][i]) ** 2;
    return e / luma.length;
  });
  return { sigmas, energies };
}

/** A Gaussian blur of `sigma` px, edges mirrored, one separable pass per axis. */
function gaussianBlur(a: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const sum = kernel.reduce((x, y) => x + y, 0);
  const k = kernel.map((v) => v / sum);
  const mirror = (i: number, n: number) => {
    for (;;) {
      if (i < 0) i = -i - 1;
      else if (i >= n) i = 2 * n - 1 - i;
      else return i;
    }
  };
  const pass = (src: Float32Array, along: 'x' | 'y') => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let j = -radius; j <= radius; j++) {
          s += k[j + radius] * (along === 'x' ? src[y * width + mirror(x + j, width)] : src[mirror(y + j, height) * width + x]);
        }
        out[y * width + x] = s;
      }
    }
    return out;
  };
  return pass(pass(a, 'x'), 'y');
}

/**
 * How far apart two pictures' colour histograms are: per channel (R, G, B), the earth mover's distance between the
 * two 256-level histograms (how many levels, on average, each pixel's value must move to turn one histogram into
 * the other), averaged over the channels. Unlike a count of overlapping bins it does not depend on where bin edges
 * fall, and a small shift of the colours counts as small; it compares the pictures' colours whatever their sizes
 * and wherever the colours are in them.
 */
export function colourHistogramDistance(a: Raster, b: Raster): number {
  const histogram = (r: Raster, c: number) => {
    const h = new Float64Array(256);
    for (let i = c; i < r.data.length; i += 3) h[Math.round(Math.min(1, Math.max(0, r.data[i])) * 255)] += 1 / (r.width * r.height);
    return h;
  };
  let total = 0;
  for (let c = 0; c < 3; c++) {
    const [ha, hb] = [histogram(a, c), histogram(b, c)];
    let [ca, cb] = [0, 0];
    for (let k = 0; k < 256; k++) {
      ca += ha[k];
      cb += hb[k];
      total += Math.abs(ca - cb);
    }
  }
  return total / 3;
}
