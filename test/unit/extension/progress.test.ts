import * as assert from 'node:assert/strict';
import { defaultOptions } from '../../../src/engine/options';
import type { Progress } from '../../../src/engine/run';
import { planStages } from '../../../src/engine/schedule';
import { LossHistory } from '../../../src/extension/loss-history';
import { PaceMeter } from '../../../src/extension/pace';

const point = (step: number) => ({ step, total: 1 / step, style: 1, content: 1, tv: 1 });

describe('loss history', () => {
  it('keeps a bounded number of points over a long run, spread over it, ending at the newest', () => {
    const h = new LossHistory(100);
    for (let s = 1; s <= 10_000; s++) h.add(point(s));
    const pts = h.points();
    assert.ok(pts.length <= 101, `${pts.length} points`);
    assert.equal(pts[0].step, 1);
    assert.equal(pts[pts.length - 1].step, 10_000);
    assert.ok(pts[50].step > 3000 && pts[50].step < 7000, 'thinned evenly');
  });
});

describe('time left', () => {
  it('costs the larger scales ahead by their pixels, so a multi-scale run is not promised too soon', () => {
    const options = { ...defaultOptions(), multiScale: true, minSize: 128, maxSize: 512, steps: 100 };
    const stages = planStages(options, 384, 512);
    // A machine that takes 1 ms per 10,000 pixels for a step.
    const msPerStep = (s: { width: number; height: number }) => (s.width * s.height) / 10_000;
    const total = stages.reduce((ms, s) => ms + s.steps * msPerStep(s), 0);
    const meter = new PaceMeter(options);
    let elapsed = 0;
    let eta = 0;
    const first = stages[0];
    for (let step = 1; step <= 50; step++) {
      elapsed += msPerStep(first);
      const p: Progress = {
        step, totalSteps: stages.length * 100, stage: 0, stages: stages.length, width: first.width, height: first.height,
        losses: { total: 1, style: 1, content: 1, tv: 0 }, elapsedMs: elapsed, stepEquivalents: 0,
      };
      const pace = meter.update(p);
      eta = pace.etaMs!;
      assert.ok(Math.abs(pace.stepsPerSecond - 1000 / msPerStep(first)) < 1e-6);
    }
    assert.ok(Math.abs(eta - (total - elapsed)) / (total - elapsed) < 0.01, `eta ${eta} vs ${total - elapsed}`);
  });
});
