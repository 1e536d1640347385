import * as vscode from 'vscode';
import type { Job } from './job';
import type { JobOutcome } from './run-job';
import { saveResult } from './save-result';

/**
 * What the user sees of how a job ended: its status and message in the panel, a saved result, and at most one
 * message. A finished picture is saved; the best image of a run that stopped early is offered, never saved unasked.
 */
export async function concludeJob(job: Job, outcome: JobOutcome, log: vscode.LogOutputChannel): Promise<void> {
  switch (outcome.kind) {
    case 'cancelled':
      job.setStatus('cancelled', outcome.message);
      break;
    case 'failed':
      job.setStatus('failed', outcome.message);
      if (outcome.toast) {
        const actions = outcome.showLog ? ['Show Log'] : [];
        void vscode.window.showErrorMessage(`Neural Style: ${outcome.toast}`, ...actions).then((choice) => choice && log.show());
      }
      break;
    case 'result': {
      const { bytes, ...report } = outcome.result;
      job.report = report;
      if (report.outcome === 'done') {
        job.keepUnsaved(bytes);
        await saveResult(job, log);
        job.setStatus('done', job.unsaved ? job.message : job.note);
        break;
      }
      const total = job.progress?.totalSteps;
      const message = report.outcome === 'cancelled'
        ? `Cancelled at step ${report.steps}${total ? ` of ${total}` : ''}.`
        : (report.message ?? 'The loss diverged.');
      if (report.steps === 0) {
        job.setStatus(report.outcome, message);
        break;
      }
      job.keepUnsaved(bytes);
      job.setStatus(report.outcome, `${message} The best image so far is not saved.`);
      void vscode.window.showInformationMessage(`Neural Style: ${job.title}: ${message}`, 'Save Best Image').then((choice) => {
        if (choice) void saveResult(job, log);
      });
      break;
    }
  }
  log.info(`${job.title}: ${job.status}${job.message ? ` (${job.message})` : ''}`);
}
