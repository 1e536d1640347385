import { animationFormat, type AnimationFormat, type ResultFormat } from '../common/formats';
import { fastControlsOf, withFastControls, type FastControlOptions, type StyleOptions } from '../common/options';
import type { JobUpdate, PaintedMask, RenderAnswer, RenderEncoding, Resource, StudioView } from '../protocol/messages';
import type { JobState, NamedBytes } from './job';
import type { WorkerClient } from './worker-client';

export interface StudioDeps {
  readonly worker: WorkerClient;
  /** Reads one of the job's files (the content, a style, a saved mask) as the worker is sent it. */
  readonly read: (r: Resource) => Promise<NamedBytes>;
}

/** How the job's message begins when its picture could not be rendered (the reason follows). */
export const RENDER_FAILED = 'Could not render the picture';

/** A picture the studio made: the newest change it shows (the panel's number), its controls, preview or whole. */
export interface StudioPicture {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly controls: FastControlOptions;
  readonly final: boolean;
}

/**
 * A fast job's live controls and the one owner of their state on the extension's side: strength, stroke size,
 * colours, a second style with its blend, and the mask painted in the panel. Each change renders the picture again
 * from the job's session in the worker (see FastSession), which holds the images and vectors, so that only the
 * controls travel. While a render runs, only the newest change waits for the next, so the picture follows a control
 * without a backlog. A worker that holds no session for the job (dropped for room, a new worker after an idle close
 * or a window reload) is sent the job's files again to open one. Of an animation, a control being moved renders its
 * first frame alone, and letting go renders the whole animation (as its output: GIF or WebP). It knows nothing of
 * VS Code.
 */
export class FastStudio {
  controls: FastControlOptions;
  /** The style images now: the job's, perhaps with a second one added in the panel. */
  styles: Resource[];
  /** The mask in use, as painted (or as read from the saved file once the session was opened with it). */
  mask?: PaintedMask;
  /** The picture's size. */
  size: { width: number; height: number };
  /** The mask the worker's session holds, as far as the studio knows (undefined: none). */
  private sentMask?: PaintedMask;
  /** A saved mask not yet read: the session is opened with it, and the mask painted from then on starts from it. */
  private maskFile?: Resource;
  /** The worker's session has other styles than these: it is opened again before the next render. */
  private stale = false;
  private want?: { seq: number; final: boolean };
  private queued = false;
  private chain: Promise<unknown> = Promise.resolve();
  private lastSeq = 0;

  /**
   * `size` is the picture's; `maskFile` the mask saved with it. A job just run has its session in the worker
   * already (it was run with keepSession); a restored one is opened on its first render.
   */
  constructor(
    private readonly job: JobState,
    private readonly deps: StudioDeps,
    size: { readonly width: number; readonly height: number },
    maskFile?: Resource,
  ) {
    this.controls = fastControlsOf(job.options);
    this.styles = [...job.styles];
    this.size = { width: size.width, height: size.height };
    this.maskFile = maskFile;
  }

  /** The job's options with the controls as they are now (see withFastControls). */
  /** The animation's own format, when the content is an animation (known from its result, or its session once opened). */
  get animation(): AnimationFormat | undefined {
    return this.job.report?.animation?.format;
  }

  /** The format a picture saved in `asked` is written in: an animation's own, unless `asked` holds animations too. */
  resultFormat(asked: ResultFormat): ResultFormat {
    return this.animation ? animationFormat(asked, this.animation) : asked;
  }

  get options(): StyleOptions {
    return withFastControls(this.job.options, this.controls, (this.mask !== undefined || this.maskFile !== undefined) && this.styles.length === 2);
  }

  view(): Omit<StudioView, 'styleSrcs'> {
    return { controls: this.controls, ...this.size, mask: this.mask?.bytes, styles: this.styles };
  }

  /** Controls moved in the panel (`final`: let go): the picture follows. */
  change(seq: number, controls: Partial<FastControlOptions>, final: boolean): void {
    this.controls = { ...this.controls, ...controls };
    this.schedule(seq, final);
  }

  /** The mask was painted, inverted or cleared. */
  paint(seq: number, mask: PaintedMask | 'none', final: boolean): void {
    this.mask = mask === 'none' ? undefined : mask;
    this.maskFile = undefined;
    this.schedule(seq, final);
  }

  /** Another set of style images (a second one added or removed): the session is opened again with them. */
  setStyles(styles: readonly Resource[]): void {
    this.styles = [...styles];
    const blend = this.controls.styleBlendWeights;
    this.controls = { ...this.controls, styleBlendWeights: styles.length === 2 ? (blend.length === 2 ? blend : [0.5, 0.5]) : [] };
    this.stale = true;
    this.schedule(this.lastSeq, true);
  }

  /**
   * The picture as the output file: encoded as asked, with the settings recorded inside and the mask's PNG.
   * Waits for the renders asked for before.
   */
  output(encoding: Omit<Extract<RenderEncoding, { type: 'output' }>, 'type'>): Promise<RenderAnswer> {
    return this.serial(() => this.request({ type: 'output', ...encoding }, { ...this.controls }));
  }

  /** The picture shown is saved as `result` (with `mask` beside it): the job is now what was saved. */
  saved(result: Resource, mask: Resource | undefined): void {
    this.job.options = this.options;
    this.job.styles = [...this.styles];
    this.job.result = result;
    this.job.mask = mask;
    this.job.unsaved = undefined;
  }

  /** The panel is gone: the worker may free the session (it is opened again if the panel comes back). */
  close(): void {
    this.deps.worker.closeSession(this.job.id);
  }

  private schedule(seq: number, final: boolean): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.want = { seq, final };
    if (this.queued) return;
    this.queued = true;
    void this.serial(async () => {
      this.queued = false;
      const { seq, final } = this.want!;
      this.want = undefined;
      const controls = { ...this.controls };
      // An animation let go of is made whole, as it would be saved, so that the panel plays it (a still format asked
      // for keeps the animation's own).
      const whole: RenderEncoding = this.animation ? { type: 'output', format: 'png' } : { type: 'picture' };
      const answer = await this.request(final ? whole : { type: 'preview' }, controls);
      if (answer.type === 'rendered') this.job.rendered({ seq, bytes: answer.bytes, controls, final });
    });
  }

  /** Runs `work` after the studio's earlier requests: the worker takes one request of a job at a time. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => {});
    return next;
  }

  /** A render from the session, opened first when the worker holds none (or an outdated one); a failure is said in the panel. */
  private async request(encoding: RenderEncoding, controls: FastControlOptions): Promise<RenderAnswer> {
    let answer: RenderAnswer;
    try {
      answer = (this.stale && (await this.open())) || (await this.render(encoding, controls));
      if (answer.type === 'noSession') answer = (await this.open()) ?? (await this.render(encoding, controls));
    } catch (e) {
      answer = { type: 'failed', jobId: this.job.id, message: (e as Error)?.message ?? String(e), userError: false };
    }
    if (answer.type === 'noSession') answer = { type: 'failed', jobId: this.job.id, message: 'the worker dropped the session just opened', userError: false };
    if (answer.type === 'failed') this.job.setStatus(this.job.status, `${RENDER_FAILED}: ${answer.message}`);
    return answer;
  }

  /** One render; the mask travels only when it changed since the worker's session last took one. */
  private async render(encoding: RenderEncoding, controls: FastControlOptions): Promise<RenderAnswer> {
    const sending = this.mask;
    const mask = sending === this.sentMask ? undefined : (sending ?? 'none');
    const answer = await this.deps.worker.render({ type: 'render', jobId: this.job.id, controls, mask, encoding }, this.onUpdate);
    if (answer.type === 'rendered') this.sentMask = sending;
    return answer;
  }

  /** Opens the job's session in the worker from its files; the failure, if it fails. */
  private async open(): Promise<Extract<RenderAnswer, { type: 'failed' }> | undefined> {
    const [content, ...styles] = await Promise.all([this.job.content, ...this.styles].map(this.deps.read));
    const maskFile = this.maskFile && (await this.deps.read(this.maskFile));
    const answer = await this.deps.worker.openSession(
      { type: 'openSession', jobId: this.job.id, content, styles, mask: maskFile, options: this.options },
      this.onUpdate,
    );
    if (answer.type === 'failed') return answer;
    this.stale = false;
    if (answer.animation && this.job.report) this.job.report = { ...this.job.report, animation: { format: answer.animation.format, frames: answer.animation.frames } };
    this.size = { width: answer.width, height: answer.height };
    this.sentMask = undefined;
    if (maskFile) {
      // The saved mask, now at hand to paint on: the panel is shown it.
      this.mask = this.sentMask = answer.mask && { width: answer.width, height: answer.height, bytes: answer.mask };
      this.maskFile = undefined;
      this.job.setStatus(this.job.status, this.job.message);
    }
    return undefined;
  }

  /** Notices from the worker (a mask stretched to the picture's shape, say) are shown as the job's message. */
  private readonly onUpdate = (m: JobUpdate) => {
    if (m.type === 'notice') this.job.setStatus(this.job.status, m.message);
    if (m.type === 'frame') this.job.frame(m.progress);
  };
}
