import type * as vscode from 'vscode';
import type { Job } from './job';
import { runMessage } from './run-job';
import type { WorkerClient } from './worker-client';

/**
 * Renders fast jobs again at another strength (the panel's slider). A render takes a fraction of a second and runs
 * beside whatever the worker is doing; while one runs, only the newest strength asked for is kept for the next, so
 * the picture follows the slider without a backlog.
 */
export class Restyler {
  private readonly wanted = new Map<string, number>();
  private readonly running = new Set<string>();
  private renders = 0;

  constructor(
    private readonly worker: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  request(job: Job, strength: number): void {
    if (job.options.method !== 'fast' || !job.inputs) return;
    this.wanted.set(job.id, strength);
    if (!this.running.has(job.id)) void this.render(job);
  }

  private async render(job: Job): Promise<void> {
    this.running.add(job.id);
    try {
      for (let s = this.wanted.get(job.id); s !== undefined && s !== job.strength; s = this.wanted.get(job.id)) {
        const options = { ...job.options, styleStrength: s };
        const end = await this.worker.run(runMessage(job, `${job.id}/strength-${++this.renders}`, options), () => {});
        if (end.type === 'failed') {
          job.setStatus(job.status, `Could not render strength ${s}: ${end.message}`);
          return;
        }
        job.restyled(s, end.result.bytes);
      }
    } catch (e) {
      this.log.error(`${job.title}: rendering another strength failed: ${(e as Error)?.message ?? e}`);
    } finally {
      this.running.delete(job.id);
      this.wanted.delete(job.id);
    }
  }
}
