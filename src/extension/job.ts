import type { StyleOptions } from '../engine/options';
import type { Progress } from '../engine/report';
import type { JobRecord, JobUpdate, JobStatus, LossPoint, Pace, Preview, Resource } from '../protocol/messages';
import { PaceMeter } from '../engine/pace';
import { LossHistory } from './loss-history';
import type { RunSettings } from './settings';

export type JobEvent =
  | { readonly kind: 'status' }
  | { readonly kind: 'progress'; readonly progress: Progress; readonly pace: Pace; readonly point: LossPoint }
  | { readonly kind: 'previews' };

/** Progress thumbnails kept for the strip: enough to see the picture form, few enough to resend on reload. */
const MAX_PREVIEWS = 12;

const ENDED: readonly JobStatus[] = ['done', 'cancelled', 'diverged', 'failed', 'interrupted'];

/**
 * One stylization: its inputs and options, fixed when it was started, and everything the panel and the status
 * bar show of it. It knows nothing of VS Code: the job service drives it and the panel renders it.
 */
export class Job {
  status: JobStatus = 'queued';
  /** Why it stopped or failed, or the latest notice. */
  message?: string;
  backend?: string;
  progress?: Progress;
  pace?: Pace;
  width?: number;
  height?: number;
  steps = 0;
  elapsedMs = 0;
  /** The file written. */
  result?: Resource;
  /** The encoded best image of a run that stopped early, until the user saves it (see `keepUnsaved`). */
  unsaved?: Uint8Array;
  previews: Preview[] = [];
  private readonly history = new LossHistory();
  private readonly paceMeter = new PaceMeter();
  private totalSteps?: number;
  private readonly listeners = new Set<(e: JobEvent) => void>();

  constructor(
    readonly id: string,
    readonly content: Resource,
    readonly styles: readonly Resource[],
    readonly options: StyleOptions,
    /** Where the result goes and the weights; absent for a job restored after a reload, which does not run. */
    readonly run?: RunSettings,
  ) {}

  /** A job as its panel recorded it before a window reload; one that was still going was interrupted by it. */
  static restore(r: JobRecord): Job {
    const job = new Job(r.id, r.content, r.styles, r.options);
    const ended = ENDED.includes(r.status);
    job.status = ended ? r.status : 'interrupted';
    job.message = ended ? r.message : 'The window was reloaded while this job ran; run it again to finish it.';
    job.backend = r.backend;
    job.width = r.width;
    job.height = r.height;
    job.steps = r.steps;
    job.totalSteps = r.totalSteps;
    job.elapsedMs = r.elapsedMs;
    job.result = r.output;
    for (const p of r.losses) job.history.add(p);
    return job;
  }

  get ended(): boolean {
    return ENDED.includes(this.status);
  }

  /** "dog.jpg · starry_night.jpg", for titles and messages. */
  get title(): string {
    return `${this.content.name} · ${this.styles.map((s) => s.name).join(' + ')}`;
  }

  /** Where the run ended: its last image's size and how far it got. */
  ranTo(end: { width: number; height: number; steps: number; elapsedMs: number }): void {
    this.width = end.width;
    this.height = end.height;
    this.steps = end.steps;
    this.elapsedMs = end.elapsedMs;
  }

  /** Keeps a result in memory until it is saved. */
  keepUnsaved(bytes: Uint8Array): void {
    this.unsaved = plainBytes(bytes);
  }

  setStatus(status: JobStatus, message?: string): void {
    this.status = status;
    this.message = message;
    this.emit({ kind: 'status' });
  }

  /** Progress, previews and notices from the worker while the job runs. */
  apply(m: JobUpdate): void {
    switch (m.type) {
      case 'backend':
        this.backend = `${m.name} (${m.detail})`;
        this.emit({ kind: 'status' });
        break;
      case 'notice':
        this.message = m.message;
        this.emit({ kind: 'status' });
        break;
      case 'progress': {
        const p = m.progress;
        this.progress = p;
        this.steps = p.step;
        this.totalSteps = p.totalSteps;
        this.elapsedMs = p.elapsedMs;
        this.width = p.width;
        this.height = p.height;
        this.pace = this.paceMeter.update(p);
        const point = { step: p.step, ...p.losses };
        this.history.add(point);
        // The preparing steps' message ("Loading the engine…") is over; notices from now on replace it.
        if (this.status !== 'running') this.setStatus('running');
        this.emit({ kind: 'progress', progress: p, pace: this.pace, point });
        break;
      }
      case 'preview': {
        const preview = { step: m.progress.step, png: plainBytes(m.png) };
        this.previews.push(preview);
        if (this.previews.length > MAX_PREVIEWS) {
          const last = this.previews.length - 1;
          this.previews = this.previews.filter((_, i) => i % 2 === 0 || i === last);
        }
        this.emit({ kind: 'previews' });
        break;
      }
    }
  }

  /** What the panel keeps across a window reload. */
  record(): JobRecord {
    return {
      id: this.id, content: this.content, styles: [...this.styles], options: this.options, status: this.status,
      message: this.message, backend: this.backend, width: this.width, height: this.height, steps: this.steps,
      totalSteps: this.totalSteps, elapsedMs: this.elapsedMs, losses: this.history.points(), output: this.result,
    };
  }

  onEvent(listener: (e: JobEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(e: JobEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/**
 * The bytes as a plain Uint8Array. The worker's arrive as Node Buffers, which JSON turns into {type, data} (Buffer
 * has toJSON) before VS Code's webview messaging can pass them as binary; a copy also drops any shared pool.
 */
function plainBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}
