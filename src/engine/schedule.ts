import { fitLongSide } from '../image/resize';
import type { StyleOptions } from './options';

/** One scale of a run: the image size optimised and the steps spent there. */
export interface Stage {
  readonly height: number;
  readonly width: number;
  readonly longSide: number;
  readonly steps: number;
}

/**
 * Coarse to fine when multi-scale (sizes growing by sqrt(2) from minSize, as crowsonkb/style-transfer-pytorch
 * does), else one stage at the output size.
 */
export function planStages(o: StyleOptions, contentHeight: number, contentWidth: number): Stage[] {
  const sides: number[] = [];
  if (o.multiScale) {
    for (let s = Math.min(o.minSize, o.maxSize); s < o.maxSize; s = Math.round(s * Math.SQRT2)) {
      if (o.maxSize / s > 1.05) sides.push(s);
    }
  }
  sides.push(o.maxSize);
  return sides.map((longSide) => {
    const { height, width } = fitLongSide(contentHeight, contentWidth, longSide);
    return { height, width, longSide, steps: o.steps };
  });
}

/** Compute of a stage in full-size step equivalents: each evaluation weighted by its pixels over the output's. */
export function stepEquivalents(stages: readonly Stage[]): number {
  const last = stages[stages.length - 1];
  return stages.reduce((sum, s) => sum + (s.steps * s.height * s.width) / (last.height * last.width), 0);
}
