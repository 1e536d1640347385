import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type { ResultFormat } from '../common/formats';
import { freePictureWithMask, maskFileOf, writeWithMask } from '../output/mask-file';
import { outputFileName, outputFolder } from '../output/name';
import { writeOutput, type OutputFs } from '../output/write';
import type { FastStudio } from './fast-studio';
import type { AnyJob, Job } from './job';
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
 * Names the result of `content` in the styles named as the output settings say (beside the content by default; in
 * `format`, which is the settings' but for an animation), and lets `write` write it there under the next free name;
 * a failure says which file could not be written.
 */
async function writeNamed<T>(
  content: vscode.Uri,
  styleNames: readonly string[],
  output: OutputSettings,
  format: ResultFormat,
  write: (fs: OutputFs, desired: string) => Promise<T>,
): Promise<T> {
  let desired = outputFolder(content.path, output.folder);
  try {
    desired = path.posix.join(desired, outputFileName(output.namePattern, path.posix.basename(content.path), styleNames, format));
    return await write(workspaceFs(content), desired);
  } catch (e) {
    throw new Error(`Could not write ${desired}: ${errorMessage(e)}`);
  }
}

/** Writes `bytes`, the result of `content` in the styles named (see writeNamed); resolves with where it went. */
export function writeResult(
  content: vscode.Uri, styleNames: readonly string[], output: OutputSettings, format: ResultFormat, bytes: Uint8Array,
): Promise<vscode.Uri> {
  return writeNamed(content, styleNames, output, format, async (fs, desired) => content.with({ path: await writeOutput(fs, desired, bytes) }));
}

/**
 * Writes a job's unsaved image (see writeResult) and offers to open it; a failure is shown and logged, and the
 * image stays unsaved.
 */
export async function saveResult(job: Job, log: vscode.LogOutputChannel): Promise<void> {
  const bytes = job.unsaved;
  if (!bytes) return;
  await saving(job, log, async () => {
    const format = job.report?.animation?.format ?? job.settings.output.format;
    job.result = resourceOf(await writeResult(vscode.Uri.parse(job.content.uri), job.styles.map((s) => s.name), job.settings.output, format, bytes));
    job.unsaved = undefined;
  });
}

/**
 * Writes the fast picture a panel shows, whole and encoded as the settings say, every control recorded inside, and
 * the mask painted for it as `<picture>.mask.png` (recorded by that name), as saveResult does.
 */
export async function saveFastPicture(job: AnyJob, studio: FastStudio, output: OutputSettings, log: vscode.LogOutputChannel): Promise<void> {
  if (!job.unsaved) return;
  const content = vscode.Uri.parse(job.content.uri);
  await saving(job, log, () => writeNamed(content, studio.styles.map((s) => s.name), output, studio.resultFormat(output.format), async (fs, desired) => {
    const target = studio.mask ? await freePictureWithMask(fs, desired) : desired;
    const maskName = studio.mask && fs.paths.basename(maskFileOf(fs.paths, target));
    const answer = await studio.output({ format: output.format, maskName });
    if (answer.type !== 'rendered') throw new Error(answer.type === 'failed' ? answer.message : 'the picture could not be made');
    const written = answer.mask
      ? await writeWithMask(fs, target, answer.bytes, answer.mask)
      : { picture: await writeOutput(fs, target, answer.bytes), mask: undefined };
    studio.saved(resourceOf(job.content, written.picture), written.mask === undefined ? undefined : resourceOf(job.content, written.mask));
  }));
}

/** Lets `save` save the job's picture (setting its result), and tells the user where it went, or why it could not. */
async function saving(job: AnyJob, log: vscode.LogOutputChannel, save: () => Promise<void>): Promise<void> {
  try {
    await save();
  } catch (e) {
    const message = errorMessage(e);
    log.error(message);
    job.setStatus(job.status, message);
    void vscode.window.showErrorMessage(`Neural Style: ${message}`);
    return;
  }
  const written = vscode.Uri.parse(job.result!.uri);
  log.info(`${job.title}: saved ${written.toString(true)}`);
  job.setStatus(job.status, job.status === 'done' ? undefined : `Saved as ${job.result!.name}.`);
  void vscode.window.showInformationMessage(`Neural Style saved ${vscode.workspace.asRelativePath(written)}`, 'Open', 'Reveal in Explorer').then((choice) => {
    if (choice === 'Open') openResult(job);
    if (choice === 'Reveal in Explorer') revealResult(job);
  });
}

type WithResult = { readonly result?: { readonly uri: string } };

export function openResult(job: WithResult): void {
  if (job.result) void vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(job.result.uri));
}

export function revealResult(job: WithResult): void {
  if (job.result) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(job.result.uri));
}
