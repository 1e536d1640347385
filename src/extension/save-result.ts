import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import { outputFileName, outputFolder } from '../output/name';
import { writeOutput } from '../output/write';
import type { Job } from './job';
import type { OutputSettings } from './settings';
import { workspaceFs } from './workspace-fs';

export function resourceOf(uri: vscode.Uri): { name: string; uri: string } {
  return { name: path.posix.basename(uri.path), uri: uri.toString() };
}

/**
 * Writes `bytes`, the result of `content` in the styles named, where the output settings put it (beside the content
 * by default), under the next free name; resolves with where it went.
 */
export async function writeResult(content: vscode.Uri, styleNames: readonly string[], output: OutputSettings, bytes: Uint8Array): Promise<vscode.Uri> {
  const desired = path.posix.join(
    outputFolder(content.path, output.folder),
    outputFileName(output.namePattern, path.posix.basename(content.path), styleNames, output.format),
  );
  try {
    return content.with({ path: await writeOutput(workspaceFs(content), desired, bytes) });
  } catch (e) {
    throw new Error(`Could not write ${desired}: ${errorMessage(e)}`);
  }
}

/**
 * Writes a job's unsaved image (see writeResult) and offers to open it; a failure is shown and logged, and the
 * image stays unsaved.
 */
export async function saveResult(job: Job, log: vscode.LogOutputChannel): Promise<void> {
  const bytes = job.unsaved;
  if (!bytes) return;
  try {
    const written = await writeResult(vscode.Uri.parse(job.content.uri), job.styles.map((s) => s.name), job.settings.output, bytes);
    job.result = resourceOf(written);
    job.unsaved = undefined;
    log.info(`${job.title}: saved ${written.toString(true)}`);
    job.setStatus(job.status, job.status === 'done' ? undefined : `Saved as ${job.result.name}.`);
    void vscode.window.showInformationMessage(`Neural Style saved ${vscode.workspace.asRelativePath(written)}`, 'Open', 'Reveal in Explorer').then((choice) => {
      if (choice === 'Open') openResult(job);
      if (choice === 'Reveal in Explorer') revealResult(job);
    });
  } catch (e) {
    const message = errorMessage(e);
    log.error(message);
    job.setStatus(job.status, message);
    void vscode.window.showErrorMessage(`Neural Style: ${message}`);
  }
}

type WithResult = { readonly result?: { readonly uri: string } };

export function openResult(job: WithResult): void {
  if (job.result) void vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(job.result.uri));
}

export function revealResult(job: WithResult): void {
  if (job.result) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(job.result.uri));
}
