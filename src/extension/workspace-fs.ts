import * as path from 'path';
import * as vscode from 'vscode';
import { TargetExistsError, type OutputFs } from '../output/write';

/** OutputFs on the file system of `base`'s scheme (local, remote or virtual alike), on `base`'s URI paths. */
export function workspaceFs(base: vscode.Uri): OutputFs {
  const fs = vscode.workspace.fs;
  const at = (p: string) => base.with({ path: p });
  return {
    paths: path.posix,
    exists: (p) =>
      Promise.resolve(fs.stat(at(p))).then(
        () => true,
        (e) => {
          if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return false;
          throw e;
        },
      ),
    createDirectory: async (p) => fs.createDirectory(at(p)),
    writeFile: async (p, bytes) => fs.writeFile(at(p), bytes),
    publish: (from, to) =>
      Promise.resolve(fs.rename(at(from), at(to), { overwrite: false })).catch((e) => {
        throw e instanceof vscode.FileSystemError && e.code === 'FileExists' ? new TargetExistsError(to) : e;
      }),
    replace: async (from, to) => fs.rename(at(from), at(to), { overwrite: true }),
    delete: async (p) => fs.delete(at(p)),
  };
}
