import { promises as fs } from 'fs';
import * as path from 'path';
import { readImageBytes } from '../image/input-file';
import type { FolderFs } from './folder-batch';

/**
 * FolderFs on the local disk, for the CLI. A link to a folder is not followed (a link to a folder above it would
 * never end); a link to a file is read as the file.
 */
export const localFolderFs: FolderFs = {
  paths: path,
  async list(dir) {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return Promise.all(entries.map(async (e) => {
      let kind: 'file' | 'folder' | 'other' = e.isFile() ? 'file' : e.isDirectory() ? 'folder' : 'other';
      if (e.isSymbolicLink()) kind = (await fs.stat(path.join(dir, e.name)).catch(() => undefined))?.isFile() ? 'file' : 'other';
      return { name: e.name, kind };
    }));
  },
  head: fileHead,
  read: readImageBytes,
};

/** The first `n` bytes of a local file (fewer if it is shorter): enough to tell an image by its signature. */
export async function fileHead(file: string, n: number): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buffer, 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
