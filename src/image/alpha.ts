import { createRaster } from './raster';
import { resizeBilinear } from './resize';

/** The content's opacity brought to the output's size, with the same resampling as the colours. */
export function resizeAlpha(alpha: Float32Array, width: number, height: number, toWidth: number, toHeight: number): Float32Array {
  if (width === toWidth && height === toHeight) return alpha;
  const rgb = new Float32Array(alpha.length * 3);
  for (let i = 0; i < alpha.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = alpha[i];
  const resized = resizeBilinear(createRaster(width, height, rgb), toWidth, toHeight).data;
  const out = new Float32Array(toWidth * toHeight);
  for (let i = 0; i < out.length; i++) out[i] = resized[3 * i];
  return out;
}
