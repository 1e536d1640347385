import { fitLongSide } from '../../image/resize';
import { paintLongSide } from '../../common/fast-limits';

/** The size the transformer paints a picture of `size` at, for stroke size `styleScale` (the size itself at 1). */
export function paintSize(size: { readonly width: number; readonly height: number }, styleScale: number): { width: number; height: number } {
  if (styleScale === 1) return { width: size.width, height: size.height };
  return fitLongSide(size.height, size.width, paintLongSide(Math.max(size.width, size.height), styleScale));
}
