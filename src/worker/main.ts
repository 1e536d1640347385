/**
 * The worker process: the extension host forks it (dist/worker.js) so that the engine's native code, memory and
 * crashes stay out of the extension host. It runs the jobs the extension sends (an optimisation, and perhaps a fast
 * re-render beside it) and exits when the extension closes the IPC channel. Anything it prints lands in the
 * extension's log.
 */
import { errorMessage, UserError } from '../common/errors';
import { stylizeImages } from '../pipeline/stylize-images';
import { jobIdOf, toWorker, type JobEnd, type RunMessage, type ToWorker } from '../protocol/messages';
import { parse } from '../protocol/fields';
import { exitOnCrash, exitWhenSent, send } from './channel';

/** The jobs running, by id. A job leaves when its end is sent, so that it ends once even if it is refused meanwhile. */
const running = new Map<string, AbortController>();

async function run(m: RunMessage): Promise<void> {
  const { jobId } = m;
  const controller = new AbortController();
  running.set(jobId, controller);
  let end: JobEnd;
  try {
    const r = await stylizeImages({
      content: m.content,
      styles: m.styles,
      mask: m.mask,
      options: m.options,
      // Asked for only by the optimisation, once its inputs have passed their checks.
      weights: async () => {
        console.log(`job ${jobId}: weights: ${m.weightsPath}`);
        return m.weightsPath;
      },
      format: m.format,
      quality: m.quality,
      previewSize: m.previewSize,
      signal: controller.signal,
      onBackend: (name, detail) => {
        console.log(`job ${jobId}: backend ${name} (${detail})`);
        send({ type: 'backend', jobId, name, detail });
      },
      onProgress: (progress) => send({ type: 'progress', jobId, progress }),
      onPreview: (png, progress) => send({ type: 'preview', jobId, png, progress }),
      onNotice: (message) => {
        console.log(`job ${jobId}: ${message}`);
        send({ type: 'notice', jobId, message });
      },
    });
    console.log(`job ${jobId}: ${r.outcome} after ${r.steps} steps in ${(r.elapsedMs / 1000).toFixed(1)} s`);
    end = { type: 'result', jobId, result: r };
  } catch (e) {
    const userError = e instanceof UserError;
    console.error(`job ${jobId} failed: ${userError ? errorMessage(e) : ((e as Error)?.stack ?? String(e))}`);
    end = { type: 'failed', jobId, message: errorMessage(e), userError };
  }
  if (running.get(jobId) !== controller) return;
  running.delete(jobId);
  send(end);
}

/**
 * A message that fails its schema (a bug, or a worker of another version) is answered, never thrown: the job it
 * names fails with the reason, and the other jobs run on. One that names no job can only be logged.
 */
function refuse(raw: unknown, problem: string): void {
  const jobId = jobIdOf(raw);
  console.error(`refused a malformed message${jobId === undefined ? ' (it names no job)' : ` for job ${JSON.stringify(jobId)}`}: ${problem}`);
  if (jobId === undefined) return;
  running.get(jobId)?.abort();
  running.delete(jobId);
  send({ type: 'failed', jobId, message: `the worker was sent a malformed message: ${problem}`, userError: false });
}

process.on('message', (raw) => {
  let message: ToWorker;
  try {
    message = parse(toWorker, raw, 'message');
  } catch (e) {
    refuse(raw, errorMessage(e));
    return;
  }
  switch (message.type) {
    case 'run':
      void run(message);
      break;
    case 'cancel':
      running.get(message.jobId)?.abort();
      break;
  }
});

exitOnCrash((reason) => {
  for (const [jobId, controller] of running) {
    controller.abort();
    send({ type: 'failed', jobId, message: `the worker stopped on an error: ${reason}`, userError: false });
  }
  running.clear();
});

// The extension closes the channel when it has no more work (idle) or shuts down; nothing is left to do then.
process.on('disconnect', () => {
  for (const controller of running.values()) controller.abort();
  void exitWhenSent(0);
});
