import { constants, promises as fs, type Stats } from 'fs';
import { UserError, fileProblem } from '../engine/errors';

/**
 * The largest image file read. A compressed photo or painting of the 100 megapixels decoding allows is far
 * smaller, and even an uncompressed 8-bit RGB file of 89 megapixels fits; past it, the bytes alone would weigh
 * on memory before a single pixel is decoded.
 */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

const LIMIT = `${MAX_IMAGE_FILE_BYTES / (1024 * 1024)} MiB`;

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

function refusal(file: string, reason: string): UserError {
  return new UserError(`cannot read image ${file}: ${reason}; give the path of an image file`);
}

function tooLarge(file: string): UserError {
  return new UserError(`cannot read image ${file}: it is larger than ${LIMIT}, the limit for an image file; use a smaller image`);
}

/**
 * The bytes of the image file `file`, refusing whatever could not end: a pipe or a device would block or stream
 * forever, so only a regular file is read, and at most MAX_IMAGE_FILE_BYTES of it, counted while reading, since a
 * file may grow after its size was looked at (and files under /proc report a size of 0).
 */
export async function readImageBytes(file: string): Promise<Buffer> {
  let handle: fs.FileHandle | undefined;
  try {
    // Looked at before opening: opening a device can have effects of its own, and a FIFO would block the open.
    const before = await fs.stat(file);
    const kind = notAFile(before);
    if (kind) throw refusal(file, kind);
    if (before.size > MAX_IMAGE_FILE_BYTES) throw tooLarge(file);
    // Non-blocking, and checked again once open, in case the name was given to a FIFO in between.
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const opened = notAFile(await handle.stat());
    if (opened) throw refusal(file, opened);
    return await readAtMost(handle, before.size, file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`image file not found: ${file}`);
    throw new UserError(`cannot read image ${file}: ${fileProblem(e)}`);
  } finally {
    await handle?.close();
  }
}

/**
 * Reads go in whole blocks: some kernel files (/proc/self/pagemap) refuse a read that splits their records.
 * The limit is a whole number of blocks, so one block past it shows a file larger than the limit.
 */
const BLOCK = 64 * 1024;

/**
 * Reads to the end: into one buffer when the file holds the `expected` bytes its size said, else on into growing
 * chunks (no copying while reading), never holding more than the limit and a block.
 */
async function readAtMost(handle: fs.FileHandle, expected: number, file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  // One byte more than expected shows the end without a second read into another chunk.
  for (let wanted = expected + 1; ; wanted = total) {
    const chunk = Buffer.allocUnsafe(Math.min(Math.ceil(wanted / BLOCK) * BLOCK, MAX_IMAGE_FILE_BYTES + BLOCK - total));
    const filled = await fill(handle, chunk);
    chunks.push(chunk.subarray(0, filled));
    total += filled;
    if (total > MAX_IMAGE_FILE_BYTES) throw tooLarge(file);
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
