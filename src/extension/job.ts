import { PaceMeter } from '../common/pace';
import type { StyleOptions } from '../common/options';
import type { FrameProgress, Progress } from '../common/report';
import {
  ENDED_STATUSES, type JobRecord, type JobReport, type JobStatus, type JobUpdate, type LossPoint, type Pace, type Preview,
  type Resource,
} from '../protocol/messages';
import type { FastStudio, StudioPicture } from './fast-studio';
import { LossHistory } from './loss-history';
import type { RunSettings } from './settings';

export type JobEvent =
  | { readonly kind: 'status' }
  | { readonly kind: 'progress'; readonly progress: Progress; readonly pace: Pace; readonly point: LossPoint }
  | { readonly kind: 'frame'; readonly progress: FrameProgress }
  | { readonly kind: 'previews' }
  | { readonly kind: 'rendered'; readonly picture: StudioPicture };

/** Progress thumbnails kept for the strip: enough to see the picture form, few enough to resend on reload. */
const MAX_PREVIEWS = 12;

/**
 * What a panel and the status bar show of one stylization: its inputs and options, fixed when it was started, and
 * how far it got. It knows nothing of VS Code: the job service drives it and the panel renders it. A job is either
 * `Job`, started in this window, or a `RestoredJob`, recorded by its panel before a window reload; `kind` tells them
 * apart (see AnyJob).
 */
export abstract class JobState {
  abstract readonly kind: 'live' | 'restored';
  status: JobStatus = 'queued';
  /** Why it stopped or failed, or the latest notice. */
  message?: string;
  backend?: string;
  progress?: Progress;
  pace?: Pace;
  /** How the run ended, as the worker reported it. */
  report?: JobReport;
  /** The file written. */
  result?: Resource;
  /** The mask saved beside it (painted in a fast job's panel). */
  mask?: Resource;
  /** The encoded best image of a run that stopped early, or a fast picture with other controls, until it is saved. */
  unsaved?: Uint8Array;
  /** A fast job's live controls, once it has a picture (see FastStudio). */
  studio?: FastStudio;
  previews: Preview[] = [];
  private readonly history = new LossHistory();
  private readonly paceMeter = new PaceMeter();
  private readonly listeners = new Set<(e: JobEvent) => void>();

  /** `styles` and `options` are those of the picture saved last: a fast job's panel may save another. */
  constructor(
    readonly id: string,
    readonly content: Resource,
    public styles: readonly Resource[],
    public options: StyleOptions,
  ) {}

  /** A job as its panel recorded it before a window reload; one that was still going was interrupted by it. */
  static restore(r: JobRecord): RestoredJob {
    const job = new RestoredJob(r.id, r.content, r.styles, r.options);
    const ended = ENDED_STATUSES.includes(r.status);
    job.status = ended ? r.status : 'interrupted';
    job.message = ended ? r.message : 'The window was reloaded while this job ran; run it again to finish it.';
    job.backend = r.backend;
    job.progress = r.progress;
    job.report = r.report;
    job.result = r.output;
    job.mask = r.mask;
    for (const p of r.losses) job.history.add(p);
    return job;
  }

  get ended(): boolean {
    return ENDED_STATUSES.includes(this.status);
  }

  /** "dog.jpg · starry_night.jpg", for titles and messages. */
  get title(): string {
    return `${this.content.name} · ${this.styles.map((s) => s.name).join(' + ')}`;
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
        this.pace = this.paceMeter.update(p);
        const point = { step: p.step, ...p.losses };
        this.history.add(point);
        // The preparing steps' message ("Loading the engine…") is over; notices from now on replace it.
        if (this.status !== 'running') this.setStatus('running');
        this.emit({ kind: 'progress', progress: p, pace: this.pace, point });
        break;
      }
      case 'preview':
        this.addPreview(m.progress.step, m.png);
        break;
      case 'frame':
        this.frame(m.progress);
        break;
    }
  }

  /** An animation's frame made (by its job, or by a render of the whole animation): the message counts them. */
  frame(p: FrameProgress): void {
    const done = p.frame === p.frames;
    this.setStatus(this.status === 'preparing' ? 'running' : this.status, done ? undefined : `Frame ${p.frame} of ${p.frames}…`);
    this.emit({ kind: 'frame', progress: p });
  }

  /** A progress thumbnail: the image after `step` steps (0: before the first, such as a fast method's picture). */
  addPreview(step: number, png: Uint8Array): void {
    this.previews.push({ step, png: plainBytes(png) });
    if (this.previews.length > MAX_PREVIEWS) {
      const last = this.previews.length - 1;
      this.previews = this.previews.filter((_, i) => i % 2 === 0 || i === last);
    }
    this.emit({ kind: 'previews' });
  }

  /** A fast picture rendered again with other controls: it is kept until it is saved. */
  rendered(picture: StudioPicture): void {
    this.keepUnsaved(picture.bytes);
    this.emit({ kind: 'rendered', picture: { ...picture, bytes: this.unsaved! } });
  }

  /** What the panel keeps across a window reload. */
  record(): JobRecord {
    return {
      id: this.id, content: this.content, styles: [...this.styles], options: this.options, status: this.status,
      message: this.message, backend: this.backend, progress: this.progress, report: this.report, losses: this.history.points(),
      output: this.result, mask: this.mask,
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

/** An image as the worker is given it. */
export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A job started in this window: it also knows where its result goes and which weights it loads, and once read, its images. */
export class Job extends JobState {
  readonly kind = 'live';
  inputs?: { readonly content: NamedBytes; readonly styles: readonly NamedBytes[] };
  /** Something about the job's settings worth saying while it runs and once it is done (see JobService.start). */
  note?: string;

  constructor(id: string, content: Resource, styles: readonly Resource[], options: StyleOptions, readonly settings: RunSettings) {
    super(id, content, styles, options);
  }
}

/**
 * A job as its panel recorded it before a window reload: what it showed, nothing it could run with; a fast picture's
 * controls render it again from its files (see FastStudio).
 */
export class RestoredJob extends JobState {
  readonly kind = 'restored';
}

export type AnyJob = Job | RestoredJob;

/**
 * The bytes as a plain Uint8Array. The worker's arrive as Node Buffers, which JSON turns into {type, data} (Buffer
 * has toJSON) before VS Code's webview messaging can pass them as binary; a copy also drops any shared pool.
 */
function plainBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}
