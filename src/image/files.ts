import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../engine/errors';
import { errnoCode, fsReason } from './fs-reason';

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false;
    throw new UserError(`cannot tell whether ${file} exists: ${fsReason(e)}`);
  }
}

/** `a.png` if it is free, else the first free one of `a-1.png`, `a-2.png`, ... */
export async function freeName(file: string): Promise<string> {
  const { dir, name, ext } = path.parse(file);
  let candidate = file;
  for (let n = 1; await exists(candidate); n++) {
    candidate = path.join(dir, `${name}-${n}${ext}`);
  }
  return candidate;
}

/** Creates `file` (failing with EEXIST if it exists) and writes it through to disk; a failed write leaves no file. */
async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(file, { force: true });
    throw e;
  }
  await handle.close();
}

/**
 * Gives `tmp`'s content the name `target` only if nothing has that name, atomically: `link` fails with EEXIST
 * instead of replacing. Where `link` fails otherwise, the file system most likely has no hard links (FAT, exFAT,
 * some network shares; Windows reports that under several codes): then `target` is created exclusively and
 * written in place, so only there a reader may glimpse a partial file. A real problem (permissions, disk full)
 * fails there again and is reported as such.
 */
async function publishExclusive(tmp: string, target: string, bytes: Uint8Array): Promise<void> {
  try {
    await fs.link(tmp, target);
    return;
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') throw e;
  }
  await writeDurably(target, bytes);
}

/**
 * Writes `bytes` to `file` so that the name never holds a partial image, even if the process dies: the bytes go
 * to a temporary file in the same folder, which then takes the final name; success or failure, it is removed.
 * An existing file is replaced only with `overwrite`. Returns the absolute path written.
 */
export async function writeImageFile(
  file: string,
  bytes: Uint8Array,
  opts: { overwrite?: boolean } = {},
): Promise<string> {
  const target = path.resolve(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeDurably(tmp, bytes);
    if (opts.overwrite) await fs.rename(tmp, target);
    else await publishExclusive(tmp, target, bytes);
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') {
      throw new UserError(`${target} already exists; choose another name or pass --overwrite`);
    }
    throw new UserError(`cannot write ${target}: ${fsReason(e)}`);
  } finally {
    await fs.rm(tmp, { force: true });
  }
  return target;
}
