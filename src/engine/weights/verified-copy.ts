import { createHash, randomBytes } from 'crypto';
import { constants, promises as fs, type BigIntStats } from 'fs';
import type { WeightsSource } from './official';

/**
 * Beside a cached file, the note that its md5 was checked: the md5 and the identity of the file it was checked on.
 * Hashing 80 MB takes a quarter of a second or more, too long to repeat on every run.
 */
export const CHECKED_SUFFIX = '.md5-checked';

/** One version of a file: replacing it changes the inode, rewriting it changes ctime (utimes cannot set that). */
function identity(s: BigIntStats): string {
  return `size ${s.size} mtime ${s.mtimeNs} ctime ${s.ctimeNs} inode ${s.ino}`;
}

function note(md5: string, s: BigIntStats): string {
  return `md5 ${md5.toLowerCase()} ${identity(s)}\n`;
}

/**
 * Whether `file` is an intact copy of `source`: a regular file of the right size whose md5 is right. The md5 is
 * computed once for each version of the file and remembered beside it, so a file replaced or changed afterwards,
 * even to the same size and mtime, is hashed again. A note that cannot be written only costs the next run a hash.
 */
export async function isVerifiedCopy(file: string, source: Pick<WeightsSource, 'size' | 'md5'>): Promise<boolean> {
  const before = await fs.stat(file, { bigint: true }).catch(() => undefined);
  if (!before?.isFile() || before.size !== BigInt(source.size)) return false;
  const checked = await fs.readFile(file + CHECKED_SUFFIX, 'utf8').catch(() => '');
  if (checked === note(source.md5, before)) return true;
  // Non-blocking: a FIFO put there after the stat must not hang the open.
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(() => undefined);
  if (!handle) return false;
  try {
    const opened = await handle.stat({ bigint: true });
    if (identity(opened) !== identity(before) || !opened.isFile()) return false;
    const hash = createHash('md5');
    for await (const chunk of handle.createReadStream({ autoClose: false, start: 0 })) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== source.md5.toLowerCase()) return false;
  } finally {
    await handle.close();
  }
  await writeNote(file, note(source.md5, before));
  return true;
}

/** Records that `file`, as it is now, has the md5 `md5` (a download that was just checked while it arrived). */
export async function rememberVerified(file: string, md5: string): Promise<void> {
  await writeNote(file, note(md5, await fs.stat(file, { bigint: true })));
}

/** Written to a temporary name, then renamed: a reader sees the old note or the new one, never half of one. */
async function writeNote(file: string, text: string): Promise<void> {
  const temp = `${file}${CHECKED_SUFFIX}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, text, { flag: 'wx' });
    await fs.rename(temp, file + CHECKED_SUFFIX);
  } catch {
    // A read-only cache is still usable; only the hash is repeated next time.
    await fs.rm(temp, { force: true });
  }
}
