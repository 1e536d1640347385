import * as path from 'path';
import * as vscode from 'vscode';
import { GALLERY } from '../gallery/paintings';
import type { GalleryFiles } from './gallery-files';
import { IMAGE_EXTENSIONS, IMAGE_GLOB, isImagePath } from './image-files';

interface ImageItem extends vscode.QuickPickItem {
  readonly uri?: vscode.Uri;
}

/** Images found in the workspace for the pickers: enough to choose from, bounded for huge workspaces. */
const MAX_WORKSPACE_IMAGES = 300;
const BROWSE_LABEL = '$(folder-opened) Browse…';

export interface PickImagesOptions {
  readonly title: string;
  readonly placeholder: string;
  readonly many: boolean;
  /** URIs offered first (recent styles); ones that no longer exist are dropped. */
  readonly recent?: readonly string[];
  /** Left out of the list (e.g. the style image when picking what to stylize). */
  readonly exclude?: readonly vscode.Uri[];
  /** The gallery's paintings, offered after the recent images (when picking a style). */
  readonly gallery?: GalleryFiles;
}

/** The picker open now, if any: what the extension's API shows its integration tests. */
let current: vscode.QuickPick<ImageItem> | undefined;

/** The items of the open picker (separators included), once it has found all it offers. */
export function openPickerItems(): readonly vscode.QuickPickItem[] | undefined {
  return current && !current.busy ? current.items : undefined;
}

function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An item with the image itself as its icon (the thumbnail quick picks can show), its folder and file size. */
async function itemFor(uri: vscode.Uri): Promise<ImageItem | undefined> {
  const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
  if (!stat || stat.type & vscode.FileType.Directory) return undefined;
  const relative = vscode.workspace.asRelativePath(uri, true);
  const folder = path.posix.dirname(relative);
  return {
    label: path.posix.basename(uri.path),
    description: folder === '.' ? '' : folder,
    detail: sizeText(stat.size),
    iconPath: uri,
    uri,
  };
}

async function browse(many: boolean): Promise<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    canSelectMany: many,
    openLabel: many ? 'Choose Images' : 'Choose Image',
    filters: { Images: [...IMAGE_EXTENSIONS] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
}

/**
 * A quick pick of images: recent ones first, then the gallery's paintings (when given), then the workspace's, then
 * "Browse…" for a file dialog. Resolves with the chosen images (a painting as its file of the installation), or
 * undefined when the user backs out.
 */
export function pickImages(opts: PickImagesOptions): Promise<vscode.Uri[] | undefined> {
  const qp = vscode.window.createQuickPick<ImageItem>();
  qp.title = opts.title;
  qp.placeholder = opts.placeholder;
  qp.canSelectMany = opts.many;
  qp.matchOnDescription = true;
  const browseButton = { iconPath: new vscode.ThemeIcon('folder-opened'), tooltip: 'Browse…' };
  qp.buttons = [browseButton];
  const excluded = new Set((opts.exclude ?? []).map((u) => u.toString()));
  const browseItem: ImageItem = { label: BROWSE_LABEL, alwaysShow: true, detail: 'Choose an image file anywhere' };
  let recent: ImageItem[] = [];
  let found: ImageItem[] = [];
  const gallery = opts.gallery;
  // The painting itself is the icon; artist and year are filtered on too.
  const paintings: ImageItem[] = gallery
    ? GALLERY.map((s) => ({ label: s.title, description: `${s.artist}, ${s.year}`, iconPath: gallery.uri(s), uri: gallery.uri(s) }))
    : [];
  const show = () => {
    const items: ImageItem[] = [];
    if (recent.length > 0) items.push({ label: 'recent', kind: vscode.QuickPickItemKind.Separator }, ...recent);
    if (paintings.length > 0) items.push({ label: 'gallery', kind: vscode.QuickPickItemKind.Separator }, ...paintings);
    if (found.length > 0) items.push({ label: 'workspace', kind: vscode.QuickPickItemKind.Separator }, ...found);
    // With several to choose, items are check boxes; browsing is the title button then.
    if (!opts.many) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, browseItem);
    qp.items = items;
  };
  qp.busy = true;
  show();

  const recentUris = (opts.recent ?? []).map((u) => vscode.Uri.parse(u)).filter((u) => !excluded.has(u.toString()) && !gallery?.styleAt(u));
  const load = async () => {
    recent = (await Promise.all(recentUris.map(itemFor))).filter((i): i is ImageItem => i !== undefined);
    show();
    const uris = await vscode.workspace.findFiles(IMAGE_GLOB, undefined, MAX_WORKSPACE_IMAGES);
    const shown = new Set([...excluded, ...recent.map((i) => i.uri!.toString())]);
    const fresh = uris.filter((u) => isImagePath(u.path) && !shown.has(u.toString()));
    fresh.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
    found = (await Promise.all(fresh.map(itemFor))).filter((i): i is ImageItem => i !== undefined);
    qp.busy = false;
    show();
  };

  return new Promise((resolve) => {
    let settled = false;
    // The file dialog may itself be a quick input (VS Code in a browser) and hide this one: that is not backing out.
    let browsing = false;
    const finish = (value: vscode.Uri[] | undefined) => {
      if (settled) return;
      settled = true;
      if (current === qp) current = undefined;
      resolve(value);
      qp.dispose();
    };
    const browseAndFinish = async () => {
      browsing = true;
      const picked = await browse(opts.many);
      browsing = false;
      if (picked && picked.length > 0) finish(picked);
      else qp.show();
    };
    qp.onDidTriggerButton(() => void browseAndFinish());
    qp.onDidAccept(() => {
      const chosen = opts.many ? [...qp.selectedItems] : qp.activeItems.slice(0, 1);
      if (!opts.many && chosen[0] === browseItem) {
        void browseAndFinish();
        return;
      }
      const uris = chosen.map((i) => i.uri).filter((u): u is vscode.Uri => u !== undefined);
      if (uris.length > 0) finish(uris);
    });
    qp.onDidHide(() => {
      if (!browsing) finish(undefined);
    });
    current = qp;
    qp.show();
    load().catch(() => {
      qp.busy = false;
    });
  });
}
