import { constants, promises as fs, unlinkSync } from 'fs';
import * as path from 'path';
import { TEMPORARY_NAME, TargetExistsError, type OutputFs } from './write';

/** A temporary file this old is no writer's any more: a result takes seconds to write, not an hour. */
const ABANDONED_MS = 60 * 60 * 1000;

/** Temporary files being written, removed if the process exits before it does (a second Ctrl-C, say). */
const pending = new Set<string>();
let exitHook = false;

function track(file: string): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const f of pending) {
        try {
          unlinkSync(f);
        } catch {
          // Gone already, or not ours to remove any more.
        }
      }
    });
  }
  pending.add(file);
}

const code = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * OutputFs on the local disk, for the CLI. `publish` is a hard link, which fails instead of replacing; on file
 * systems without hard links (FAT, exFAT, some network shares; Windows reports that under several codes) it falls
 * back to an exclusive copy, where alone a reader may glimpse a partial file.
 */
export const localOutputFs: OutputFs = {
  paths: path,
  exists: (p) =>
    fs.lstat(p).then(
      () => true,
      (e) => {
        if (code(e) === 'ENOENT') return false;
        throw e;
      },
    ),
  createDirectory: async (p) => void (await fs.mkdir(p, { recursive: true })),
  async writeFile(p, bytes) {
    track(p);
    const handle = await fs.open(p, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (e) {
      await handle.close();
      await fs.rm(p, { force: true });
      pending.delete(p);
      throw e;
    }
    await handle.close();
  },
  async publish(from, to) {
    try {
      await fs.link(from, to);
      return;
    } catch (e) {
      if (code(e) === 'EEXIST') throw new TargetExistsError(to);
    }
    try {
      await fs.copyFile(from, to, constants.COPYFILE_EXCL);
    } catch (e) {
      if (code(e) === 'EEXIST') throw new TargetExistsError(to);
      throw e;
    }
  },
  replace: (from, to) => fs.rename(from, to),
  async delete(p) {
    await fs.rm(p, { force: true });
    pending.delete(p);
  },
  async removeAbandoned(dir) {
    const cutoff = Date.now() - ABANDONED_MS;
    for (const name of await fs.readdir(dir)) {
      if (!TEMPORARY_NAME.test(name)) continue;
      const file = path.join(dir, name);
      const stat = await fs.lstat(file).catch(() => undefined);
      if (stat?.isFile() && stat.mtimeMs < cutoff) await fs.rm(file, { force: true });
    }
  },
};
