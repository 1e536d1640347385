/**
 * Lets something through at most once per interval, the first time always: progress that people watch (bars,
 * notifications, previews) need not follow every step, and redrawing it each time would cost more than the step.
 */
export class Throttle {
  private last = -Infinity;

  constructor(private readonly intervalMs: number) {}

  /** Whether the interval has passed since the last time this said yes; `now` in milliseconds. */
  due(now = performance.now()): boolean {
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}
