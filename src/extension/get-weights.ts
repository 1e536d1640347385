import { errorMessage } from '../common/errors';

/** The weights file to load; or why there is none, `cancelled` when the job was (or the download, by the user). */
export type WeightsOutcome = { readonly path: string } | { readonly problem: string; readonly cancelled: boolean };

/** What getting the weights asks of the user and the machine (VS Code's windows in the extension, see weights.ts). */
export interface WeightsUi {
  /** The weights file on this machine: the one `setting` names (rejects when it is not there), else an intact download. */
  local(setting: string): Promise<string | undefined>;
  /** Downloads the weights, showing how far it got; undefined when the user cancels that, rejects when it fails or `signal` stops it. */
  download(signal: AbortSignal): Promise<string | undefined>;
  /** Shows `message` as an error with `actions`; the one chosen, or undefined when it is dismissed. */
  ask(message: string, actions: readonly string[]): Promise<string | undefined>;
  /** Asks for a local weights file (and keeps it in the settings); undefined when none is chosen. */
  locate(): Promise<string | undefined>;
  logError(message: string): void;
}

const LOCATE = 'Locate File…';
const RETRY = 'Retry';

/**
 * The weights file for a job: the one set, else the cached download, else a download. When that fails the user may
 * pick a local copy or try again. A cancel ends the wait at any point, also a question or a dialog left open.
 */
export async function getWeights(ui: WeightsUi, setting: string, signal: AbortSignal): Promise<WeightsOutcome> {
  if (signal.aborted) return cancelled('before the weights were ready');
  try {
    const local = await ui.local(setting);
    if (local) return { path: local };
  } catch (e) {
    // The file set in the setting (or the environment) is not there.
    const problem = errorMessage(e);
    return (await offerLocate(ui, problem, false, signal)) ?? { problem, cancelled: false };
  }
  for (;;) {
    let file: string | undefined;
    try {
      file = await unlessCancelled(signal, ui.download(signal));
    } catch (e) {
      if (signal.aborted) return cancelled('while the weights were downloading');
      const outcome = await offerLocate(ui, errorMessage(e), true, signal);
      if (outcome) return outcome;
      continue;
    }
    return file === undefined ? cancelled('while the weights were downloading') : { path: file };
  }
}

/** What the user chose: a file, or giving up; undefined for trying the download again. */
async function offerLocate(ui: WeightsUi, problem: string, canRetry: boolean, signal: AbortSignal): Promise<WeightsOutcome | undefined> {
  ui.logError(problem);
  const choice = await unlessCancelled(signal, ui.ask(`Neural Style needs the VGG19 weights: ${problem}`, canRetry ? [LOCATE, RETRY] : [LOCATE]));
  if (signal.aborted) return cancelled('while waiting for the weights file');
  if (choice === RETRY) return undefined;
  if (choice === LOCATE) {
    // A file chosen after a cancel is still kept in the settings, for the next job.
    const file = await unlessCancelled(signal, ui.locate());
    if (signal.aborted) return cancelled('while waiting for the weights file');
    if (file) return { path: file };
  }
  return { problem, cancelled: false };
}

function cancelled(when: string): WeightsOutcome {
  return { problem: `Cancelled ${when}.`, cancelled: true };
}

/** `work`, or undefined as soon as `signal` is aborted (at once if it is already): an open question must not hold a cancelled job. */
function unlessCancelled<T>(signal: AbortSignal, work: Promise<T>): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const stop = () => resolve(undefined);
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
