import { type Raster, createRaster, intoBox } from '../image/raster';
import { multiply3, symmetricPower } from './symmetric-3x3';

/**
 * Keeping the content's colours, two ways. By luminance-only transfer (Gatys et al., "Preserving Color in Neural
 * Artistic Style Transfer", 2016): the optimisation sees only luminance (the style's matched to the content's mean
 * and spread), and the result's luminance is then put under the content's own chroma, in YIQ. By colour matching
 * (Gatys et al., "Controlling Perceptual Factors in Neural Style Transfer", 2017): the style image is recoloured
 * before it is used, so that its colours have the content's mean and covariance.
 */

function luminance(r: Raster): Float32Array {
  const y = new Float32Array(r.width * r.height);
  const d = r.data;
  for (let p = 0, i = 0; p < y.length; p++, i += 3) y[p] = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
  return y;
}

function meanStd(a: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (const v of a) s += v;
  const mean = s / a.length;
  let q = 0;
  for (const v of a) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / a.length) };
}

function grayRaster(width: number, height: number, y: Float32Array): Raster {
  const out = createRaster(width, height);
  for (let p = 0, i = 0; p < y.length; p++, i += 3) {
    const v = y[p] < 0 ? 0 : y[p] > 1 ? 1 : y[p];
    out.data[i] = out.data[i + 1] = out.data[i + 2] = v;
  }
  return out;
}

/** The content as the optimisation sees it when colours are preserved: its luminance on all three channels. */
export function luminanceOnly(r: Raster): Raster {
  return grayRaster(r.width, r.height, luminance(r));
}

/** A style image's luminance with its mean and spread moved to the content's, so that only texture transfers. */
export function matchedLuminance(style: Raster, content: Raster): Raster {
  const ys = luminance(style);
  const s = meanStd(ys);
  const c = meanStd(luminance(content));
  const k = s.std > 1e-8 ? c.std / s.std : 1;
  for (let i = 0; i < ys.length; i++) ys[i] = (ys[i] - s.mean) * k + c.mean;
  return grayRaster(style.width, style.height, ys);
}

/** `result`'s luminance with `content`'s I and Q (both the same size). */
export function withContentColors(result: Raster, content: Raster): Raster {
  const out = createRaster(result.width, result.height);
  const y = luminance(result);
  const c = content.data;
  for (let p = 0, i = 0; p < y.length; p++, i += 3) {
    const r = c[i], g = c[i + 1], b = c[i + 2];
    const ci = 0.596 * r - 0.274 * g - 0.322 * b;
    const cq = 0.211 * r - 0.523 * g + 0.312 * b;
    out.data[i] = y[p] + 0.956 * ci + 0.621 * cq;
    out.data[i + 1] = y[p] - 0.272 * ci - 0.647 * cq;
    out.data[i + 2] = y[p] - 1.106 * ci + 1.703 * cq;
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(1, Math.max(0, out.data[i]));
  return out;
}

/** Mean (3) and covariance (3x3, row-major) of a raster's RGB colours, summed in doubles. */
function colorStatistics(r: Raster): { mean: number[]; covariance: number[] } {
  const d = r.data;
  const n = r.width * r.height;
  const mean = [0, 0, 0];
  for (let i = 0; i < d.length; i += 3) for (let c = 0; c < 3; c++) mean[c] += d[i + c];
  for (let c = 0; c < 3; c++) mean[c] /= n;
  const covariance = new Array<number>(9).fill(0);
  for (let i = 0; i < d.length; i += 3) {
    for (let a = 0; a < 3; a++) for (let b = a; b < 3; b++) covariance[3 * a + b] += (d[i + a] - mean[a]) * (d[i + b] - mean[b]);
  }
  for (let a = 0; a < 3; a++) {
    for (let b = a; b < 3; b++) covariance[3 * b + a] = covariance[3 * a + b] /= n;
  }
  return { mean, covariance };
}

/**
 * A flat (one-colour) image has no spread to scale: its variances are taken as at least this (a standard deviation
 * of 1/255, one level of an 8-bit channel), so that the map stays finite and the flat image stays nearly flat.
 */
const VARIANCE_FLOOR = (1 / 255) ** 2;

/**
 * `style` recoloured so that its colours' mean and covariance are `content`'s: x' = A (x - mu_s) + mu_c with
 * A = Sigma_c^(1/2) Sigma_s^(-1/2), the symmetric square roots (the linear map that matches both and rotates the
 * colours least). Values are clamped to [0, 1].
 */
export function colorMatched(style: Raster, content: Raster): Raster {
  const s = colorStatistics(style);
  const c = colorStatistics(content);
  const a = multiply3(symmetricPower(c.covariance, 0.5, VARIANCE_FLOOR), symmetricPower(s.covariance, -0.5, VARIANCE_FLOOR));
  const out = createRaster(style.width, style.height);
  const d = style.data;
  for (let i = 0; i < d.length; i += 3) {
    const [x, y, z] = [d[i] - s.mean[0], d[i + 1] - s.mean[1], d[i + 2] - s.mean[2]];
    for (let k = 0; k < 3; k++) out.data[i + k] = intoBox(a[3 * k] * x + a[3 * k + 1] * y + a[3 * k + 2] * z + c.mean[k]);
  }
  return out;
}
