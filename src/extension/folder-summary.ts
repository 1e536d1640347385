import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { FolderMiss } from '../pipeline/folder-batch';
import { checked } from '../protocol/fields';
import { fromFolderSummary, type FromFolderSummary, type ToFolderSummary } from '../protocol/messages';
import { FOLDER_VIEW_TYPE } from './manifest';
import { pageHtml } from './panel-html';

/** What a folder's run made, as its summary shows it. */
export interface FolderSummaryData {
  readonly folder: string;
  readonly results: { readonly name: string; readonly uri: vscode.Uri };
  readonly method: string;
  /** Each result's path inside the folder of results, and its file. */
  readonly written: ReadonlyArray<{ readonly name: string; readonly uri: vscode.Uri }>;
  readonly skipped: readonly FolderMiss[];
  readonly failed: readonly FolderMiss[];
  readonly notStarted: number;
  readonly stopped: string;
}

/**
 * The summary of a folder's run (Stylize Folder with…): the results as a grid of thumbnails (the files themselves,
 * loaded by the page as they scroll into view), a click opening one, and what was skipped or failed with the reason.
 * It uses the style grid's page shell and styles; it is not restored after a window reload.
 */
export class FolderSummary {
  private ready = false;

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly data: FolderSummaryData, private readonly log: (m: string) => void) {}

  static show(extensionUri: vscode.Uri, data: FolderSummaryData, log: (m: string) => void = () => {}): FolderSummary {
    const title = `Stylized · ${data.folder}`;
    const panel = vscode.window.createWebviewPanel(FOLDER_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), data.results.uri],
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    const webview = panel.webview;
    webview.html = pageHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'folder.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
      title,
    });
    const summary = new FolderSummary(panel, data, log);
    webview.onDidReceiveMessage((raw) => summary.receive(raw));
    return summary;
  }

  private readonly receive = checked(fromFolderSummary, 'message from a folder\'s summary', (m) => this.handle(m), (problem) => this.log(problem));

  private handle(m: FromFolderSummary): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.post(this.message());
        break;
      case 'open': {
        const file = this.data.written[m.index];
        if (file) void vscode.commands.executeCommand('vscode.open', file.uri);
        break;
      }
      case 'reveal':
        void vscode.commands.executeCommand('revealInExplorer', this.data.results.uri);
        break;
    }
  }

  private message(): ToFolderSummary {
    const d = this.data;
    const webview = this.panel.webview;
    const miss = (m: FolderMiss) => ({ name: m.relative, reason: m.reason });
    return {
      type: 'summary',
      folder: d.folder,
      results: { name: d.results.name, folder: d.results.uri.toString() },
      method: d.method,
      written: d.written.map((w) => ({ name: w.name, src: webview.asWebviewUri(w.uri).toString() })),
      skipped: d.skipped.map(miss),
      failed: d.failed.map(miss),
      notStarted: d.notStarted,
      stopped: d.stopped,
    };
  }

  private post(m: ToFolderSummary): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }
}
