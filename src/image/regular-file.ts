import { constants, promises as fs, type Stats } from 'fs';
import { UserError, fileProblem, nameNotUtf8 } from '../common/errors';

/** A kind of file a program reads whole (an image, a net), as messages name it. */
export interface FileKind {
  /** Stands before the path in messages: "image", "fast mode's net". */
  readonly name: string;
  /** The largest file of this kind read: past it, the bytes alone would weigh on memory. */
  readonly maxBytes: number;
  /** What the user can do about a path that is no such file: "give the path of an image file". */
  readonly advice: string;
}

/** What a path that is no regular file is, for the message; undefined for a regular file. */
function notAFile(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'it is a folder';
  if (stat.isFIFO()) return 'it is a named pipe (FIFO), not a file';
  if (stat.isCharacterDevice()) return 'it is a character device, not a file';
  if (stat.isBlockDevice()) return 'it is a block device, not a file';
  if (stat.isSocket()) return 'it is a socket, not a file';
  return 'it is not a regular file';
}

const mib = (bytes: number) => `${bytes / (1024 * 1024)} MiB`;

function refusal(file: string, kind: FileKind, reason: string): UserError {
  return new UserError(`cannot read ${kind.name} ${file}: ${reason}; ${kind.advice}`);
}

function tooLarge(file: string, kind: FileKind): UserError {
  return new UserError(`cannot read ${kind.name} ${file}: it is larger than ${mib(kind.maxBytes)}, the limit for ${kind.name} files`);
}

/**
 * The bytes of `file`, refusing whatever could not end: a pipe or a device would block or stream forever, so only
 * a regular file is read, and at most `kind.maxBytes` of it, counted while reading, since a file may grow after its
 * size was looked at (and files under /proc report a size of 0).
 */
export async function readRegularFile(file: string, kind: FileKind): Promise<Buffer> {
  let handle: fs.FileHandle | undefined;
  try {
    // Looked at before opening: opening a device can have effects of its own, and a FIFO would block the open.
    const before = await fs.stat(file);
    const what = notAFile(before);
    if (what) throw refusal(file, kind, what);
    if (before.size > kind.maxBytes) throw tooLarge(file, kind);
    // Non-blocking, and checked again once open, in case the name was given to a FIFO in between.
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const opened = notAFile(await handle.stat());
    if (opened) throw refusal(file, kind, opened);
    return await readAtMost(handle, before.size, file, kind);
  } catch (e) {
    if (e instanceof UserError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${kind.name} file not found: ${file}${nameNotUtf8(file)}`);
    throw new UserError(`cannot read ${kind.name} ${file}: ${fileProblem(e)}`);
  } finally {
    await handle?.close();
  }
}

/**
 * Reads go in whole blocks: some kernel files (/proc/self/pagemap) refuse a read that splits their records.
 * The limits are whole numbers of blocks, so one block past a limit shows a file larger than it.
 */
const BLOCK = 64 * 1024;

/**
 * Reads to the end: into one buffer when the file holds the `expected` bytes its size said, else on into growing
 * chunks (no copying while reading), never holding more than the limit and a block.
 */
async function readAtMost(handle: fs.FileHandle, expected: number, file: string, kind: FileKind): Promise<Buffer> {
  const { maxBytes } = kind;
  const chunks: Buffer[] = [];
  let total = 0;
  // One byte more than expected shows the end without a second read into another chunk.
  for (let wanted = expected + 1; ; wanted = total) {
    const chunk = Buffer.allocUnsafe(Math.min(Math.ceil(wanted / BLOCK) * BLOCK, maxBytes + BLOCK - total));
    const filled = await fill(handle, chunk);
    chunks.push(chunk.subarray(0, filled));
    total += filled;
    if (total > maxBytes) throw tooLarge(file, kind);
    if (filled < chunk.length) return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  }
}

/** Bytes read into `chunk`: all of it, or fewer at the end of the file (kernel files give a page per read). */
async function fill(handle: fs.FileHandle, chunk: Buffer): Promise<number> {
  let filled = 0;
  while (filled < chunk.length) {
    const { bytesRead } = await handle.read(chunk, filled, chunk.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}
