import { randomBytes } from 'crypto';
import * as path from 'path';
import { freePath } from './output-name';

/** The file operations an output needs, on URI paths; vscode.workspace.fs in the extension (see jobs.ts). */
export interface OutputFs {
  exists(p: string): Promise<boolean>;
  createDirectory(p: string): Promise<void>;
  writeFile(p: string, bytes: Uint8Array): Promise<void>;
  /** Must fail with TargetExistsError, never replace, when `to` exists. */
  rename(from: string, to: string): Promise<void>;
  delete(p: string): Promise<void>;
}

export class TargetExistsError extends Error {}

/** Names taken by someone else between the check and the rename, more than once in a row, would be odd. */
const MAX_ATTEMPTS = 10;

/**
 * Writes `bytes` under `desired`, or the first free name like it, so that no name ever shows a partial image and
 * no file is replaced: the bytes go to a hidden temporary file in the same folder, which is then renamed without
 * overwriting. If another writer takes the free name in between, the next free name is tried. Returns the path
 * written.
 */
export async function writeOutput(fs: OutputFs, desired: string, bytes: Uint8Array): Promise<string> {
  const dir = path.posix.dirname(desired);
  await fs.createDirectory(dir);
  const tmp = path.posix.join(dir, `.${path.posix.basename(desired)}.${randomBytes(6).toString('hex')}.tmp`);
  await fs.writeFile(tmp, bytes);
  try {
    for (let attempt = 1; ; attempt++) {
      const target = await freePath(desired, (p) => fs.exists(p));
      try {
        await fs.rename(tmp, target);
        return target;
      } catch (e) {
        if (!(e instanceof TargetExistsError) || attempt === MAX_ATTEMPTS) throw e;
      }
    }
  } finally {
    await fs.delete(tmp).catch(() => {});
  }
}
