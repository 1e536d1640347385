import * as vscode from 'vscode';
import { errorMessage } from '../engine/errors';
import type { ImagesResult } from '../engine/report';
import type { Resource } from '../protocol/messages';
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
  /** Cancels the job as the panel's Cancel would (from the notification's button). */
  readonly cancel: () => void;
}

/** Longer side of the progress thumbnails the worker sends. */
const PREVIEW_SIZE = 384;

/** Gets the weights and the images, then runs the job in the worker; every way it can end is an outcome. */
export async function runJob(job: Job, runner: JobRunner, signal: AbortSignal): Promise<JobOutcome> {
  job.setStatus('preparing', 'Getting the weights ready…');
  const weights = await runner.weights.ensure(job.settings.weightsPath, signal);
  if ('problem' in weights) {
    // The weights provider has told the user already.
    return signal.aborted ? { kind: 'cancelled', message: weights.problem } : { kind: 'failed', message: weights.problem };
  }
  job.setStatus('preparing', 'Reading the images…');
  let images: { name: string; bytes: Uint8Array }[];
  try {
    images = await Promise.all([job.content, ...job.styles].map(readImage));
  } catch (e) {
    return { kind: 'failed', message: errorMessage(e), toast: errorMessage(e) };
  }
  if (signal.aborted) return { kind: 'cancelled', message: 'Cancelled before it started.' };
  job.setStatus('preparing', 'Loading the engine…');
  const onAbort = () => runner.worker.cancel(job.id);
  signal.addEventListener('abort', onAbort);
  try {
    const [content, ...styles] = images;
    const running = runner.worker.run(
      {
        type: 'run', jobId: job.id, content, styles, options: job.options, weightsPath: weights.path,
        format: job.settings.output.format, previewSize: PREVIEW_SIZE,
      },
      (m) => job.apply(m),
    );
    const end = await withProgressNotification(job, runner.cancel, running);
    if (end.type === 'result') return { kind: 'result', result: end.result };
    return { kind: 'failed', message: end.message, toast: end.message, showLog: !end.userError };
  } catch (e) {
    if (!(e instanceof WorkerDiedError)) throw e;
    if (signal.aborted) return { kind: 'cancelled', message: `Cancelled; ${e.message}.` };
    return {
      kind: 'failed',
      message: `${e.message}. Its last lines:\n${e.lastLines.slice(-8).join('\n')}`,
      toast: `${job.title} failed: ${e.message}. Last lines: ${e.lastLines.slice(-3).join(' ⏎ ')}`,
      showLog: true,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function readImage(r: Resource): Promise<{ name: string; bytes: Uint8Array }> {
  try {
    return { name: r.name, bytes: await vscode.workspace.fs.readFile(vscode.Uri.parse(r.uri)) };
  } catch (e) {
    throw new Error(`cannot read ${vscode.Uri.parse(r.uri).toString(true)}: ${errorMessage(e)}`);
  }
}
