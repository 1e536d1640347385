/**
 * The worker process: the extension host forks it (dist/worker.js) so that the engine's native code, memory and
 * crashes stay out of the extension host. It runs one job at a time, as the extension asks, and exits when the
 * extension closes the IPC channel. Anything it prints lands in the extension's log.
 */
import { errorMessage, UserError } from '../engine/errors';
import { stylizeImages } from '../pipeline/stylize-images';
import { toWorker, type FromWorker, type RunMessage } from '../protocol/messages';
import { parse } from '../protocol/fields';

const running = new Map<string, AbortController>();

function send(message: FromWorker): void {
  process.send!(message);
}

async function run(m: RunMessage): Promise<void> {
  const { jobId } = m;
  const controller = new AbortController();
  running.set(jobId, controller);
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
    send({ type: 'result', jobId, result: r });
  } catch (e) {
    const userError = e instanceof UserError;
    console.error(`job ${jobId} failed: ${userError ? errorMessage(e) : ((e as Error)?.stack ?? String(e))}`);
    send({ type: 'failed', jobId, message: errorMessage(e), userError });
  } finally {
    running.delete(jobId);
  }
}

process.on('message', (raw) => {
  const message = parse(toWorker, raw, 'message from the extension');
  switch (message.type) {
    case 'run':
      void run(message);
      break;
    case 'cancel':
      running.get(message.jobId)?.abort();
      break;
  }
});

// The extension closes the channel when it has no more work (idle) or shuts down; nothing is left to do then.
process.on('disconnect', () => process.exit(0));
