/**
 * Every message between the extension, its worker process and its webview panels, with the state a panel keeps
 * across a window reload. Each side checks what it receives with `parse` before acting on it: the worker may be
 * a different build after an update, and a panel's saved state may come from an older version.
 */
import { BACKEND_NAMES, type Losses } from '../engine/backend';
import { STYLE_OPTION_DEFS, optionProblem, type StyleOptionKey, type StyleOptions } from '../engine/options';
import type { Pace } from '../engine/pace';
import type { Progress } from '../engine/report';
import {
  array, boolean, bytes, count, custom, literal, number, object, oneOf, optional, string, tagged, type Infer,
  type Schema,
} from './schema';

/** The encoder's formats (src/image/encode.ts, not imported: it loads sharp; the worker's call checks the match). */
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;

const losses: Schema<Losses> = object({ total: number, style: number, content: number, tv: number });

const progress: Schema<Progress> = object({
  step: count, totalSteps: count, stage: count, stages: count, tile: optional(object({ index: count, count })),
  width: count, height: count, losses, elapsedMs: number, stepEquivalents: number, totalStepEquivalents: number,
});

/** Every option present and within the option table's ranges. */
const styleOptions = custom<StyleOptions>((v, at) => {
  if (typeof v !== 'object' || v === null) return `${at} must be an object`;
  for (const [key, def] of Object.entries(STYLE_OPTION_DEFS)) {
    const p = optionProblem(def, (v as Record<string, unknown>)[key]);
    if (p) return `${at}.${key} ${p}`;
  }
  return undefined;
});

const namedBytes = object({ name: string, bytes });

// ---- extension <-> worker (child_process IPC with advanced serialization, so bytes travel as they are) ----

export const toWorker = tagged({
  run: {
    jobId: string,
    content: namedBytes,
    styles: array(namedBytes),
    options: styleOptions,
    weightsPath: string,
    format: oneOf(OUTPUT_FORMATS),
    quality: optional(count),
    previewSize: count,
  },
  cancel: { jobId: string },
});
export type ToWorker = Infer<typeof toWorker>;
export type RunMessage = Extract<ToWorker, { type: 'run' }>;

export const OUTCOMES = ['done', 'cancelled', 'diverged'] as const;

export const fromWorker = tagged({
  backend: { jobId: string, name: oneOf(BACKEND_NAMES), detail: string },
  progress: { jobId: string, progress },
  preview: { jobId: string, png: bytes, progress },
  /** Something the user should know that does not stop the run. */
  notice: { jobId: string, message: string },
  result: {
    jobId: string, outcome: oneOf(OUTCOMES), message: optional(string), bytes, width: count, height: count,
    backend: oneOf(BACKEND_NAMES), steps: count, elapsedMs: number, losses: optional(losses),
  },
  /** `userError`: a problem the user can fix, shown as is; otherwise a bug whose stack went to the log. */
  failed: { jobId: string, message: string, userError: boolean },
});
export type FromWorker = Infer<typeof fromWorker>;
/** How a job ends, as the worker reports it; everything else it sends is a `JobUpdate`. */
export type JobEnd = Extract<FromWorker, { type: 'result' | 'failed' }>;
export type JobUpdate = Exclude<FromWorker, JobEnd>;

// ---- extension <-> webview panel ----

export const JOB_STATUSES = [
  'queued', 'preparing', 'running', 'done', 'cancelled', 'diverged', 'failed', 'interrupted',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The options a panel lets the user change for "Run again", without visiting the settings. */
export const EDITABLE_OPTIONS = ['styleWeight', 'contentWeight', 'tvWeight', 'steps', 'maxSize'] as const satisfies readonly StyleOptionKey[];
export type EditableOptions = Pick<StyleOptions, (typeof EDITABLE_OPTIONS)[number]>;

const editableOptions = custom<EditableOptions>((v, at) => {
  if (typeof v !== 'object' || v === null) return `${at} must be an object`;
  for (const key of EDITABLE_OPTIONS) {
    const p = optionProblem(STYLE_OPTION_DEFS[key], (v as Record<string, unknown>)[key]);
    if (p) return `${key} ${p}`;
  }
  return undefined;
});

const lossPoint = object({ step: count, total: number, style: number, content: number, tv: number });
export type LossPoint = Infer<typeof lossPoint>;

/** An image the job uses or made: its resource URI (any scheme) and a name for people. */
const resource = object({ name: string, uri: string });
export type Resource = Infer<typeof resource>;

/** What a panel keeps through a window reload (webview state): the job's inputs, options and how it ended. */
export const jobRecord = object({
  id: string,
  content: resource,
  styles: array(resource),
  options: styleOptions,
  status: oneOf(JOB_STATUSES),
  /** Why it stopped or failed, or a notice, for the user. */
  message: optional(string),
  backend: optional(string),
  width: optional(count),
  height: optional(count),
  steps: count,
  totalSteps: optional(count),
  elapsedMs: number,
  /** Thinned to a few hundred points (see loss-history.ts). */
  losses: array(lossPoint),
  output: optional(resource),
});
export type JobRecord = Infer<typeof jobRecord>;

export const webviewState = object({ version: literal('1'), record: jobRecord });
export type WebviewState = Infer<typeof webviewState>;

const pace: Schema<Pace> = object({ stepsPerSecond: number, etaMs: optional(number) });
export type { Pace };

const preview = object({ step: count, png: bytes });
export type Preview = Infer<typeof preview>;

/** The record plus what only a live panel needs: webview URIs of the images and the in-memory pictures. */
const jobView = object({
  record: jobRecord,
  /** Webview URIs (asWebviewUri) of content, styles and output. */
  contentSrc: string,
  styleSrcs: array(string),
  outputSrc: optional(string),
  /** Progress thumbnails taken through the run, oldest first; the last is the current image. */
  previews: array(preview),
  progress: optional(progress),
  pace: optional(pace),
  /** Jobs ahead of this one in the queue. */
  ahead: optional(count),
  /** The encoded best image of a run that stopped early, kept in memory until the user saves it. */
  unsaved: optional(bytes),
});
export type JobView = Infer<typeof jobView>;

export const toWebview = tagged({
  /** The whole state: sent when the panel loads or the job changes status. */
  job: { job: jobView },
  /** After steps: the newest progress and the loss points since the last tick. */
  tick: { progress, pace, points: array(lossPoint) },
  /** The progress thumbnails after a new one: the strip, the last being the current image. */
  previews: { previews: array(preview) },
});
export type ToWebview = Infer<typeof toWebview>;

export const fromWebview = tagged({
  ready: {},
  cancel: {},
  save: {},
  open: {},
  reveal: {},
  runAgain: { options: editableOptions },
});
export type FromWebview = Infer<typeof fromWebview>;
