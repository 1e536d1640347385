/**
 * Every message between the extension, its worker process and its webview panels, with the state a panel keeps
 * across a window reload. Each side checks what it receives with `parse` before acting on it: the worker may be
 * a different build after an update, and a panel's saved state may come from an older version. The types are
 * inferred from the schemas, and the schemas of what the engine reports are checked against the engine's types.
 */
import * as v from 'valibot';
import type { Losses } from '../common/report';
import { BACKEND_NAMES } from '../common/backends';
import { FAST_CONTROL_KEYS, STYLE_OPTION_DEFS, optionProblem, type Method, type StyleOptionKey, type StyleOptions } from '../common/options';
import type { Pace } from '../common/pace';
import { OUTCOMES, type FrameProgress, type ImagesResult, type Progress, type RunReport } from '../common/report';
import type { Animation } from '../common/animation';
import { ANIMATION_FORMATS, OUTPUT_FORMATS } from '../common/formats';
import { array, boolean, bytes, count, got, message, number, object, oneOf, string, tagged, wholeFrom } from './fields';

const losses = object({ total: number, style: number, content: number, tv: number }) satisfies v.GenericSchema<Losses>;

const progress = object({
  step: count, totalSteps: count, stage: count, stages: count, tile: v.optional(object({ index: count, count })),
  width: count, height: count, losses, elapsedMs: number, stepEquivalents: number, totalStepEquivalents: number,
}) satisfies v.GenericSchema<Progress>;

const frameProgress = object({ frame: count, frames: count, elapsedMs: number }) satisfies v.GenericSchema<FrameProgress>;

/** What a panel needs to know of an animated content: its frames, their delays, how it loops, its format. */
const animation = object({
  format: oneOf(ANIMATION_FORMATS), frames: wholeFrom(2), delays: array(count), loop: count,
}) satisfies v.GenericSchema<Omit<Animation, 'width' | 'height'>>;
export type AnimationInfo = v.InferOutput<typeof animation>;

/** A result that is an animation: its format (which the file's name takes) and its frames. */
const resultAnimation = object({ format: oneOf(ANIMATION_FORMATS), frames: count });

const report = object({
  outcome: oneOf(OUTCOMES), message: v.optional(string), losses: v.optional(losses), steps: count, elapsedMs: number,
  stepEquivalents: number, width: count, height: count,
}) satisfies v.GenericSchema<RunReport>;

/** One option, within the option table's range (the same check as settings and flags). */
function option<const K extends StyleOptionKey>(key: K): v.GenericSchema<StyleOptions[K]> {
  const def = STYLE_OPTION_DEFS[key];
  return v.custom<StyleOptions[K]>((x) => optionProblem(def, x) === undefined, (i) => optionProblem(def, i.input)!);
}

/** The options named, each checked; with `partial`, each may be absent. */
function options<const K extends StyleOptionKey>(keys: readonly K[], partial: true): v.GenericSchema<Partial<Pick<StyleOptions, K>>>;
function options<const K extends StyleOptionKey>(keys: readonly K[]): v.GenericSchema<Pick<StyleOptions, K>>;
function options(keys: readonly StyleOptionKey[], partial = false): v.GenericSchema<unknown> {
  return object(Object.fromEntries(keys.map((key) => [key, partial ? v.optional(option(key)) : option(key)])));
}

const styleOptions = options(Object.keys(STYLE_OPTION_DEFS) as StyleOptionKey[]);

const namedBytes = object({ name: string, bytes });

/** The controls of a fast picture (FAST_CONTROL_KEYS), each checked. */
const fastControls = options(FAST_CONTROL_KEYS);

/**
 * A mask painted in a panel, at the picture's size: one byte per pixel, row by row, from 0 (black: the content, or
 * the second style) to 255 (white: the first style).
 */
const paintedMask = v.pipe(
  object({ width: wholeFrom(1), height: wholeFrom(1), bytes }),
  v.check((m) => m.bytes.length === m.width * m.height, (i) => {
    const m = i.input as { width: number; height: number; bytes: Uint8Array };
    return `must hold ${m.width}x${m.height} bytes, got ${m.bytes.length}`;
  }),
);
export type PaintedMask = v.InferOutput<typeof paintedMask>;
/** A mask to use from now on, or 'none' to remove the one in use. */
const maskChange = v.union([v.literal('none'), paintedMask], got("a painted mask or 'none'"));

// ---- extension <-> worker (child_process IPC with advanced serialization, so bytes travel as they are) ----

export const toWorker = tagged([
  message('run', {
    jobId: string,
    content: namedBytes,
    styles: v.pipe(array(namedBytes), v.minLength(1, 'must hold at least one style image')),
    mask: v.optional(namedBytes),
    options: styleOptions,
    weightsPath: string,
    format: oneOf(OUTPUT_FORMATS),
    quality: v.optional(count),
    /** Longer side of the progress thumbnails; one of a few pixels is already a picture. */
    previewSize: wholeFrom(16),
    /** A fast job's session is kept for renders with other controls (see `render`). */
    keepSession: v.optional(boolean),
  }),
  message('cancel', { jobId: string }),
  /**
   * Opens a fast job's session, or replaces it: its images decoded and its style vectors made, kept in the worker
   * so that a render needs only the controls. `mask` is a mask image, as a job's.
   */
  message('openSession', {
    jobId: string,
    content: namedBytes,
    styles: v.pipe(array(namedBytes), v.minLength(1, 'must hold at least one style image')),
    mask: v.optional(namedBytes),
    options: styleOptions,
  }),
  /**
   * A fast job's picture with these controls, from its session. `mask`: a painted mask to use from now on, 'none'
   * to use none, absent to keep the one in use. `encoding`: a quick preview (JPEG, at most PREVIEW_SIDE), the
   * picture (PNG, its full size), or the output file (the format asked for, with the settings recorded inside and
   * the mask's PNG, recorded as `maskName`). Of an animation, a preview or picture is frame `frame` (default 0) alone,
   * and the output the whole animation (GIF or WebP, see animationFormat), its progress sent as `frame` messages.
   */
  message('render', {
    jobId: string,
    controls: fastControls,
    frame: v.optional(count),
    mask: v.optional(maskChange),
    encoding: tagged([
      message('preview', {}),
      message('picture', {}),
      message('output', { format: oneOf(OUTPUT_FORMATS), quality: v.optional(count), maskName: v.optional(string) }),
    ]),
  }),
  /** The job's session is no longer needed (its panel closed). */
  message('closeSession', { jobId: string }),
  /** A fast job is likely soon (its style is being picked): load the fast nets now, so that it does not wait for them. */
  message('prepareFast', {}),
]);
export type ToWorker = v.InferOutput<typeof toWorker>;
export type RunMessage = Extract<ToWorker, { type: 'run' }>;
export type OpenSessionMessage = Extract<ToWorker, { type: 'openSession' }>;
export type RenderMessage = Extract<ToWorker, { type: 'render' }>;
export type RenderEncoding = RenderMessage['encoding'];

const namesJob = v.object({ jobId: string });

/** The job a message names, read even from one that fails its schema, so that the job can be told why. */
export function jobIdOf(raw: unknown): string | undefined {
  const result = v.safeParse(namesJob, raw);
  return result.success ? result.output.jobId : undefined;
}

const imagesResult = object({
  ...report.entries, bytes, backend: oneOf(BACKEND_NAMES), mask: v.optional(bytes),
  animation: v.optional(resultAnimation),
}) satisfies v.GenericSchema<ImagesResult>;

export const fromWorker = tagged([
  message('backend', { jobId: string, name: oneOf(BACKEND_NAMES), detail: string }),
  message('progress', { jobId: string, progress }),
  /** An animation's fast job (or whole render) after each frame. */
  message('frame', { jobId: string, progress: frameProgress }),
  message('preview', { jobId: string, png: bytes, progress }),
  /** Something the user should know that does not stop the run. */
  message('notice', { jobId: string, message: string }),
  message('result', { jobId: string, result: imagesResult }),
  /** `userError`: a problem the user can fix, shown as is; otherwise a bug whose stack went to the log. */
  message('failed', { jobId: string, message: string, userError: boolean }),
  /** A session is open: the picture's size, the mask it holds (as painted masks are), if any, and its animation, if any. */
  message('opened', { jobId: string, width: count, height: count, mask: v.optional(bytes), animation: v.optional(animation) }),
  /** A render's picture, encoded as asked (see `render`); `mask` is the mask's PNG of an output that has one. */
  message('rendered', { jobId: string, bytes, width: count, height: count, elapsedMs: number, mask: v.optional(bytes) }),
  /** A render for a session the worker does not hold (dropped for room, or a new worker): open it again. */
  message('noSession', { jobId: string }),
]);
export type FromWorker = v.InferOutput<typeof fromWorker>;
/** How a job ends, as the worker reports it; `JobUpdate`s come before. */
export type JobEnd = Extract<FromWorker, { type: 'result' | 'failed' }>;
export type JobUpdate = Extract<FromWorker, { type: 'backend' | 'progress' | 'frame' | 'preview' | 'notice' }>;
/** The worker's answer to `openSession`, and to `render`. */
export type OpenAnswer = Extract<FromWorker, { type: 'opened' | 'failed' }>;
export type RenderAnswer = Extract<FromWorker, { type: 'rendered' | 'noSession' | 'failed' }>;

// ---- extension <-> webview panel ----

export const JOB_STATUSES = ['queued', 'preparing', 'running', 'done', 'cancelled', 'diverged', 'failed', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** The statuses a job does not leave. */
export const ENDED_STATUSES: readonly JobStatus[] = ['done', 'cancelled', 'diverged', 'failed', 'interrupted'];

/** The options a panel lets the user change for "Run again", without visiting the settings, by method. */
export const EDITABLE_OPTIONS = {
  optimize: ['styleWeight', 'contentWeight', 'tvWeight', 'steps', 'maxSize'],
  // The fast method's other options are the panel's live controls (FAST_CONTROL_KEYS).
  fast: ['maxSize'],
} as const satisfies Record<Method, readonly StyleOptionKey[]>;
type EditableKey = (typeof EDITABLE_OPTIONS)[Method][number] | 'method';
/** What "Run again" changes: some editable options, and the method (the fast panel's "Optimize" button). */
export type EditableOptions = Partial<Pick<StyleOptions, EditableKey>>;

const lossPoint = object({ step: count, ...losses.entries });
export type LossPoint = v.InferOutput<typeof lossPoint>;

/** An image the job uses or made: its resource URI and a name for people. */
const resource = object({ name: string, uri: string });
export type Resource = v.InferOutput<typeof resource>;

/** The run's result as the panel keeps it: the report, the backend that made it, and its animation if it is one. */
const jobReport = object({ ...report.entries, backend: oneOf(BACKEND_NAMES), animation: v.optional(resultAnimation) });
export type JobReport = v.InferOutput<typeof jobReport>;

/** What a panel keeps through a window reload (webview state): the job's inputs, options and how it ended. */
export const jobRecord = object({
  id: string,
  content: resource,
  styles: array(resource),
  options: styleOptions,
  status: oneOf(JOB_STATUSES),
  /** Why it stopped or failed, or a notice, for the user. */
  message: v.optional(string),
  /** The backend and what runs underneath, as the worker described it. */
  backend: v.optional(string),
  /** The last progress of a run, and how it ended. */
  progress: v.optional(progress),
  report: v.optional(jobReport),
  /** Thinned to a few hundred points (see loss-history.ts). */
  losses: array(lossPoint),
  output: v.optional(resource),
  /** The mask saved beside a fast job's output (`<output>.mask.png`), when one was painted. */
  mask: v.optional(resource),
});
export type JobRecord = v.InferOutput<typeof jobRecord>;

export const webviewState = object({ version: v.literal('1', (i) => `must be "1", got ${JSON.stringify(i.input)}`), record: jobRecord });
export type WebviewState = v.InferOutput<typeof webviewState>;

const pace = object({ stepsPerSecond: number, etaMs: v.optional(number) }) satisfies v.GenericSchema<Pace>;
export type { Pace };

const preview = object({ step: count, png: bytes });
export type Preview = v.InferOutput<typeof preview>;

/** The record plus what only a live panel needs: webview URIs of the images and the in-memory pictures. */
const jobView = object({
  record: jobRecord,
  /** Webview URIs (asWebviewUri) of content, styles and output. */
  contentSrc: string,
  styleSrcs: array(string),
  outputSrc: v.optional(string),
  /** Progress thumbnails taken through the run, oldest first; the last is the current image. */
  previews: array(preview),
  pace: v.optional(pace),
  /** Jobs ahead of this one in the queue. */
  ahead: v.optional(count),
  /** The encoded best image of a run that stopped early, or a fast picture with other controls, until the user saves it. */
  unsaved: v.optional(bytes),
  /** A fast job whose picture the panel's controls render again: what they show now. */
  studio: v.optional(object({
    controls: fastControls,
    /** The picture's size, which a painted mask has. */
    width: count,
    height: count,
    /** The mask in use, as painted (one byte per pixel of the picture). */
    mask: v.optional(bytes),
    /** The style images now (a second one may have been added in the panel), as `styleSrcs`. */
    styles: array(resource),
    styleSrcs: array(string),
  })),
});
export type JobView = v.InferOutput<typeof jobView>;
export type StudioView = NonNullable<JobView['studio']>;

export const toWebview = tagged([
  /** The whole state: sent when the panel loads or the job changes status. */
  message('job', { job: jobView }),
  /** After steps: the newest progress and the loss points since the last tick. */
  message('tick', { progress, pace, points: array(lossPoint) }),
  /** The progress thumbnails after a new one: the strip, the last being the current image. */
  message('previews', { previews: array(preview) }),
  /**
   * A fast picture rendered again: the newest change it shows (`seq`, see `controls`), the controls it was made
   * with, and whether it is the full picture (`final`) or a quick preview; not yet saved.
   */
  message('rendered', { seq: count, bytes, controls: fastControls, final: boolean }),
]);
export type ToWebview = v.InferOutput<typeof toWebview>;

export const fromWebview = tagged([
  message('ready', {}),
  message('cancel', {}),
  message('save', {}),
  message('open', {}),
  message('reveal', {}),
  message('runAgain', { options: options([...new Set([...EDITABLE_OPTIONS.optimize, ...EDITABLE_OPTIONS.fast, 'method'] as const)], true) }),
  /**
   * Controls of a fast picture moved: `seq` numbers the change (the panel's own, to time it), `final` says the
   * control was let go (the full picture then, a quick preview while it moves). Only the newest needs showing.
   */
  message('controls', { seq: count, controls: options(FAST_CONTROL_KEYS, true), final: boolean }),
  /** The mask was painted, inverted or cleared ('none'). */
  message('mask', { seq: count, mask: maskChange, final: boolean }),
  /** Pick a second style image for the fast picture, or remove it. */
  message('pickStyle', {}),
  message('removeStyle', {}),
  /** The content of this job in every style (the style grid). */
  message('tryAllStyles', {}),
]);
export type FromWebview = v.InferOutput<typeof fromWebview>;

// ---- extension <-> the style grid (Try All Styles) ----

/** One style of the grid: a gallery painting or a workspace image, with a webview URI of the style image itself. */
const gridStyle = object({ label: string, detail: string, styleSrc: string, gallery: boolean });
export type GridStyle = v.InferOutput<typeof gridStyle>;

export const toGrid = tagged([
  /** The whole grid: sent when the page loads; the pictures made so far follow as `tile` messages. */
  message('grid', { content: object({ name: string, src: string }), styles: array(gridStyle), tileSize: count }),
  /** The content in style `index`, small, by the fast method. */
  message('tile', { index: count, png: bytes }),
  message('tileFailed', { index: count, message: string }),
  /** What the grid is doing besides rendering (saving, say), for the user; empty when it is done. */
  message('status', { message: string }),
]);
export type ToGrid = v.InferOutput<typeof toGrid>;

const indices = v.pipe(array(count), v.minLength(1, 'must name at least one tile'));

export const fromGrid = tagged([
  message('ready', {}),
  /** A tile clicked: a fast job of the pair at full size, in its own panel. */
  message('open', { index: count }),
  /** The selected tiles, each as a fast job at full size. */
  message('stylize', { indices }),
  /** Every tile's picture at full size, written beside the content. */
  message('saveAll', {}),
]);
export type FromGrid = v.InferOutput<typeof fromGrid>;

// ---- extension <-> a folder's summary (Stylize Folder with…) ----

/** A file of the folder that gave no result, and why (see FolderMiss). */
const folderMiss = object({ name: string, reason: string });

export const toFolderSummary = tagged([
  /**
   * The whole summary: each result (its path inside the folder of results and a webview URI of the file), then the
   * files skipped and the images that failed, with their reasons.
   */
  message('summary', {
    folder: string,
    results: object({ name: string, folder: string }),
    method: string,
    written: array(object({ name: string, src: string })),
    skipped: array(folderMiss),
    failed: array(folderMiss),
    notStarted: count,
    /** Why it ended early ("cancelled", or a result it could not write); empty when it went to the end. */
    stopped: string,
  }),
]);
export type ToFolderSummary = v.InferOutput<typeof toFolderSummary>;

export const fromFolderSummary = tagged([
  message('ready', {}),
  /** A result clicked: the file opens in an editor. */
  message('open', { index: count }),
  /** The folder of results, shown in the explorer. */
  message('reveal', {}),
]);
export type FromFolderSummary = v.InferOutput<typeof fromFolderSummary>;
