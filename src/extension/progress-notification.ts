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
          if (e.kind !== 'progress' || !throttle.due()) return;
          const percent = (100 * e.progress.step) / e.progress.totalSteps;
          progress.report({ increment: percent - shownPercent, message: `step ${e.progress.step} of ${e.progress.totalSteps}` });
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
