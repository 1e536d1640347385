import { STYLE_OPTION_DEFS, optionProblem, type FastControlOptions } from '../src/common/options';
import type { Progress } from '../src/common/report';
import {
  EDITABLE_OPTIONS, ENDED_STATUSES, type EditableOptions, type FromWebview, type JobStatus, type JobView, type LossPoint,
  type Pace, type Preview,
} from '../src/protocol/messages';
import type { BrushSettings } from './brush';
import { h } from './dom';
import { duration, loss, rate, whereInRun } from './format';
import { LossChart } from './loss-chart';
import { StudioControls, type StudioRequest } from './studio';

const STATUS_TEXT: Record<JobStatus, string> = {
  queued: 'Waiting',
  preparing: 'Preparing',
  running: 'Running',
  done: 'Done',
  cancelled: 'Cancelled',
  diverged: 'Stopped',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

const LABELS: Record<Exclude<keyof EditableOptions, 'method'>, string> = {
  styleWeight: 'Style weight',
  contentWeight: 'Content weight',
  tvWeight: 'TV weight',
  steps: 'Steps',
  maxSize: 'Size (px)',
};

/**
 * The page of one job. `show` draws it whole from the extension's state; `tick` and `previews` update the parts
 * that move while the job runs (numbers, curves, pictures) without redrawing the rest.
 */
export class JobPage {
  private job?: JobView;
  private chart?: LossChart;
  private stats?: HTMLElement;
  private pictures?: HTMLElement;
  private buttons?: HTMLElement;
  /** Object URLs of the in-memory images shown, released when they are replaced. */
  private urls: string[] = [];
  private studio?: StudioControls;
  /** The brush as last set, kept while the page is drawn again. */
  private readonly brush: BrushSettings = { on: false, paint: 'black', size: 12, softness: 0.5 };
  /** The changes of the fast picture's controls sent, by number, and when (to time how soon each shows). */
  private seq = 0;
  private readonly sentAt = new Map<number, number>();
  /** How long the last change took to show, from the control moving to the picture drawn. */
  private latencyMs?: number;
  /** Pictures rendered again and drawn so far. */
  private shownCount = 0;

  constructor(private readonly root: HTMLElement, private readonly post: (m: FromWebview) => void) {}

  show(job: JobView): void {
    this.job = job;
    this.chart?.dispose();
    const r = job.record;
    const ended = ENDED_STATUSES.includes(r.status);
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Loss curves' });
    this.stats = h('dl', { class: 'stats' });
    this.pictures = h('section', { class: 'pictures' });
    this.buttons = h('section', { class: 'actions' });
    this.studio = job.studio && r.status === 'done'
      ? new StudioControls(job.studio, r.options.maxSize, this.brush, (request) => this.sendStudio(request))
      : undefined;
    this.root.replaceChildren(...present(
      h('header', {},
        h('h1', {}, `${r.content.name} `, h('span', { class: 'muted' }, 'in the style of'), ` ${r.styles.map((s) => s.name).join(' + ')}`),
        h('span', { class: `status status-${r.status}`, id: 'status' }, STATUS_TEXT[r.status]),
      ),
      r.message ? h('p', { class: `message${r.status === 'failed' ? ' error' : ''}`, id: 'message' }, r.message) : null,
      job.ahead ? h('p', { class: 'muted' }, `${job.ahead} job${job.ahead > 1 ? 's' : ''} ahead of this one.`) : null,
      h('section', { class: 'inputs' },
        figure(job.contentSrc, 'Content', r.content.name),
        ...job.styleSrcs.map((src, i) => figure(src, 'Style', r.styles[i].name)),
      ),
      // A fast picture's controls beside it, where the panel is wide enough.
      this.studio ? h('div', { class: 'studio-view' }, this.pictures, this.studio.element) : this.pictures,
      this.stats,
      r.options.method === 'optimize' ? h('section', { class: 'chart' }, canvas) : null,
      this.buttons,
      ended && r.status !== 'failed' ? this.runAgainForm(job) : null,
    ));
    this.chart = new LossChart(canvas, r.losses);
    this.drawPictures();
    this.drawStats();
    this.drawButtons();
  }

  /**
   * A fast picture rendered again: it replaces the one shown, unsaved, in place (the comparison's edge stays where
   * it is); the time since change `seq` was sent is shown once the picture is drawn.
   */
  rendered(seq: number, bytes: Uint8Array, controls: FastControlOptions, final: boolean): void {
    if (!this.job?.studio) return;
    this.job = { ...this.job, unsaved: bytes, studio: { ...this.job.studio, controls } };
    const result = this.pictures?.querySelector<HTMLImageElement>('#result');
    if (!result) {
      this.drawPictures();
      this.root.dataset.shown = String(++this.shownCount);
    } else {
      const old = result.src;
      result.src = this.objectUrl(bytes);
      this.urls = this.urls.filter((u) => u !== old);
      // An animation shows its first frame alone while a control moves, and plays whole once it is let go.
      const frames = this.job.record.report?.animation?.frames;
      if (frames) {
        result.dataset.final = String(final);
        result.closest('figure')!.querySelector('figcaption')!.textContent = final
          ? 'Before | after: not saved yet'
          : `Before | after: the first of ${frames} frames; the whole animation follows when you let go`;
      }
      void result.decode().catch(() => {}).then(() => {
        URL.revokeObjectURL(old);
        this.root.dataset.shown = String(++this.shownCount);
        const sent = this.sentAt.get(seq);
        if (sent === undefined) return;
        for (const k of this.sentAt.keys()) if (k <= seq) this.sentAt.delete(k);
        this.latencyMs = performance.now() - sent;
        result.dataset.seq = String(seq);
        result.dataset.latencyMs = this.latencyMs.toFixed(0);
        // Every picture's time, the quick previews of a moving control included, for end-to-end tests to report.
        this.root.dataset.latencies = `${this.root.dataset.latencies ?? ''} ${seq}:${this.latencyMs.toFixed(0)}`.trim();
        this.drawStats();
      });
      result.closest('figure')!.querySelector('figcaption')!.textContent = 'Before | after: Not saved yet';
    }
    this.drawStats();
    this.drawButtons();
  }

  /** A request of the fast picture's controls, numbered and timed. */
  private sendStudio(request: StudioRequest): void {
    if (request.type === 'pickStyle' || request.type === 'removeStyle') {
      this.post({ type: request.type });
      return;
    }
    const seq = ++this.seq;
    this.sentAt.set(seq, performance.now());
    // The newest change sent, and (on the result, see rendered) the newest shown: end-to-end tests wait on them.
    this.root.dataset.sent = String(seq);
    this.post({ ...request, seq });
  }

  tick(progress: Progress, pace: Pace, points: readonly LossPoint[]): void {
    if (!this.job) return;
    this.job = { ...this.job, record: { ...this.job.record, progress }, pace };
    this.chart?.add(points);
    this.drawStats();
  }

  previews(previews: Preview[]): void {
    if (!this.job) return;
    this.job = { ...this.job, previews };
    this.drawPictures();
  }

  private objectUrl(bytes: Uint8Array): string {
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    this.urls.push(url);
    return url;
  }

  /** The evolving image and the strip while running; the result against the content when done. */
  private drawPictures(): void {
    const job = this.job!;
    const r = job.record;
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls = [];
    const strip = job.previews.map((p) =>
      h('figure', { class: 'thumb' }, h('img', { src: this.objectUrl(p.png), alt: `Step ${p.step}` }), h('figcaption', {}, `${p.step}`)),
    );
    // The picture not yet saved (the best so far, or a fast picture with other controls) is the one to look at.
    const resultSrc = job.unsaved ? this.objectUrl(job.unsaved) : job.outputSrc;
    let main: HTMLElement;
    if (resultSrc) {
      main = comparison(job.contentSrc, resultSrc, job.unsaved || !r.output ? 'Not saved yet' : r.output.name);
      // The brush paints the regions over the picture.
      if (this.studio) main.querySelector('.stack')!.append(this.studio.brush.overlay);
    } else if (job.previews.length > 0) {
      const current = job.previews[job.previews.length - 1];
      const caption = current.step === 0 ? 'The fast method\'s picture, while the optimisation gets ready' : `Step ${current.step}`;
      main = h('figure', { class: 'current' },
        h('img', { src: this.objectUrl(current.png), alt: caption, id: 'current' }),
        h('figcaption', {}, caption));
    } else {
      const waiting = r.status === 'queued' || r.status === 'preparing' ? 'The first image appears after the first step.' : 'No image.';
      main = h('figure', { class: 'current placeholder' }, h('img', { src: job.contentSrc, alt: '' }), h('figcaption', {}, waiting));
    }
    this.pictures!.replaceChildren(main, strip.length > 0 ? h('div', { class: 'strip', 'aria-label': 'Progress thumbnails' }, ...strip) : '');
  }

  private drawStats(): void {
    const job = this.job!;
    const r = job.record;
    // While it runs the last progress tells where it is; once it has ended, its report.
    const p = r.progress;
    const end = r.report;
    const step = end?.steps ?? p?.step ?? 0;
    const total = p?.totalSteps;
    const width = end?.width ?? p?.width;
    const height = end?.height ?? p?.height;
    const elapsedMs = end?.elapsedMs ?? p?.elapsedMs;
    const lastLoss = end?.losses?.total ?? p?.losses.total ?? r.losses[r.losses.length - 1]?.total;
    const running = r.status === 'running';
    const fast = r.options.method === 'fast';
    const controls = job.studio?.controls;
    const items: [string, string | undefined][] = [
      ['Method', fast ? 'Fast (Magenta\'s arbitrary stylization network)' : undefined],
      ['Frames', end?.animation && `${end.animation.frames} (${end.animation.format === 'gif' ? 'GIF' : 'WebP'})`],
      ['Strength', controls?.styleStrength.toFixed(2)],
      ['Stroke', controls && `×${controls.styleScale.toFixed(2)}`],
      ['Last change', this.latencyMs === undefined ? undefined : `shown in ${(this.latencyMs / 1000).toFixed(2)} s`],
      ['Step', fast ? undefined : total ? `${step} of ${total}` : step > 0 ? `${step}` : undefined],
      ['Speed', running && job.pace ? rate(job.pace.stepsPerSecond) : undefined],
      ['Elapsed', elapsedMs === undefined ? undefined : fast ? `${(elapsedMs / 1000).toFixed(2)} s` : duration(elapsedMs)],
      ['Left', running && job.pace?.etaMs !== undefined ? `about ${duration(job.pace.etaMs)}` : undefined],
      ['Size', width && height ? `${width}×${height}${running && p ? whereInRun(p) : ''}` : undefined],
      ['Loss', !fast && lastLoss !== undefined ? loss(lastLoss) : undefined],
      ['Backend', r.backend],
    ];
    this.stats!.replaceChildren(
      ...items.filter(([, v]) => v !== undefined).map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', { 'data-stat': k.toLowerCase() }, v!))),
    );
    const progress = p ? p.step / p.totalSteps : 0;
    this.stats!.style.setProperty('--progress', String(running ? progress : 0));
  }

  private drawButtons(): void {
    const job = this.job!;
    const r = job.record;
    const button = (label: string, m: FromWebview, primary = false) => {
      const b = h('button', { type: 'button', class: primary ? 'primary' : 'secondary' }, label);
      b.addEventListener('click', () => this.post(m));
      return b;
    };
    const fast = r.options.method === 'fast';
    this.buttons!.replaceChildren(...present(
      !ENDED_STATUSES.includes(r.status) ? button('Cancel', { type: 'cancel' }) : null,
      job.unsaved ? button(fast ? 'Save' : 'Save Best Image', { type: 'save' }, true) : null,
      r.output ? button('Open', { type: 'open' }, !job.unsaved) : null,
      r.output ? button('Reveal in Explorer', { type: 'reveal' }) : null,
      fast && r.status === 'done' ? button('Optimize with VGG19', { type: 'runAgain', options: { method: 'optimize' } }) : null,
      fast && r.status === 'done' ? button('Try All Styles', { type: 'tryAllStyles' }) : null,
    ));
  }

  /** The options of this run that the panel can change, editable, and a button to run again with them. */
  private runAgainForm(job: JobView): HTMLElement {
    const error = h('p', { class: 'error', role: 'alert' });
    const inputs = EDITABLE_OPTIONS[job.record.options.method].map((key) => {
      const def = STYLE_OPTION_DEFS[key];
      const input = h('input', {
        type: 'number', name: key, id: `again-${key}`, value: job.record.options[key], min: def.min, max: def.max,
        step: 'integer' in def && def.integer ? 1 : 'any', required: true,
      });
      return { key, input, field: h('label', { for: `again-${key}` }, LABELS[key], input) };
    });
    const form = h('form', { class: 'again' }, ...inputs.map((i) => i.field), h('button', { type: 'submit', class: 'primary' }, 'Run Again'), error);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const options = Object.fromEntries(inputs.map(({ key, input }) => [key, input.value === '' ? NaN : Number(input.value)])) as EditableOptions;
      for (const { key, input } of inputs) {
        const problem = optionProblem(STYLE_OPTION_DEFS[key], options[key]);
        input.setAttribute('aria-invalid', String(problem !== undefined));
        if (problem) {
          error.textContent = `${LABELS[key]} ${problem}`;
          input.focus();
          return;
        }
      }
      error.textContent = '';
      this.post({ type: 'runAgain', options });
    });
    const what = job.record.options.method === 'fast' ? 'size' : 'weights, steps or size';
    return h('details', { class: 'again', open: true }, h('summary', {}, `Run again with another ${what}`), form);
  }
}

function present(...nodes: (Node | null)[]): Node[] {
  return nodes.filter((n): n is Node => n !== null);
}

function figure(src: string, role: string, name: string): HTMLElement {
  return h('figure', { class: 'input' }, h('img', { src, alt: `${role}: ${name}` }), h('figcaption', {}, h('span', { class: 'muted' }, role), ` ${name}`));
}

/** Before and after, one over the other; the slider (or arrow keys) moves the edge between them. */
function comparison(beforeSrc: string, afterSrc: string, caption: string): HTMLElement {
  const after = h('img', { src: afterSrc, alt: 'Result', class: 'after', id: 'result' });
  const before = h('img', { src: beforeSrc, alt: 'Content before', class: 'before' });
  const slider = h('input', { type: 'range', min: 0, max: 100, value: 50, 'aria-label': 'Before and after: drag to compare' });
  const set = () => {
    after.style.clipPath = `inset(0 0 0 ${slider.value}%)`;
  };
  slider.addEventListener('input', set);
  set();
  after.addEventListener('error', () => {
    fig.querySelector('figcaption')!.textContent = `${caption}: the file cannot be shown (moved or deleted?)`;
  });
  const fig = h('figure', { class: 'compare' }, h('div', { class: 'stack' }, before, after), slider, h('figcaption', {}, `Before | after: ${caption}`));
  return fig;
}
