import * as path from 'path';
import * as vscode from 'vscode';
import type { FolderFs } from '../pipeline/folder-batch';
import { fileHead } from '../pipeline/local-folder';
import { readImage } from './run-job';
import type { GalleryFiles } from './gallery-files';

/**
 * FolderFs on the file system of `base`'s scheme, on `base`'s URI paths. A link to a folder is not followed (one to a
 * folder above would never end). A local file's first bytes are read alone; elsewhere the file is read whole.
 */
export function workspaceFolderFs(base: vscode.Uri, gallery: GalleryFiles): FolderFs {
  const at = (p: string) => base.with({ path: p });
  return {
    paths: path.posix,
    async list(dir) {
      const entries = await vscode.workspace.fs.readDirectory(at(dir));
      return entries.map(([name, type]) => ({
        name,
        kind: type & vscode.FileType.SymbolicLink && type & vscode.FileType.Directory
          ? 'other'
          : type & vscode.FileType.Directory ? 'folder' : type & vscode.FileType.File ? 'file' : 'other',
      }));
    },
    async head(file, n) {
      const uri = at(file);
      return uri.scheme === 'file' ? fileHead(uri.fsPath, n) : (await vscode.workspace.fs.readFile(uri)).subarray(0, n);
    },
    read: async (file) => (await readImage({ name: path.posix.basename(file), uri: at(file).toString() }, gallery)).bytes,
  };
}
