import * as vscode from 'vscode';
import { GALLERY, type GalleryStyle } from '../gallery/paintings';
import { readPainting } from '../gallery/read-painting';
import type { Resource } from '../protocol/messages';
import { resourceOf } from './save-result';

/**
 * The gallery's paintings as files of this installation (assets/gallery): a job uses one like any style image,
 * by its URI, but names it by its id (dog.starry-night.stylized.png) and checks its bytes when it reads them.
 */
export class GalleryFiles {
  readonly folder: vscode.Uri;
  private readonly byUri: ReadonlyMap<string, GalleryStyle>;

  constructor(extensionUri: vscode.Uri) {
    this.folder = vscode.Uri.joinPath(extensionUri, 'assets', 'gallery');
    this.byUri = new Map(GALLERY.map((s) => [this.uri(s).toString(), s]));
  }

  uri(style: GalleryStyle): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, style.file);
  }

  /** The painting `uri` is, if it is one of this installation's. */
  styleAt(uri: vscode.Uri): GalleryStyle | undefined {
    return this.byUri.get(uri.toString());
  }

  /** A style image as a job names it: a painting by its id, any other image by its file name. */
  resource(uri: vscode.Uri): Resource {
    const style = this.styleAt(uri);
    return style ? { name: style.id, uri: uri.toString() } : resourceOf(uri);
  }

  /**
   * A painting's bytes, checked. They are read with Node's fs rather than through vscode.workspace.fs: they are this
   * installation's own files, on the extension host's disk, and a grid reads twenty of them.
   */
  read(style: GalleryStyle): Promise<Buffer> {
    return readPainting(style, this.folder.fsPath);
  }
}
