import { randomBytes, randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type { StyleOptions } from '../common/options';
import { GALLERY } from '../gallery/paintings';
import { checked } from '../protocol/fields';
import { fromGrid, type FromGrid, type Resource, type ToGrid } from '../protocol/messages';
import { IMAGE_NAME_GLOB, isImagePath } from './image-files';
import type { NamedBytes } from './job';
import type { JobService } from './jobs';
import { GRID_VIEW_TYPE } from './manifest';
import { pageHtml } from './panel-html';
import type { RecentStyles } from './recent-styles';
import { readImage } from './run-job';
import { resourceOf, writeResult } from './save-result';
import { SECTION, readJobSettings, type JobSettings } from './settings';
import { MAX_WORKSPACE_STYLES, STYLE_FOLDERS, workspaceStyles, type WorkspaceImage } from './style-like';
import { renderTiles } from './tile-renderer';

/** Longer side of a tile: sharp enough for a grid cell on a high-density screen, a transformer pass of ~10 ms. */
const TILE_SIZE = 256;

/** How a grid's rendering went, for whoever ran the command (the integration tests). */
export interface GridResult {
  /** The tiles' labels, gallery first. */
  readonly labels: readonly string[];
  readonly rendered: number;
  readonly failed: readonly string[];
}

interface Tile {
  readonly style: Resource;
  readonly label: string;
  readonly detail: string;
  readonly gallery: boolean;
  png?: Uint8Array;
  error?: string;
}

/** Try All Styles: one grid per content image (asking again shows it again). */
export class StyleGrids implements vscode.Disposable {
  private readonly grids = new Map<string, StyleGrid>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly jobs: JobService,
    private readonly recent: RecentStyles,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens the grid of `content` (or shows it again); resolves once all its tiles are rendered or it is closed. */
  async show(content: vscode.Uri): Promise<GridResult | undefined> {
    const key = content.toString();
    const open = this.grids.get(key);
    if (open) {
      open.reveal();
      return open.finished;
    }
    const settings = readJobSettings(vscode.workspace.getConfiguration(SECTION, content), 1, vscode.workspace.isTrusted, 'fast');
    if (settings.problems) {
      void vscode.window.showErrorMessage(`Neural Style cannot try the styles: ${settings.problems.join('; ')}.`);
      return undefined;
    }
    const styles = [...GALLERY.map((s) => this.jobs.gallery.uri(s)), ...(await findWorkspaceStyles(content, this.recent.list(), this.jobs))];
    const grid = new StyleGrid(content, styles, settings.value, this.extensionUri, this.jobs, this.log, () => this.grids.delete(key));
    this.grids.set(key, grid);
    return grid.finished;
  }

  dispose(): void {
    for (const grid of this.grids.values()) grid.dispose();
  }
}

/**
 * The workspace's own images that look like styles (see style-like.ts): recent styles inside the workspace, then
 * images in style folders.
 */
async function findWorkspaceStyles(content: vscode.Uri, recent: readonly string[], jobs: JobService): Promise<vscode.Uri[]> {
  const image = (uri: vscode.Uri): WorkspaceImage => ({ uri: uri.toString(), relative: vscode.workspace.asRelativePath(uri, false) });
  const isFile = (uri: vscode.Uri) => Promise.resolve(vscode.workspace.fs.stat(uri)).then((s) => (s.type & vscode.FileType.File) !== 0, () => false);
  const candidates = recent.map((u) => vscode.Uri.parse(u))
    .filter((u) => vscode.workspace.getWorkspaceFolder(u) && isImagePath(u.path) && !jobs.gallery.styleAt(u));
  const used = (await Promise.all(candidates.map(async (u) => ((await isFile(u)) ? image(u) : undefined)))).filter((i) => i !== undefined);
  // findFiles globs match case-sensitively: each folder name as written, capitalised and in capitals.
  const folders = STYLE_FOLDERS.flatMap((f) => [f, f[0].toUpperCase() + f.slice(1), f.toUpperCase()]);
  // A package's own `styles/` or `art/` holds its icons and backgrounds, not the user's paintings.
  const found = await vscode.workspace.findFiles(`**/{${folders.join(',')}}/**/${IMAGE_NAME_GLOB}`, '**/{node_modules,.*}/**', 4 * MAX_WORKSPACE_STYLES);
  return workspaceStyles(used, found.map(image), content.toString()).map((i) => vscode.Uri.parse(i.uri));
}

class StyleGrid {
  readonly finished: Promise<GridResult>;
  private readonly panel: vscode.WebviewPanel;
  private readonly tiles: Tile[];
  private readonly id = randomUUID();
  private ready = false;
  private closed = false;
  private saving = false;
  private status = '';

  constructor(
    private readonly content: vscode.Uri,
    styles: readonly vscode.Uri[],
    private readonly settings: JobSettings,
    extensionUri: vscode.Uri,
    private readonly jobs: JobService,
    private readonly log: vscode.LogOutputChannel,
    private readonly onClosed: () => void,
  ) {
    this.tiles = styles.map((uri) => {
      const painting = jobs.gallery.styleAt(uri);
      const style = jobs.gallery.resource(uri);
      return painting
        ? { style, label: painting.title, detail: `${painting.artist}, ${painting.year}`, gallery: true }
        : { style, label: style.name, detail: path.posix.dirname(vscode.workspace.asRelativePath(uri, false)), gallery: false };
    });
    const folderOf = (u: vscode.Uri) => u.with({ path: path.posix.dirname(u.path) });
    this.panel = vscode.window.createWebviewPanel(GRID_VIEW_TYPE, `Styles · ${this.contentName}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), jobs.gallery.folder,
        folderOf(content), ...styles.map(folderOf),
      ],
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    const webview = this.panel.webview;
    webview.html = pageHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'grid.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
      title: this.panel.title,
    });
    webview.onDidReceiveMessage((raw) => this.receive(raw));
    this.panel.onDidDispose(() => {
      this.closed = true;
      this.onClosed();
    });
    this.finished = this.render();
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    this.panel.dispose();
  }

  private get contentName(): string {
    return path.posix.basename(this.content.path);
  }

  /** Every tile, small, one after the other; each is shown as soon as it is made. */
  private async render(): Promise<GridResult> {
    const t0 = performance.now();
    let first: number | undefined;
    const options: StyleOptions = { ...this.settings.options, maxSize: TILE_SIZE };
    try {
      await renderTiles(this.jobs.worker, {
        id: `grid-${this.id}`,
        content: await this.read(resourceOf(this.content)),
        styles: this.tiles.map((t) => () => this.read(t.style)),
        options,
        format: 'png',
        stopped: () => this.closed,
        onTile: (index, tile) => {
          first ??= performance.now() - t0;
          const t = this.tiles[index];
          if ('result' in tile) t.png = new Uint8Array(tile.result.bytes);
          else t.error = tile.error;
          this.post(t.png ? { type: 'tile', index, png: t.png } : { type: 'tileFailed', index, message: t.error! });
        },
      });
    } catch (e) {
      // The content could not be read: every tile says so.
      for (const [index, t] of this.tiles.entries()) {
        t.error = errorMessage(e);
        this.post({ type: 'tileFailed', index, message: t.error });
      }
    }
    const rendered = this.tiles.filter((t) => t.png).length;
    this.log.info(`styles of ${this.contentName}: ${rendered} of ${this.tiles.length} tiles, the first after ${((first ?? 0) / 1000).toFixed(2)} s, ` +
      `all after ${((performance.now() - t0) / 1000).toFixed(2)} s${this.closed ? ' (closed before the end)' : ''}`);
    return { labels: this.tiles.map((t) => t.label), rendered, failed: this.tiles.filter((t) => t.error).map((t) => `${t.label}: ${t.error}`) };
  }

  private read(r: Resource): Promise<NamedBytes> {
    return readImage(r, this.jobs.gallery);
  }

  private readonly receive = checked(fromGrid, 'message from the style grid', (m) => this.handle(m), (problem) => this.log.warn(problem));

  private handle(m: FromGrid): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendAll();
        break;
      case 'open':
        this.stylize([m.index]);
        break;
      case 'stylize':
        this.stylize(m.indices);
        break;
      case 'saveAll':
        void this.saveAll();
        break;
    }
  }

  /** The grid and every tile made so far: the page asks when it loads, and again when it is shown after hiding. */
  private sendAll(): void {
    const webview = this.panel.webview;
    this.post({
      type: 'grid',
      content: { name: this.contentName, src: webview.asWebviewUri(this.content).toString() },
      styles: this.tiles.map((t) => ({ label: t.label, detail: t.detail, gallery: t.gallery, styleSrc: webview.asWebviewUri(vscode.Uri.parse(t.style.uri)).toString() })),
      tileSize: TILE_SIZE,
    });
    for (const [index, t] of this.tiles.entries()) {
      if (t.png) this.post({ type: 'tile', index, png: t.png });
      else if (t.error) this.post({ type: 'tileFailed', index, message: t.error });
    }
    this.post({ type: 'status', message: this.status });
  }

  /** A fast job at full size for each tile, in the job panel (the fast studio). */
  private stylize(indices: readonly number[]): void {
    for (const i of indices) {
      const tile = this.tiles[i];
      if (tile) this.jobs.start([this.content], [vscode.Uri.parse(tile.style.uri)], 'fast');
    }
  }

  /** Every tile's picture at the size the settings ask for, written beside the content under the usual names. */
  private async saveAll(): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    const written: vscode.Uri[] = [];
    const failed: string[] = [];
    const total = this.tiles.length;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Neural Style: saving ${this.contentName} in ${total} styles`, cancellable: true },
        async (progress, token) => {
          await renderTiles(this.jobs.worker, {
            id: `grid-${this.id}/save-${randomUUID()}`,
            content: await this.read(resourceOf(this.content)),
            styles: this.tiles.map((t) => () => this.read(t.style)),
            options: this.settings.options,
            format: this.settings.output.format,
            stopped: () => token.isCancellationRequested,
            onTile: async (index, tile) => {
              const t = this.tiles[index];
              try {
                if ('error' in tile) throw new Error(tile.error);
                written.push(await writeResult(this.content, [t.style.name], this.settings.output, tile.result.animation?.format ?? this.settings.output.format, tile.result.bytes));
              } catch (e) {
                failed.push(`${t.label}: ${errorMessage(e)}`);
              }
              progress.report({ increment: 100 / total, message: `${index + 1} of ${total}` });
              this.setStatus(`Saving: ${index + 1} of ${total}…`);
            },
          });
        },
      );
    } catch (e) {
      failed.push(errorMessage(e));
    } finally {
      this.saving = false;
    }
    const folder = written[0] && path.posix.basename(path.posix.dirname(written[0].path));
    this.setStatus(`Saved ${written.length} of ${total} pictures${folder ? ` in ${folder}` : ''}${failed.length ? `; ${failed.length} failed` : ''}.`);
    this.log.info(`styles of ${this.contentName}: saved ${written.length} of ${total}${failed.map((f) => `\n  ${f}`).join('')}`);
    if (failed.length > 0) void vscode.window.showErrorMessage(`Neural Style could not save ${failed.length} of the pictures: ${failed[0]}`);
    else if (written.length > 0) {
      void vscode.window.showInformationMessage(`Neural Style saved ${written.length} pictures of ${this.contentName}.`, 'Reveal in Explorer').then((choice) => {
        if (choice) void vscode.commands.executeCommand('revealInExplorer', written[0]);
      });
    }
  }

  private setStatus(message: string): void {
    this.status = message;
    this.post({ type: 'status', message });
  }

  private post(m: ToGrid): void {
    if (this.ready && !this.closed) void this.panel.webview.postMessage(m);
  }
}
