import { planStages } from '../engine/schedule';
import type { StyleOptions } from '../engine/options';
import type { Progress } from '../engine/run';
import type { Pace } from '../protocol/messages';

/**
 * Steps per second and time left of a run. A multi-scale run's steps grow dearer with each scale (about twice
 * the pixels each time), so the rate is measured within the current scale and the scales still ahead are costed
 * by their pixels relative to it, rather than extrapolating the cheap early steps.
 */
export class PaceMeter {
  private stageStart = { stage: 0, step: 0, elapsedMs: 0 };
  private last?: Progress;

  constructor(private readonly options: StyleOptions) {}

  update(p: Progress): Pace {
    if (this.last && p.stage !== this.stageStart.stage) {
      this.stageStart = { stage: p.stage, step: this.last.step, elapsedMs: this.last.elapsedMs };
    }
    this.last = p;
    const steps = p.step - this.stageStart.step;
    const ms = p.elapsedMs - this.stageStart.elapsedMs;
    if (steps <= 0 || ms <= 0) return { stepsPerSecond: p.step / Math.max(p.elapsedMs / 1000, 1e-3) };
    const msPerStep = ms / steps;
    // The stages of this run, from the current scale's size (the aspect ratio is the content's).
    const stages = planStages(this.options, p.height, p.width);
    const here = stages.length === p.stages ? stages[p.stage] : undefined;
    let etaMs = msPerStep * (p.totalSteps - p.step);
    if (here) {
      const stepsLeftHere = stages.slice(0, p.stage + 1).reduce((n, s) => n + s.steps, 0) - p.step;
      etaMs = msPerStep * stepsLeftHere;
      for (const s of stages.slice(p.stage + 1)) etaMs += msPerStep * s.steps * ((s.width * s.height) / (here.width * here.height));
    }
    return { stepsPerSecond: 1000 / msPerStep, etaMs };
  }
}
