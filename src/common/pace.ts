import type { Progress } from './report';

export interface Pace {
  /** Steps per second at the current scale. */
  readonly stepsPerSecond: number;
  /** Time left; absent until a step of the current scale has been timed. */
  readonly etaMs?: number;
}

/**
 * Steps per second and time left of a run. Steps grow dearer with each scale of a multi-scale run (about twice the
 * pixels each time) and a tiled refinement's steps cost a tile's pixels, so the pace is timed within the current
 * scale, per step equivalent (compute weighted by pixels), and the compute still ahead is costed at that pace,
 * rather than extrapolating the cheap early steps. Only the set-up of the scales ahead is not foreseen.
 */
export class PaceMeter {
  private stageStart?: { readonly stage: number; readonly step: number; readonly eq: number; readonly ms: number };
  private last?: { readonly progress: Progress; readonly pace: Pace };

  update(p: Progress): Pace {
    const pace = this.pace(p);
    this.last = { progress: p, pace };
    return pace;
  }

  private pace(p: Progress): Pace {
    if (!this.stageStart || p.stage !== this.stageStart.stage) {
      // A scale's first step also builds its targets and session: its pace is timed from the end of that step.
      this.stageStart = { stage: p.stage, step: p.step, eq: p.stepEquivalents, ms: p.elapsedMs };
      if (!this.last) return { stepsPerSecond: p.step / Math.max(p.elapsedMs / 1000, 1e-3) };
      const { progress, pace } = this.last;
      const etaMs = pace.etaMs === undefined ? undefined : Math.max(0, pace.etaMs - (p.elapsedMs - progress.elapsedMs));
      return { stepsPerSecond: pace.stepsPerSecond, etaMs };
    }
    const steps = p.step - this.stageStart.step;
    const eq = p.stepEquivalents - this.stageStart.eq;
    const ms = p.elapsedMs - this.stageStart.ms;
    if (steps <= 0 || eq <= 0 || ms <= 0) return this.last?.pace ?? { stepsPerSecond: 0 };
    return {
      stepsPerSecond: (1000 * steps) / ms,
      etaMs: Math.max(0, (ms / eq) * (p.totalStepEquivalents - p.stepEquivalents)),
    };
  }
}
