import { fitLongSide } from '../image/resize';
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

/** The numbers the scales of a run are made from (see planOptimization). */
export interface ScheduleSpec {
  readonly maxSize: number;
  readonly multiScale: boolean;
  readonly minSize: number;
  readonly steps: number;
  /** The longest side optimised whole: the tile size, or less where the backend cannot hold that much. */
  readonly tileSide: number;
  readonly tileSteps: number;
}

/**
 * Coarse to fine when multi-scale (sizes growing by sqrt(2) from minSize), else one stage at the output size. An
 * output larger than `tileSide` is optimised whole up to `tileSide`, then refined at full size in overlapping
 * tiles, so that memory depends on the tile size, not on the output's.
 */
export function planStages(s: ScheduleSpec, contentHeight: number, contentWidth: number): Stage[] {
  const whole = Math.min(s.maxSize, s.tileSide);
  const sides: number[] = [];
  if (s.multiScale) {
    for (let side = Math.min(s.minSize, whole); side < whole; side = Math.round(side * Math.SQRT2)) {
      if (whole / side > 1.05) sides.push(side);
    }
  }
  sides.push(whole);
  const stages: Stage[] = sides.map((longSide, i) => {
    const { height, width } = fitLongSide(contentHeight, contentWidth, longSide);
    // Coarse scales only sketch the picture for the next: a quarter of the steps, at a fraction of the cost each.
    return { height, width, longSide, steps: i === sides.length - 1 ? s.steps : Math.ceil(s.steps / 4) };
  });
  if (s.maxSize > whole) {
    const { height, width } = fitLongSide(contentHeight, contentWidth, s.maxSize);
    const tiles = tileGrid(width, height, whole, Math.round(whole / 8));
    stages.push({ height, width, longSide: s.maxSize, steps: s.tileSteps, tiles });
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
