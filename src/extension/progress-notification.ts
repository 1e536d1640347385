import * as vscode from 'vscode';
import { Throttle } from '../common/throttle';
import type { AnyJob } from './job';

/** The notification is redrawn at most this often; a step can take a few milliseconds. */
const REPORT_MS = 500;

/** The running job in a progress notification too, whose Cancel button cancels it, until `work` settles. */
export function withProgressNotification<T>(job: AnyJob, cancel: () => void, work: Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Stylizing ${job.title}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(cancel);
        const throttle = new Throttle(REPORT_MS);
        let shownPercent = 0;
        const subscription = job.onEvent((e) => {
          if ((e.kind !== 'progress' && e.kind !== 'frame') || !throttle.due()) return;
          // An optimisation counts steps; an animation's fast job, frames.
          const [done, total, what] = e.kind === 'progress' ? [e.progress.step, e.progress.totalSteps, 'step'] : [e.progress.frame, e.progress.frames, 'frame'];
          const percent = (100 * done) / total;
          progress.report({ increment: percent - shownPercent, message: `${what} ${done} of ${total}` });
          shownPercent = percent;
        });
        try {
          return await work;
        } finally {
          subscription.dispose();
        }
      },
    ),
  );
}
