import { fitLongSide } from '../image/resize';
import type { StyleOptions } from './options';
import { tileGrid, type Tile } from './tiles';

/**
 * One scale of a run: the image size optimised and the steps spent there. A tiled stage refines an image too large
 * to optimise whole one tile at a time, `steps` for each tile.
 */
export interface Stage {
  readonly height: number;
  readonly width: number;
  readonly longSide: number;
  readonly steps: number;
  readonly tiles?: readonly Tile[];
}

/**
 * Coarse to fine when multi-scale (sizes growing by sqrt(2) from minSize, as crowsonkb/style-transfer-pytorch
 * does), else one stage at the output size. Outputs larger than `maxSide` (the larger of the tile size setting and
 * what the backend can hold) are optimised whole up to `maxSide`, then refined at full size in overlapping tiles, so
 * that memory depends on the tile size, not on the output's.
 */
export function planStages(o: StyleOptions, contentHeight: number, contentWidth: number, maxSide = o.tileSize): Stage[] {
  const whole = Math.min(o.maxSize, maxSide);
  const sides: number[] = [];
  if (o.multiScale) {
    for (let s = Math.min(o.minSize, whole); s < whole; s = Math.round(s * Math.SQRT2)) {
      if (whole / s > 1.05) sides.push(s);
    }
  }
  sides.push(whole);
  const stages: Stage[] = sides.map((longSide, i) => {
    const { height, width } = fitLongSide(contentHeight, contentWidth, longSide);
    // Coarse scales only sketch the picture for the next: a quarter of the steps, at a fraction of the cost each.
    return { height, width, longSide, steps: i === sides.length - 1 ? o.steps : Math.ceil(o.steps / 4) };
  });
  if (o.maxSize > whole) {
    const { height, width } = fitLongSide(contentHeight, contentWidth, o.maxSize);
    const tiles = tileGrid(width, height, whole, Math.round(whole / 8));
    stages.push({ height, width, longSide: o.maxSize, steps: o.tileSteps, tiles });
  }
  return stages;
}

/** Loss-and-gradient evaluations of a stage. */
export function stageEvaluations(s: Stage): number {
  return s.steps * (s.tiles?.length ?? 1);
}

/** Compute of a stage in step equivalents: its evaluations weighted by their pixels over `out`'s. */
export function stageEquivalents(s: Stage, out: { readonly width: number; readonly height: number }): number {
  const pixels = s.tiles ? s.tiles.reduce((n, t) => n + t.width * t.height, 0) : s.width * s.height;
  return (s.steps * pixels) / (out.width * out.height);
}
