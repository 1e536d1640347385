import * as assert from 'node:assert/strict';
import { PaceMeter } from '../../../src/common/pace';
import type { Progress } from '../../../src/common/report';
import { planStages, stageEquivalents } from '../../../src/engine/schedule';

describe('time left', () => {
  it('costs the larger scales and the tiles ahead by their pixels, so a run is not promised too soon', () => {
    // Multi-scale up to 512 px, then a 1024 px refinement in 512 px tiles.
    const stages = planStages({ multiScale: true, minSize: 128, maxSize: 1024, tileSide: 512, steps: 40, tileSteps: 10 }, 768, 1024);
    const out = stages[stages.length - 1];
    assert.ok(out.tiles && out.tiles.length > 1 && stages.length > 3, 'the plan has coarse scales and tiles');
    const totalStepEquivalents = stages.reduce((n, s) => n + stageEquivalents(s, out), 0);
    // A machine that takes 1 ms per 10,000 pixels for a step, and 20 ms to set up each scale.
    const regions = stages.flatMap((s, stage) => (s.tiles ?? [s]).map((r, i) => ({ stage, s, r, first: i === 0 })));
    const totalMs = regions.reduce((ms, { s, r, first }) => ms + (first ? 20 : 0) + s.steps * (r.width * r.height) / 10_000, 0);

    const meter = new PaceMeter();
    let [step, eq, elapsedMs] = [0, 0, 0];
    const errors: number[] = [];
    for (const { stage, s, r, first } of regions) {
      if (first) elapsedMs += 20;
      for (let k = 0; k < s.steps; k++) {
        step++;
        eq += (r.width * r.height) / (out.width * out.height);
        elapsedMs += (r.width * r.height) / 10_000;
        const p: Progress = {
          step, totalSteps: 0, stage, stages: stages.length, width: s.width, height: s.height,
          losses: { total: 1, style: 1, content: 1, tv: 0 }, elapsedMs, stepEquivalents: eq, totalStepEquivalents,
        };
        const pace = meter.update(p);
        if (k === 0) continue;
        assert.ok(Math.abs(1000 / pace.stepsPerSecond - (r.width * r.height) / 10_000) < 1e-6, 'speed is the current scale\'s');
        errors.push(Math.abs(pace.etaMs! - (totalMs - elapsedMs)) / totalMs);
      }
    }
    // Only the set-up of the scales ahead is unforeseen.
    assert.ok(Math.max(...errors) < 0.05, `worst error ${(100 * Math.max(...errors)).toFixed(1)}% of the run`);
  });
});
