/**
 * The worker process: the extension host forks it (dist/worker.js) so that the engine's native code, memory and
 * crashes stay out of the extension host. It runs the jobs the extension sends (an optimisation, and perhaps fast
 * renders beside it, from the sessions it keeps: see fast-sessions.ts) and exits when the extension closes the IPC
 * channel. Anything it prints lands in the extension's log.
 */
import { errorMessage, UserError } from '../common/errors';
import { prepareFastEngine } from '../pipeline/engine-cache';
import { FastSession } from '../pipeline/fast-session';
import { stylizeImages } from '../pipeline/stylize-images';
import {
  jobIdOf, toWorker, type FromWorker, type JobEnd, type OpenSessionMessage, type RenderMessage, type RunMessage, type ToWorker,
} from '../protocol/messages';
import { parse } from '../protocol/fields';
import { exitOnCrash, exitWhenSent, send } from './channel';
import { FastSessions } from './fast-sessions';

/** The jobs running, by id. A job leaves when its end is sent, so that it ends once even if it is refused meanwhile. */
const running = new Map<string, AbortController>();

/**
 * Fast jobs' sessions: a few panels' worth. One of a 2048x1536 picture holds about 0.1 GB (0.25 GB with a stroke
 * size under 1, which decodes the content larger), beside the nets' 0.25 GB.
 */
const sessions = new FastSessions<FastSession>({ count: 4, bytes: 768 * 2 ** 20 });

function keepSession(jobId: string, session: FastSession): void {
  for (const dropped of sessions.keep(jobId, session)) console.log(`job ${dropped}: its fast session is dropped to make room`);
}

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
      onFrame: (progress) => send({ type: 'frame', jobId, progress }),
      onPreview: (png, progress) => send({ type: 'preview', jobId, png, progress }),
      onNotice: (message) => {
        console.log(`job ${jobId}: ${message}`);
        send({ type: 'notice', jobId, message });
      },
      onSession: m.keepSession ? (session) => keepSession(jobId, session) : undefined,
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

/** A failure of a session's work, said as a job's is: a user's problem as is, a bug with its stack in the log. */
function failure(jobId: string, what: string, e: unknown): FromWorker {
  const userError = e instanceof UserError;
  console.error(`job ${jobId}: ${what} failed: ${userError ? errorMessage(e) : ((e as Error)?.stack ?? String(e))}`);
  return { type: 'failed', jobId, message: errorMessage(e), userError };
}

async function openSession(m: OpenSessionMessage): Promise<void> {
  const { jobId } = m;
  try {
    const session = await FastSession.open({
      content: m.content, styles: m.styles, mask: m.mask, options: m.options, repainted: true,
      onNotice: (message) => send({ type: 'notice', jobId, message }),
    });
    keepSession(jobId, session);
    const a = session.animation;
    const animation = a && { format: a.format, frames: a.frames, delays: [...a.delays], loop: a.loop };
    send({ type: 'opened', jobId, ...session.size, mask: session.maskBytes(), animation });
  } catch (e) {
    send(failure(jobId, 'opening its fast session', e));
  }
}

async function render(m: RenderMessage): Promise<void> {
  const { jobId, controls, encoding, frame } = m;
  const session = sessions.get(jobId);
  if (!session) {
    send({ type: 'noSession', jobId });
    return;
  }
  try {
    const t0 = performance.now();
    if (m.mask) session.paint(m.mask);
    let answer: { bytes: Uint8Array; mask?: Uint8Array };
    switch (encoding.type) {
      case 'preview':
        answer = { bytes: await session.preview(controls, frame) };
        break;
      case 'picture':
        answer = { bytes: await session.png(controls, frame) };
        break;
      case 'output': {
        const { bytes, mask } = await session.output(controls, encoding, { onFrame: (progress) => send({ type: 'frame', jobId, progress }) });
        answer = { bytes, mask };
        break;
      }
    }
    send({ type: 'rendered', jobId, ...session.size, ...answer, elapsedMs: performance.now() - t0 });
    for (const dropped of sessions.fit()) console.log(`job ${dropped}: its fast session is dropped to make room`);
  } catch (e) {
    send(failure(jobId, 'rendering', e));
  }
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
    case 'openSession':
      void openSession(message);
      break;
    case 'render':
      void render(message);
      break;
    case 'closeSession':
      sessions.drop(message.jobId);
      break;
    case 'prepareFast': {
      const t0 = performance.now();
      prepareFastEngine().then(
        () => console.log(`fast mode is ready (${((performance.now() - t0) / 1000).toFixed(2)} s)`),
        (e) => console.error(`could not get fast mode ready: ${errorMessage(e)}`),
      );
      break;
    }
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
