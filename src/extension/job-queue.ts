/**
 * Jobs run one at a time, in the order they were added: the engine uses every core, so two at once would each
 * take twice as long and hold twice the memory.
 */
export class JobQueue<J extends { readonly id: string }> {
  private waiting: J[] = [];
  private current?: { readonly job: J; readonly controller: AbortController };
  private readonly listeners = new Set<() => void>();

  /**
   * `execute` runs a job to its end and reports its own failures; it stops early when its signal is aborted.
   * `onBug` hears of anything it throws nonetheless, and the queue goes on with the next job.
   */
  constructor(
    private readonly execute: (job: J, signal: AbortSignal) => Promise<void>,
    private readonly onBug: (e: unknown) => void,
  ) {}

  get running(): J | undefined {
    return this.current?.job;
  }

  get queued(): readonly J[] {
    return this.waiting;
  }

  /** Jobs that will run before this one: 0 for the running job, undefined for one not in the queue. */
  ahead(id: string): number | undefined {
    if (this.current?.job.id === id) return 0;
    const i = this.waiting.findIndex((j) => j.id === id);
    return i < 0 ? undefined : i + (this.current ? 1 : 0);
  }

  add(job: J): void {
    this.waiting.push(job);
    this.changed();
    void this.next();
  }

  /** `removed`: it had not started; `stopping`: it runs and was told to stop; `unknown`: not in the queue. */
  cancel(id: string): 'removed' | 'stopping' | 'unknown' {
    const i = this.waiting.findIndex((j) => j.id === id);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      this.changed();
      return 'removed';
    }
    if (this.current?.job.id === id) {
      this.current.controller.abort();
      return 'stopping';
    }
    return 'unknown';
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Drops the waiting jobs and stops the running one. */
  dispose(): void {
    this.waiting = [];
    this.current?.controller.abort();
    this.listeners.clear();
  }

  private async next(): Promise<void> {
    if (this.current) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.current = { job, controller: new AbortController() };
    this.changed();
    try {
      await this.execute(job, this.current.controller.signal);
    } catch (e) {
      this.onBug(e);
    }
    this.current = undefined;
    this.changed();
    void this.next();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
