import type * as path from 'path';
import { errorMessage, fileProblem } from '../common/errors';
import type { OutputFormat } from '../common/formats';
import type { ImagesResult } from '../common/report';
import { imageFormatOf, SIGNATURE_BYTES } from '../image/image-signature';
import { FOLDER_ITEM_PATTERN, isStylizedName, outputFileName } from '../output/name';
import { writeOutput, type OutputFs, type WriteMode } from '../output/write';
import type { ImageInput } from './stylize-images';

/**
 * A whole folder stylized image by image, below the CLI and the extension alike: which of its files are images (by
 * their first bytes, not their names), and each of them run through a whole job (stylizeImages, or the worker that
 * runs it) and written into a folder of results, one at a time, so that memory stays that of one image.
 */

/** A folder's files as a batch reads them: Node's fs in the CLI, the workspace's file system in the extension. */
export interface FolderFs {
  /** How this file system's paths are spelled. */
  readonly paths: path.PlatformPath;
  /** The entries of `dir`; a link counts as what it points to, except a link to a folder, which is 'other'. */
  list(dir: string): Promise<ReadonlyArray<{ readonly name: string; readonly kind: 'file' | 'folder' | 'other' }>>;
  /** The first `n` bytes of `file`, or all of a shorter one. */
  head(file: string, n: number): Promise<Uint8Array>;
  /** The whole file, within the limits of an image file (a UserError past them). */
  read(file: string): Promise<Uint8Array>;
}

/** An image of the folder: its path, and its path inside the folder ('/'-separated), which messages and results use. */
export interface FolderImage {
  readonly path: string;
  readonly relative: string;
}

/** A file of the folder that gave no result, and why, in one line. */
export interface FolderMiss {
  readonly relative: string;
  readonly reason: string;
}

export interface FolderListing {
  /** In a stable order: by name, numbers by value (img2 before img10), a sub-folder's where its name falls. */
  readonly images: readonly FolderImage[];
  /** Files that are not images, or are results of earlier runs. Hidden files are left out without a word. */
  readonly skipped: readonly FolderMiss[];
  /** Sub-folders not gone into (without `recursive`). */
  readonly subfolders: number;
}

export interface ListOptions {
  /** Into sub-folders too (never hidden ones, nor folders of results). */
  readonly recursive?: boolean;
  /** Paths left out without a word: the folder the results go to, the style images. */
  readonly leaveOut?: (p: string) => boolean;
}

const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** A folder of results (`<folder>.<style>.stylized`, as folderResultsName names them). */
const isResultsFolder = (name: string) => /\.stylized(-\d+)?$/i.test(name);

/** The images of `folder` (see FolderListing). */
export async function listFolderImages(fs: FolderFs, folder: string, opts: ListOptions = {}): Promise<FolderListing> {
  const images: FolderImage[] = [];
  const skipped: FolderMiss[] = [];
  let subfolders = 0;
  const visit = async (dir: string, prefix: string) => {
    const entries = [...(await fs.list(dir))].sort((a, b) => byName.compare(a.name, b.name) || (a.name < b.name ? -1 : 1));
    for (const { name, kind } of entries) {
      const p = fs.paths.join(dir, name);
      const relative = prefix + name;
      if (name.startsWith('.') || opts.leaveOut?.(p)) continue;
      if (kind === 'folder') {
        if (!opts.recursive) subfolders++;
        else if (!isResultsFolder(name)) await visit(p, `${relative}/`);
        continue;
      }
      if (kind !== 'file') continue;
      if (isStylizedName(name)) {
        skipped.push({ relative, reason: 'a stylized result' });
        continue;
      }
      let head: Uint8Array;
      try {
        head = await fs.head(p, SIGNATURE_BYTES);
      } catch (e) {
        skipped.push({ relative, reason: `cannot read it: ${fileProblem(e)}` });
        continue;
      }
      if (imageFormatOf(head)) images.push({ path: p, relative });
      else skipped.push({ relative, reason: head.length === 0 ? 'empty' : 'not an image' });
    }
  };
  await visit(folder, '');
  return { images, skipped, subfolders };
}

/**
 * Where a batch is: the image being made (0-based `index` of `total`) and how much of it is done (0 to 1), and the
 * time left once it can be told (from the pace of the images so far).
 */
export interface FolderProgress {
  readonly index: number;
  readonly total: number;
  readonly image: FolderImage;
  readonly fraction: number;
  readonly etaMs?: number;
}

export interface FolderBatchRequest {
  readonly fs: FolderFs;
  readonly images: readonly FolderImage[];
  /** Where results go, and how: in `format` (an animation in its own, see animationFormat), under their own names (FOLDER_ITEM_PATTERN), sub-folders kept. */
  readonly out: OutputFs;
  readonly outFolder: string;
  readonly format: OutputFormat;
  /** `next-free` (a name taken gets -1, -2, ...) or `overwrite`. */
  readonly mode: Exclude<WriteMode, 'exact'>;
  /**
   * One image's whole job; `progress` takes how much of it is done (0 to 1), for the time left. A UserError or any
   * other failure fails that image only.
   */
  readonly stylize: (content: ImageInput, progress: (fraction: number) => void) => Promise<ImagesResult>;
  /** Stops before the next image; a result already written stays. */
  readonly signal?: AbortSignal;
  /** Told when an image starts, and as its job says how far it got. */
  readonly onProgress?: (p: FolderProgress) => void;
  /** Told of each result once written (its path) or of each image that failed. */
  readonly onResult?: (image: FolderImage, outcome: { readonly written: string } | { readonly failed: string }) => void;
}

export interface FolderBatchResult {
  readonly written: ReadonlyArray<{ readonly image: FolderImage; readonly output: string }>;
  readonly failed: readonly FolderMiss[];
  /** Images not started: cancelled, or after a result that could not be written. */
  readonly notStarted: number;
  readonly cancelled: boolean;
  /** Why the batch stopped before its end, other than being cancelled (a result it could not write). */
  readonly stopped?: string;
}

/**
 * Runs `images` one at a time through `stylize` and writes each result. An image that fails is listed with its
 * reason and the next one starts; a result that cannot be written stops the batch (the next ones would fail
 * alike: a full disk, a folder gone), keeping what is written.
 */
export async function runFolderBatch(req: FolderBatchRequest): Promise<FolderBatchResult> {
  const written: Array<{ image: FolderImage; output: string }> = [];
  const failed: FolderMiss[] = [];
  const start = performance.now();
  const total = req.images.length;
  const paths = req.out.paths;
  // Abandoned temporary files are looked for once per folder, not once per result: a folder of thousands would
  // otherwise be read through thousands of times.
  const cleaned = new Set<string>();
  const out: OutputFs = {
    ...req.out,
    removeAbandoned: async (dir) => {
      if (cleaned.has(dir)) return;
      cleaned.add(dir);
      await req.out.removeAbandoned?.(dir);
    },
  };
  for (const [index, image] of req.images.entries()) {
    const ended = (extra: { cancelled: boolean; stopped?: string }) => ({ written, failed, notStarted: total - index, ...extra });
    if (req.signal?.aborted) return ended({ cancelled: true });
    const progress = (fraction: number) => {
      const done = index + fraction;
      const etaMs = done > 0 ? ((performance.now() - start) / done) * (total - done) : undefined;
      req.onProgress?.({ index, total, image, fraction, etaMs });
    };
    progress(0);
    let result: ImagesResult;
    try {
      result = await req.stylize({ name: image.relative, bytes: await req.fs.read(image.path) }, progress);
    } catch (e) {
      // Cancelled while it ran (the weights' download, say): not a failure of the image.
      if (req.signal?.aborted) return ended({ cancelled: true });
      failed.push({ relative: image.relative, reason: errorMessage(e).split('\n')[0] });
      req.onResult?.(image, { failed: failed[failed.length - 1].reason });
      continue;
    }
    if (result.outcome === 'cancelled') return ended({ cancelled: true });
    if (result.outcome !== 'done') {
      failed.push({ relative: image.relative, reason: result.message ?? 'the loss diverged' });
      req.onResult?.(image, { failed: failed[failed.length - 1].reason });
      continue;
    }
    const parts = image.relative.split('/');
    // An animation comes back as one (GIF or WebP), and is named so.
    const name = outputFileName(FOLDER_ITEM_PATTERN, parts[parts.length - 1], [], result.animation?.format ?? req.format);
    const desired = paths.join(req.outFolder, ...parts.slice(0, -1), name);
    let output: string;
    try {
      output = await writeOutput(out, desired, result.bytes, req.mode);
    } catch (e) {
      const reason = `cannot write ${desired}: ${fileProblem(e)}`;
      failed.push({ relative: image.relative, reason });
      return { written, failed, notStarted: total - index - 1, cancelled: false, stopped: reason };
    }
    written.push({ image, output });
    req.onResult?.(image, { written: output });
  }
  return { written, failed, notStarted: 0, cancelled: false };
}
