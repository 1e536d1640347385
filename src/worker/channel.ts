/**
 * The worker's end of the IPC channel to the extension. `process.send` only queues a message: a result of tens of
 * megabytes takes a while to leave, and a process that exits meanwhile loses it. So the worker ends only through
 * `exitWhenSent`, also when an error nothing caught stops it.
 */
import { errorMessage } from '../common/errors';
import type { FromWorker } from '../protocol/messages';

/** Messages handed to the channel that have not left yet. */
const leaving = new Set<Promise<void>>();

export function send(message: FromWorker): void {
  let left!: () => void;
  const sent = new Promise<void>((resolve) => (left = resolve));
  // The callback also hears of a channel the extension has closed; nothing can be delivered then.
  process.send!(message, undefined, undefined, () => left());
  leaving.add(sent);
  void sent.then(() => leaving.delete(sent));
}

/** Ends the process with `code` once every message sent so far has left (or the channel has closed). */
export async function exitWhenSent(code: number): Promise<void> {
  process.exitCode = code;
  await Promise.all([...leaving]);
  process.exit(code);
}

/**
 * An error nothing caught is a bug that leaves the process in a state no one knows, so it ends; but not silently:
 * the stack goes to the log, `fail` tells the jobs in flight the reason (the error's first line), and the messages
 * sent before it leave first.
 */
export function exitOnCrash(fail: (reason: string) => void): void {
  const crash = (e: unknown) => {
    console.error(`the worker stops on an error nothing caught: ${(e as Error)?.stack ?? String(e)}`);
    fail(errorMessage(e).split('\n')[0]);
    void exitWhenSent(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}
