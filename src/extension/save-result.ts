import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import { freePictureWithMask, maskFileOf, writeWithMask } from '../output/mask-file';
import { outputFileName, outputFolder } from '../output/name';
import { writeOutput } from '../output/write';
import type { FastStudio } from './fast-studio';
import type { Job, JobState } from './job';
import type { OutputSettings } from './settings';
import { workspaceFs } from './workspace-fs';

export function resourceOf(uri: vscode.Uri): { name: string; uri: string };
/** A file written at `p`, a path on the file system of `beside`. */
export function resourceOf(beside: { readonly uri: string }, p: string): { name: string; uri: string };
export function resourceOf(where: vscode.Uri | { readonly uri: string }, p?: string): { name: string; uri: string } {
  const uri = where instanceof vscode.Uri ? where : vscode.Uri.parse(where.uri).with({ path: p });
  return { name: path.posix.basename(uri.path), uri: uri.toString() };
}

/**
 * Writes a job's unsaved image where its settings say (beside the content by default), under the next free name,
 * and offers to open it; a failure is shown and logged, and the image stays unsaved.
 */
export async function saveResult(job: Job, log: vscode.LogOutputChannel): Promise<void> {
  const bytes = job.unsaved;
  if (!bytes) return;
  await saving(job, job.styles, job.settings.output, log, async (fs, desired) => {
    job.result = resourceOf(job.content, await writeOutput(fs, desired, bytes));
    job.unsaved = undefined;
  });
}

/**
 * Writes the fast picture a panel shows, whole and encoded as the settings say, every control recorded inside, and
 * the mask painted for it as `<picture>.mask.png` (recorded by that name), as saveResult does.
 */
export async function saveFastPicture(job: JobState, studio: FastStudio, output: OutputSettings, log: vscode.LogOutputChannel): Promise<void> {
  if (!job.unsaved) return;
  await saving(job, studio.styles, output, log, async (fs, desired) => {
    const target = studio.mask ? await freePictureWithMask(fs, desired) : desired;
    const maskName = studio.mask && fs.paths.basename(maskFileOf(fs.paths, target));
    const answer = await studio.output({ format: output.format, maskName });
    if (answer.type !== 'rendered') throw new Error(answer.type === 'failed' ? answer.message : 'the picture could not be made');
    const written = answer.mask
      ? await writeWithMask(fs, target, answer.bytes, answer.mask)
      : { picture: await writeOutput(fs, target, answer.bytes), mask: undefined };
    studio.saved(resourceOf(job.content, written.picture), written.mask === undefined ? undefined : resourceOf(job.content, written.mask));
  });
}

/** Names the output of `job` with `styles`, lets `write` write it there, and tells the user how that went. */
async function saving(
  job: JobState,
  styles: readonly { readonly name: string }[],
  output: OutputSettings,
  log: vscode.LogOutputChannel,
  write: (fs: ReturnType<typeof workspaceFs>, desired: string) => Promise<void>,
): Promise<void> {
  const content = vscode.Uri.parse(job.content.uri);
  const { format, namePattern, folder } = output;
  let desired = outputFolder(content.path, folder);
  try {
    desired = path.posix.join(desired, outputFileName(namePattern, job.content.name, styles.map((s) => s.name), format));
    await write(workspaceFs(content), desired);
    log.info(`${job.title}: saved ${job.result!.uri}`);
    job.setStatus(job.status, job.status === 'done' ? undefined : `Saved as ${job.result!.name}.`);
    const written = vscode.Uri.parse(job.result!.uri);
    void vscode.window.showInformationMessage(`Neural Style saved ${vscode.workspace.asRelativePath(written)}`, 'Open', 'Reveal in Explorer').then((choice) => {
      if (choice === 'Open') openResult(job);
      if (choice === 'Reveal in Explorer') revealResult(job);
    });
  } catch (e) {
    const message = `Could not write ${desired}: ${errorMessage(e)}`;
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
