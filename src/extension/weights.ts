import * as vscode from 'vscode';
import { errorMessage } from '../engine/errors';
import { Throttle } from '../engine/throttle';
import { localWeightsFile, resolveWeightsFile } from '../engine/weights/locate';
import { SECTION } from './settings';

export type WeightsOutcome = { readonly path: string } | { readonly problem: string };

const MB = 1024 * 1024;
const REPORT_MS = 250;

/**
 * The VGG19 weights file for a job: the one set in neuralStyle.weightsPath (or $NEURAL_STYLE_WEIGHTS), else the
 * cached download, else a download shown in a progress notification (size, speed, cancel). When that fails the
 * user may pick a local copy ("Locate File…"), which is kept as a machine setting so it is asked once.
 */
export class WeightsProvider {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The weights file if it is on this machine already (nothing to download or ask), else undefined. */
  async onDisk(setting: string): Promise<string | undefined> {
    return localWeightsFile({ path: setting || undefined }).catch(() => undefined);
  }

  async ensure(setting: string, signal: AbortSignal): Promise<WeightsOutcome> {
    try {
      const local = await localWeightsFile({ path: setting || undefined });
      if (local) return { path: local };
    } catch (e) {
      // The file set in the setting (or the environment) is not there.
      const problem = errorMessage(e);
      return (await this.offerLocate(problem, false, signal)) ?? { problem };
    }
    for (;;) {
      try {
        return { path: await this.download(signal) };
      } catch (e) {
        if (signal.aborted) return { problem: 'Cancelled while the weights were downloading.' };
        const outcome = await this.offerLocate(errorMessage(e), true, signal);
        if (outcome) return outcome;
      }
    }
  }

  /** Asks for a local weights file and keeps it in the user's (machine) settings. */
  async locate(): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: 'Locate the VGG19 weights file',
      openLabel: 'Use These Weights',
      canSelectMany: false,
      filters: { 'Keras weights': ['h5'], 'All files': ['*'] },
    });
    const file = picked?.[0];
    if (!file) return undefined;
    // The worker reads the file with Node on this machine, so it must be a file here.
    await vscode.workspace.getConfiguration(SECTION).update('weightsPath', file.fsPath, vscode.ConfigurationTarget.Global);
    this.log.info(`weights file set to ${file.fsPath} (${SECTION}.weightsPath, user settings)`);
    return file.fsPath;
  }

  /** What the user chose: a file, or giving up; undefined for trying the download again. */
  private async offerLocate(problem: string, canRetry: boolean, signal: AbortSignal): Promise<WeightsOutcome | undefined> {
    this.log.error(problem);
    const actions = canRetry ? ['Locate File…', 'Retry'] : ['Locate File…'];
    // A message left unanswered must not hold the job: cancelling it ends the wait.
    const cancelled = new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    const choice = await Promise.race([
      vscode.window.showErrorMessage(`Neural Style needs the VGG19 weights: ${problem}`, ...actions),
      cancelled,
    ]);
    if (signal.aborted) return { problem: 'Cancelled while waiting for the weights file.' };
    if (choice === 'Retry') return undefined;
    if (choice === 'Locate File…') {
      const file = await this.locate();
      if (file) return { path: file };
    }
    return { problem };
  }

  private download(signal: AbortSignal): Promise<string> {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Downloading the VGG19 weights (once)', cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          const abort = () => controller.abort();
          token.onCancellationRequested(abort);
          signal.addEventListener('abort', abort);
          const throttle = new Throttle(REPORT_MS);
          let shownPercent = 0;
          try {
            const file = await resolveWeightsFile({
              signal: controller.signal,
              onProgress: ({ received, total, bytesPerSecond, url }) => {
                if (!throttle.due() && received < total) return;
                const percent = (100 * received) / total;
                const host = new URL(url).host;
                progress.report({
                  increment: Math.max(0, percent - shownPercent),
                  message: `${(received / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB at ${(bytesPerSecond / MB).toFixed(1)} MB/s from ${host}`,
                });
                shownPercent = Math.max(shownPercent, percent);
              },
            });
            this.log.info(`weights ready: ${file}`);
            return file;
          } finally {
            signal.removeEventListener('abort', abort);
          }
        },
      ),
    );
  }
}
