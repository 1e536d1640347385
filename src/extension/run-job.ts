import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type { ImagesResult } from '../common/report';
import type { Resource } from '../protocol/messages';
import type { StyleOptions } from '../common/options';
import { MAX_IMAGE_FILE_BYTES } from '../image/input-file';
import type { RunMessage } from '../protocol/messages';
import type { GalleryFiles } from './gallery-files';
import type { Job } from './job';
import { withProgressNotification } from './progress-notification';
import type { WeightsProvider } from './weights';
import { WorkerDiedError, type WorkerClient } from './worker-client';

/** How a job ended, before anything is shown of it (see concludeJob). */
export type JobOutcome =
  | { readonly kind: 'result'; readonly result: ImagesResult }
  | { readonly kind: 'cancelled'; readonly message: string }
  /** `toast`: what to tell the user at once, if it has not been told already; `showLog` offers the log with it. */
  | { readonly kind: 'failed'; readonly message: string; readonly toast?: string; readonly showLog?: boolean };

export interface JobRunner {
  readonly worker: WorkerClient;
  readonly weights: WeightsProvider;
  readonly gallery: GalleryFiles;
  /** Cancels the job as the panel's Cancel would (from the notification's button). */
  readonly cancel: () => void;
}

/** Longer side of the progress thumbnails the worker sends. */
const PREVIEW_SIZE = 384;

/**
 * Reads the images and, for the optimisation, gets the weights (showing the fast method's picture meanwhile when
 * they must be downloaded first), then runs the job in the worker; every way it can end is an outcome.
 */
export async function runJob(job: Job, runner: JobRunner, signal: AbortSignal): Promise<JobOutcome> {
  job.setStatus('preparing', 'Reading the images…');
  try {
    const [content, ...styles] = await Promise.all([job.content, ...job.styles].map((r) => readImage(r, runner.gallery)));
    job.inputs = { content, styles };
  } catch (e) {
    return { kind: 'failed', message: errorMessage(e), toast: errorMessage(e) };
  }
  let weightsPath = '';
  if (job.options.method === 'optimize') {
    if (!(await runner.weights.onDisk(job.settings.weightsPath))) await showFastPicture(job, runner);
    job.setStatus('preparing', 'Getting the weights ready…');
    const weights = await runner.weights.ensure(job.settings.weightsPath, signal);
    if ('problem' in weights) {
      // The weights provider has told the user already.
      return { kind: weights.cancelled ? 'cancelled' : 'failed', message: weights.problem };
    }
    weightsPath = weights.path;
  }
  if (signal.aborted) return { kind: 'cancelled', message: 'Cancelled before it started.' };
  job.setStatus('preparing', 'Loading the engine…');
  const onAbort = () => runner.worker.cancel(job.id);
  signal.addEventListener('abort', onAbort);
  try {
    // A fast job's session stays in the worker, for its panel's controls (see FastStudio).
    const message = { ...runMessage(job, job.id, job.options, weightsPath), keepSession: job.options.method === 'fast' };
    const running = runner.worker.run(message, (m) => job.apply(m));
    const end = await withProgressNotification(job, runner.cancel, running);
    if (end.type === 'result') return { kind: 'result', result: end.result };
    return { kind: 'failed', message: end.message, toast: end.message, showLog: !end.userError };
  } catch (e) {
    if (!(e instanceof WorkerDiedError)) throw e;
    if (signal.aborted) return { kind: 'cancelled', message: `Cancelled; ${e.message}.` };
    return {
      kind: 'failed',
      message: `${e.message}. Its last lines:\n${e.lastLines.slice(-8).join('\n')}`,
      // The reason, when the last lines tell it, is in the message; the lines themselves are in the panel and the log.
      toast: `${job.title} failed: ${e.message}.`,
      showLog: true,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** What the worker is sent to run `job` (whose images have been read) with `options`. */
function runMessage(job: Job, jobId: string, options: StyleOptions, weightsPath = ''): RunMessage {
  const { content, styles } = job.inputs!;
  return { type: 'run', jobId, content, styles: [...styles], options, weightsPath, format: job.settings.output.format, previewSize: PREVIEW_SIZE };
}

/** The fast method's picture of the pair, as the first thumbnail of an optimisation that waits for its weights. */
async function showFastPicture(job: Job, runner: JobRunner): Promise<void> {
  job.setStatus('preparing', 'Making a fast picture before the weights download…');
  const end = await runner.worker.run(runMessage(job, `${job.id}/fast-picture`, { ...job.options, method: 'fast', styleStrength: 1 }), () => {}).catch(() => undefined);
  if (end?.type === 'result') job.addPreview(0, end.result.bytes);
}

/**
 * An image's bytes, through the workspace's file system; only a file (no pipe or device), and no larger than the CLI
 * reads. A painting of the gallery is read from the installation and must be the one shipped.
 */
export async function readImage(r: Resource, gallery: GalleryFiles): Promise<{ name: string; bytes: Uint8Array }> {
  const uri = vscode.Uri.parse(r.uri);
  const painting = gallery.styleAt(uri);
  if (painting) return { name: r.name, bytes: await gallery.read(painting) };
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (e) {
    throw new Error(`cannot read ${uri.toString(true)}: ${errorMessage(e)}`);
  }
  if (!(stat.type & vscode.FileType.File)) throw new Error(`cannot read ${uri.toString(true)}: it is not a file`);
  if (stat.size > MAX_IMAGE_FILE_BYTES) {
    throw new Error(`cannot read ${uri.toString(true)}: it is larger than ${MAX_IMAGE_FILE_BYTES / 2 ** 20} MiB, the limit for an image file`);
  }
  try {
    return { name: r.name, bytes: await vscode.workspace.fs.readFile(uri) };
  } catch (e) {
    throw new Error(`cannot read ${uri.toString(true)}: ${errorMessage(e)}`);
  }
}
