import { type Raster, createRaster } from '../image/raster';

/**
 * Colour preservation by luminance-only transfer (Gatys et al., "Preserving Color in Neural Artistic Style
 * Transfer", 2016): the optimisation sees only luminance (the style's matched to the content's mean and spread),
 * and the result's luminance is then put under the content's own chroma, in YIQ.
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
