import { SingleBar } from 'cli-progress';
import { promises as fs } from 'fs';
import * as path from 'path';
import { fileProblem, printable, UserError } from '../common/errors';
import { formatOfName, type OutputFormat } from '../common/formats';
import type { StyleOptions } from '../common/options';
import { Throttle } from '../common/throttle';
import { folderResultsName } from '../output/name';
import { localOutputFs } from '../output/local-fs';
import { listFolderImages, runFolderBatch, type FolderBatchResult, type FolderMiss, type FolderProgress } from '../pipeline/folder-batch';
import { localFolderFs } from '../pipeline/local-folder';
import { stylizeImages } from '../pipeline/stylize-images';
import { duration } from './progress';
import type { StyleSource } from './style-args';

/** What `stylize FOLDER STYLE...` is given, once the flags it shares with a single image have passed their checks. */
export interface FolderJob {
  readonly folder: string;
  readonly styles: readonly StyleSource[];
  readonly options: StyleOptions;
  readonly output?: string;
  readonly format?: OutputFormat;
  readonly quality: number;
  readonly overwrite: boolean;
  readonly recursive: boolean;
  readonly quiet: boolean;
  /** The VGG19 weights file, for the optimisation; asked for once, before the first image. */
  readonly weights: (signal: AbortSignal) => Promise<string>;
  readonly optionName: (key: string) => string;
}

/** Exit status when some images failed (the others are written). */
export const SOME_FAILED = 1;

/**
 * `neural-style stylize FOLDER STYLE...`: every image of the folder (by content; with `recursive`, of its sub-folders
 * too, kept as sub-folders of the results) in the styles, into `-o FOLDER/` or `<folder>.<style>.stylized/` beside
 * it, one line per image on standard error, what was written, skipped and failed on standard output at the end.
 */
export async function stylizeFolder(job: FolderJob): Promise<void> {
  const folder = path.resolve(job.folder);
  const styleNames = job.styles.map((s) => s.name);
  const outFolder = await resultsFolder(job.output, folder, styleNames);
  const styleFiles = new Set(job.styles.filter((s) => !s.painting).map((s) => path.resolve(s.name)));
  const listing = await listFolderImages(localFolderFs, folder, {
    recursive: job.recursive,
    leaveOut: (p) => p === outFolder || styleFiles.has(p),
  }).catch((e: unknown) => {
    throw e instanceof UserError ? e : new UserError(`cannot read the folder ${folder}: ${fileProblem(e)}`);
  });
  if (listing.images.length === 0) {
    const others = listing.skipped.length > 0 ? ` (${count(listing.skipped.length, 'file')}, none an image)` : '';
    const deeper = listing.subfolders > 0 ? `; --recursive goes into its ${count(listing.subfolders, 'sub-folder')}` : '';
    throw new UserError(`${folder} has no images to stylize${others}${deeper}`);
  }
  await fs.mkdir(outFolder, { recursive: true }).catch((e: unknown) => {
    throw new UserError(`cannot create the folder ${outFolder}: ${fileProblem(e)}`);
  });

  const err = process.stderr;
  const view = batchView(err, job.quiet);
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    view.note('stopping after this image (Ctrl-C again to quit at once)...');
    abort.abort();
  };
  const onSigterm = () => process.exit(143);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const t0 = performance.now();
  let result: FolderBatchResult | undefined;
  try {
    const weightsPath = job.options.method === 'optimize' ? await job.weights(abort.signal) : '';
    const styles = await Promise.all(job.styles.map(async (s) => ({ name: s.name, bytes: await s.read() })));
    let backendSaid = false;
    result = await runFolderBatch({
      fs: localFolderFs, images: listing.images, out: localOutputFs, outFolder, format: job.format ?? 'png',
      mode: job.overwrite ? 'overwrite' : 'next-free', signal: abort.signal,
      stylize: (content, progress) => stylizeImages({
        content, styles, options: job.options, format: job.format ?? 'png', quality: job.quality,
        weights: async () => weightsPath, signal: abort.signal, optionName: job.optionName,
        onBackend: (name, detail) => {
          if (!backendSaid && !job.quiet) view.note(`backend: ${name} (${detail})`);
          backendSaid = true;
        },
        onNotice: (m) => view.note(`note: ${m}`),
        onProgress: (p) => progress(p.step / p.totalSteps),
      }),
      onProgress: (p) => view.update(p),
    });
  } catch (e) {
    // Stopped while the weights were downloading: the download says so with its abort reason.
    if (!abort.signal.aborted || e instanceof UserError) throw e;
  } finally {
    view.stop();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
  const out = process.stdout;
  if (!result) {
    out.write('stopped before the first image: nothing written\n');
    process.exitCode = 130;
    return;
  }
  const method = job.options.method === 'fast' ? 'the fast method' : 'the optimisation';
  out.write(`wrote ${result.written.length} of ${count(listing.images.length, 'image')} into ${printable(outFolder)} by ${method} in ${duration(performance.now() - t0)}\n`);
  if (listing.subfolders > 0) out.write(`left out ${count(listing.subfolders, 'sub-folder')} (--recursive goes into them)\n`);
  writeMisses(out, 'skipped', listing.skipped);
  writeMisses(out, 'failed', result.failed);
  if (result.notStarted > 0) out.write(`not started: ${count(result.notStarted, 'image')}${result.stopped ? ` (stopped: ${printable(result.stopped)})` : ' (cancelled)'}\n`);
  if (result.cancelled) process.exitCode = 130;
  else if (result.failed.length > 0) process.exitCode = SOME_FAILED;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function writeMisses(out: NodeJS.WriteStream, what: string, misses: readonly FolderMiss[]): void {
  if (misses.length === 0) return;
  out.write(`${what} ${misses.length}:\n`);
  for (const m of misses) out.write(`  ${printable(m.relative)}: ${printable(m.reason)}\n`);
}

/**
 * The folder results go to: `-o` (a folder, made if its parent exists; a name that looks like an image file is
 * refused, as a likely slip), or `<folder>.<style>.stylized` beside the folder.
 */
async function resultsFolder(output: string | undefined, folder: string, styles: readonly string[]): Promise<string> {
  if (output === undefined) return path.join(path.dirname(folder), folderResultsName(folder, styles));
  const target = path.resolve(output);
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat && !stat.isDirectory()) throw new UserError(`-o ${output} is a file; with a folder to stylize, -o names the folder the results go to`);
  if (!stat && formatOfName(output) && !/[/\\]$/.test(output)) {
    throw new UserError(`-o ${output} names an image file; with a folder to stylize, -o names the folder the results go to (end it with /)`);
  }
  if (!stat && !(await fs.stat(path.dirname(target)).catch(() => undefined))?.isDirectory()) {
    throw new UserError(`output folder's parent does not exist: ${path.dirname(target)}`);
  }
  if (target === folder) throw new UserError('-o is the folder being stylized; results go into a folder of their own');
  return target;
}

interface BatchView {
  update(p: FolderProgress): void;
  note(message: string): void;
  stop(): void;
}

const left = (p: FolderProgress) => (p.etaMs === undefined ? '' : `${duration(p.etaMs)} left`);

/** The image's name, and how much of it is made once its job says (the optimisation's steps). */
const file = (p: FolderProgress) => `${printable(p.image.relative)}${p.fraction > 0 && p.fraction < 1 ? ` ${Math.floor(p.fraction * 100)}%` : ''}`;

/** A long image (the optimisation's) gets a line this often while it runs. */
const SAME_IMAGE_LINE_MS = 30_000;

/**
 * "12/40 dog.jpg · 1m20s left": a bar on a terminal; otherwise a line per image (at most one a second, the last one
 * always) and one every SAME_IMAGE_LINE_MS while an image takes long.
 */
function batchView(stream: NodeJS.WriteStream, quiet: boolean): BatchView {
  if (quiet) return { update() {}, note: (m) => stream.write(m + '\n'), stop() {} };
  if (stream.isTTY) {
    const bar = new SingleBar({ stream, hideCursor: true, clearOnComplete: false, format: 'stylizing {bar} {value}/{total} {file} | {left}' });
    let started = false;
    return {
      update(p) {
        const payload = { file: file(p), left: left(p) };
        if (!started) bar.start(p.total, p.index, payload);
        else bar.update(p.index, payload);
        started = true;
      },
      note(m) {
        if (started) bar.stop();
        started = false;
        stream.write(m + '\n');
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  const lines = new Throttle(1000);
  const again = new Throttle(SAME_IMAGE_LINE_MS);
  let shown = -1;
  return {
    update(p) {
      if (p.index === shown ? !again.due() : !lines.due() && p.index !== p.total - 1) return;
      if (p.index !== shown) again.due();
      shown = p.index;
      const eta = left(p);
      stream.write(`${p.index + 1}/${p.total} ${file(p)}${eta ? ` · ${eta}` : ''}\n`);
    },
    note: (m) => stream.write(m + '\n'),
    stop() {},
  };
}
