import * as assert from 'node:assert/strict';
import { LossHistory } from '../../../src/extension/loss-history';

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
