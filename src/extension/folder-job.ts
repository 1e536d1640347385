import { randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type { Method } from '../common/options';
import { Throttle } from '../common/throttle';
import { folderResultsName } from '../output/name';
import { listFolderImages, runFolderBatch, type FolderBatchResult, type FolderListing } from '../pipeline/folder-batch';
import { FolderSummary } from './folder-summary';
import type { GalleryFiles } from './gallery-files';
import { readImage } from './run-job';
import { SECTION, readJobSettings } from './settings';
import type { WeightsProvider } from './weights';
import type { WorkerClient } from './worker-client';
import { workerImages } from './worker-images';
import { workspaceFolderFs } from './workspace-folder';
import { workspaceFs } from './workspace-fs';

export interface FolderJobDeps {
  readonly worker: WorkerClient;
  readonly weights: WeightsProvider;
  readonly gallery: GalleryFiles;
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
}

/** How a folder's run went, for whoever ran the command (the integration tests): URIs of the results written. */
export type FolderRunResult =
  | { readonly refused: string }
  | { readonly written: string[]; readonly skipped: string[]; readonly failed: string[]; readonly notStarted: number; readonly cancelled: boolean };

/** The notification is redrawn at most this often. */
const REPORT_MS = 500;

/** "12 s", "3 min": the notification's time left. */
const timeLeft = (ms: number) => (ms < 90_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`);

/**
 * Stylize Folder with…: every image of `folder` (see listFolderImages; sub-folders with `recursive`) in the styles,
 * by the method of the folder's settings (or `method`), each sent to the worker as a job of its own, one at a time,
 * into `<folder>.<style>.stylized/` beside it. One progress notification covers the batch (done/total, time left,
 * Cancel, which keeps what is written); a summary panel shows the results as a grid at the end.
 */
export async function stylizeFolder(
  folder: vscode.Uri,
  styleUris: readonly vscode.Uri[],
  method: Method | undefined,
  recursive: boolean,
  deps: FolderJobDeps,
): Promise<FolderRunResult> {
  const name = path.posix.basename(folder.path);
  const refuse = (reason: string) => {
    deps.log.warn(`${name}: not started: ${reason}`);
    void vscode.window.showErrorMessage(`Neural Style did not start: ${reason}.`);
    return { refused: reason };
  };
  const settings = readJobSettings(vscode.workspace.getConfiguration(SECTION, folder), styleUris.length, vscode.workspace.isTrusted, method);
  if (settings.problems) return refuse(settings.problems.join('; '));
  const { options, output } = settings.value;
  const styles = styleUris.map((s) => deps.gallery.resource(s));
  let outFolder: string;
  let listing: FolderListing;
  const fs = workspaceFolderFs(folder, deps.gallery);
  try {
    outFolder = path.posix.join(path.posix.dirname(folder.path), folderResultsName(folder.path, styles.map((s) => s.name)));
    const styleFiles = new Set(styleUris.filter((u) => u.scheme === folder.scheme).map((u) => u.path));
    listing = await listFolderImages(fs, folder.path, { recursive, leaveOut: (p) => p === outFolder || styleFiles.has(p) });
  } catch (e) {
    return refuse(`cannot read ${name}: ${errorMessage(e)}`);
  }
  if (listing.images.length === 0) {
    // Its sub-folders may have some: the message offers to go into them (there is no setting for it).
    const deeper = listing.subfolders > 0 ? `; its ${listing.subfolders} sub-folder${listing.subfolders === 1 ? ' is' : 's are'} left out` : '';
    const actions = listing.subfolders > 0 ? ['Include Sub-folders'] : [];
    void vscode.window.showWarningMessage(`Neural Style: ${name} has no images to stylize${deeper}.`, ...actions).then((choice) => {
      if (choice) void stylizeFolder(folder, styleUris, method, true, deps);
    });
    return { refused: `${name} has no images to stylize` };
  }
  let styleInputs;
  try {
    styleInputs = await Promise.all(styles.map((s) => readImage(s, deps.gallery)));
  } catch (e) {
    return refuse(errorMessage(e));
  }

  const total = listing.images.length;
  const title = `Stylizing ${name} (${total} image${total === 1 ? '' : 's'}) with ${styles.map((s) => s.name).join(' + ')}`;
  const batchId = `folder-${randomUUID()}`;
  let current: string | undefined;
  const abort = new AbortController();
  const result = await vscode.window.withProgress<FolderBatchResult | undefined>(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => {
        abort.abort();
        if (current) deps.worker.cancel(current);
      });
      let weightsPath = '';
      if (options.method === 'optimize') {
        progress.report({ message: 'getting the weights ready…' });
        const weights = await deps.weights.ensure(settings.value.weightsPath, abort.signal);
        // The weights provider has told the user already.
        if ('problem' in weights) return undefined;
        weightsPath = weights.path;
      } else {
        deps.worker.prepareFast();
      }
      const throttle = new Throttle(REPORT_MS);
      let shown = 0;
      return runFolderBatch({
        fs, images: listing.images, out: workspaceFs(folder), outFolder, format: output.format, mode: 'next-free', signal: abort.signal,
        stylize: workerImages(deps.worker, {
          id: batchId, styles: styleInputs, options, weightsPath, format: output.format, onJob: (id) => (current = id),
        }),
        onProgress: (p) => {
          if (!throttle.due() && p.fraction > 0) return;
          const percent = (100 * (p.index + p.fraction)) / p.total;
          const left = p.etaMs === undefined ? '' : ` · ${timeLeft(p.etaMs)} left`;
          progress.report({ increment: percent - shown, message: `${p.index + 1}/${p.total} ${p.image.relative}${left}` });
          shown = percent;
        },
      });
    },
  );
  if (!result) return { refused: 'the weights are not ready' };

  const uriOf = (p: string) => folder.with({ path: p });
  const summary = `${name}: wrote ${result.written.length} of ${total} into ${path.posix.basename(outFolder)}` +
    [...listing.skipped.map((m) => `\n  skipped ${m.relative}: ${m.reason}`), ...result.failed.map((m) => `\n  failed ${m.relative}: ${m.reason}`)].join('') +
    (result.notStarted > 0 ? `\n  not started: ${result.notStarted}${result.stopped ? ` (${result.stopped})` : ' (cancelled)'}` : '');
  deps.log.info(summary);
  FolderSummary.show(deps.extensionUri, {
    folder: name,
    results: { name: path.posix.basename(outFolder), uri: uriOf(outFolder) },
    method: options.method,
    written: result.written.map((w) => ({ name: w.output.slice(outFolder.length + 1), uri: uriOf(w.output) })),
    skipped: listing.skipped,
    failed: result.failed,
    notStarted: result.notStarted,
    stopped: result.cancelled ? 'cancelled' : (result.stopped ?? ''),
  }, (problem) => deps.log.warn(problem));
  return {
    written: result.written.map((w) => uriOf(w.output).toString()),
    skipped: listing.skipped.map((m) => m.relative),
    failed: result.failed.map((m) => m.relative),
    notStarted: result.notStarted,
    cancelled: result.cancelled,
  };
}
