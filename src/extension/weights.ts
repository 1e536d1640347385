import * as vscode from 'vscode';
import { Throttle } from '../common/throttle';
import { localWeightsFile, resolveWeightsFile } from '../engine/weights/locate';
import { getWeights, type WeightsOutcome, type WeightsUi } from './get-weights';
import { SECTION } from './settings';

const MB = 1024 * 1024;
const REPORT_MS = 250;

/**
 * The VGG19 weights file for a job (see getWeights): the one set in neuralStyle.weightsPath (or
 * $NEURAL_STYLE_WEIGHTS), else the cached download, else a download shown in a progress notification (size, speed,
 * cancel). When that fails the user may pick a local copy ("Locate File…"), which is kept as a machine setting so it
 * is asked once.
 */
export class WeightsProvider implements WeightsUi {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The weights file if it is on this machine already (nothing to download or ask), else undefined. */
  async onDisk(setting: string): Promise<string | undefined> {
    return this.local(setting).catch(() => undefined);
  }

  ensure(setting: string, signal: AbortSignal): Promise<WeightsOutcome> {
    return getWeights(this, setting, signal);
  }

  local(setting: string): Promise<string | undefined> {
    return localWeightsFile({ path: setting || undefined });
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

  ask(message: string, actions: readonly string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showErrorMessage(message, ...actions));
  }

  logError(message: string): void {
    this.log.error(message);
  }

  download(signal: AbortSignal): Promise<string | undefined> {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Downloading the VGG19 weights (once)', cancellable: true },
        async (progress, token) => {
          // The notification's Cancel stops the download as the job's cancel does (already made, it stops at once).
          const stopped = new AbortController();
          token.onCancellationRequested(() => stopped.abort());
          const throttle = new Throttle(REPORT_MS);
          let shownPercent = 0;
          try {
            const file = await resolveWeightsFile({
              signal: AbortSignal.any([signal, stopped.signal]),
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
          } catch (e) {
            if (stopped.signal.aborted && !signal.aborted) return undefined;
            throw e;
          }
        },
      ),
    );
  }
}
