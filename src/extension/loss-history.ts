import type { LossPoint } from '../protocol/messages';

/**
 * The loss curve of a run, kept to a bounded number of points whatever the number of steps: when full, every
 * other point goes and from then on only every 2nd (4th, ...) step is kept. The newest point is always there,
 * so the curve ends where the run is.
 */
export class LossHistory {
  private kept: LossPoint[];
  private latest?: LossPoint;
  private stride = 1;

  constructor(private readonly capacity = 400, initial: readonly LossPoint[] = []) {
    this.kept = [];
    for (const p of initial) this.add(p);
  }

  add(p: LossPoint): void {
    this.latest = p;
    const last = this.kept[this.kept.length - 1];
    if (last && p.step - last.step < this.stride) return;
    this.kept.push(p);
    if (this.kept.length > this.capacity) {
      this.kept = this.kept.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  points(): LossPoint[] {
    const last = this.kept[this.kept.length - 1];
    return this.latest && this.latest !== last ? [...this.kept, this.latest] : [...this.kept];
  }
}
