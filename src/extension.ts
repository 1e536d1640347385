/**
 * The extension's entry point. Activation only wires up commands, the panel serializer and the status bar: the
 * engine (TensorFlow.js, ONNX Runtime, sharp) runs in the worker process and is never loaded here.
 */
import * as vscode from 'vscode';
import type { FastControlOptions } from './common/options';
import type { JobRecord } from './protocol/messages';
import { registerCommands } from './extension/commands';
import { JobService } from './extension/jobs';
import { PANEL_VIEW_TYPE } from './extension/manifest';
import { RecentStyles } from './extension/recent-styles';
import { StyleGrids } from './extension/style-grid';
import { openPickerItems } from './extension/style-picker';
import { JobStatusBar } from './extension/status-bar';
import { WeightsProvider } from './extension/weights';

/** What the extension exports to other extensions (and to its integration tests). */
export interface NeuralStyleApi {
  /** How long activate() took, in milliseconds. */
  readonly activationMs: number;
  /** A job as its panel shows it now. */
  job(jobId: string): JobRecord | undefined;
  /** The steps of a job's progress thumbnails so far (0: the fast method's picture before an optimisation starts). */
  previewSteps(jobId: string): number[] | undefined;
  /** Resolves with a job's record once it has ended (done, cancelled, diverged, failed). */
  finished(jobId: string): Promise<JobRecord>;
  /** The worker's process id while it runs. */
  workerPid(): number | undefined;
  /** The items of the open style picker (separators too), once it has found all it offers. */
  pickerItems(): readonly { label: string; description?: string; kind?: number }[] | undefined;
  /** A panel brought back from the state its page saved, as after a window reload; the job's id, if it could be. */
  restorePanel(state: unknown): string | undefined;
  /** Moves a fast job's controls as its panel does when one is let go; resolves with the picture rendered. */
  moveControls(jobId: string, controls: Partial<FastControlOptions>): Promise<Uint8Array>;
}

let jobs: JobService | undefined;

export function activate(context: vscode.ExtensionContext): NeuralStyleApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Neural Style', { log: true });
  const weights = new WeightsProvider(log);
  const service = new JobService(context, log, weights);
  jobs = service;
  const recent = new RecentStyles(context.globalState);
  const grids = new StyleGrids(context.extensionUri, service, recent, log);
  registerCommands(context, service, recent, weights, log, grids);
  context.subscriptions.push(
    log,
    service,
    grids,
    new JobStatusBar(service.queue),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => void service.restorePanel(panel, state),
    }),
  );
  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms${vscode.workspace.isTrusted ? '' : ' (Restricted Mode)'}`);
  return {
    activationMs,
    job: (id) => service.job(id)?.record(),
    previewSteps: (id) => service.job(id)?.previews.map((p) => p.step),
    finished: (id) => service.finished(id),
    workerPid: () => service.workerPid,
    pickerItems: openPickerItems,
    restorePanel: (state) => service.restorePanel(vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Neural Style', vscode.ViewColumn.Beside), state),
    moveControls: (id, controls) => service.moveControls(id, controls),
  };
}

/** Waits for the worker process to exit, so that no engine process outlives the window. */
export async function deactivate(): Promise<void> {
  await jobs?.shutdown();
  jobs = undefined;
}
