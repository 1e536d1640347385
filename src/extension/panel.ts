import { randomBytes } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { fromWebview, type EditableOptions, type FromWebview, type JobView, type LossPoint, type ToWebview } from '../protocol/messages';
import { checked } from '../protocol/fields';
import type { AnyJob, JobEvent } from './job';
import { PANEL_VIEW_TYPE } from './manifest';
import { outputFolder } from '../output/name';
import { pageHtml } from './panel-html';

/** What the buttons of a panel do; the job service provides them. */
export interface PanelActions {
  cancel(job: AnyJob): void;
  save(job: AnyJob): void;
  open(job: AnyJob): void;
  reveal(job: AnyJob): void;
  runAgain(job: AnyJob, options: EditableOptions): void;
  /** The panel's controls of a fast picture moved, or its second style is to be picked or removed. */
  studio(job: AnyJob, m: StudioMessage): void;
  /** The job's content in every style (the style grid). */
  tryAllStyles(job: AnyJob): void;
  /** Jobs ahead of this one in the queue. */
  ahead(job: AnyJob): number | undefined;
  closed(job: AnyJob): void;
  log(message: string): void;
}

export type StudioMessage = Extract<FromWebview, { type: 'controls' | 'mask' | 'pickStyle' | 'removeStyle' }>;

/** Live updates go to the panel at most this often; the loss points in between travel together. */
const TICK_MS = 100;

/**
 * A webview editor panel that shows one job. The page (webview/) is rebuilt whenever the panel is shown again,
 * and after a window reload, so it asks for the whole state with `ready` and the panel answers with a `job`
 * message; live progress follows as `tick` and `preview` messages.
 */
export class JobPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private points: LossPoint[] = [];
  private tickTimer?: NodeJS.Timeout;
  private lastTick?: Extract<JobEvent, { kind: 'progress' }>;
  /** The folders the page may show files from, as last set (see rootsOf). */
  private roots: string;

  static create(job: AnyJob, extensionUri: vscode.Uri, actions: PanelActions): JobPanel {
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE, job.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(job, extensionUri),
    );
    return new JobPanel(panel, job, extensionUri, actions);
  }

  /** A panel VS Code restored after a window reload, given the job its state described. */
  static adopt(panel: vscode.WebviewPanel, job: AnyJob, extensionUri: vscode.Uri, actions: PanelActions): JobPanel {
    panel.webview.options = webviewOptions(job, extensionUri);
    return new JobPanel(panel, job, extensionUri, actions);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly job: AnyJob,
    private readonly extensionUri: vscode.Uri,
    private readonly actions: PanelActions,
  ) {
    // Set by create or adopt.
    this.roots = rootsOf(webviewOptions(job, extensionUri));
    panel.title = job.title;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    const webview = panel.webview;
    webview.html = panelHtml(webview, extensionUri, job.title);
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.receive(raw)),
      job.onEvent((e) => this.onJob(e)),
      panel.onDidDispose(() => this.disposed()),
    );
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** Sends the whole state again (the job's place in the queue changed, say). */
  refresh(): void {
    // A fast job's panel may have saved it with another style: its title names them.
    this.panel.title = this.job.title;
    // It may have added a style, or saved, elsewhere: the page may show files from there.
    const options = webviewOptions(this.job, this.extensionUri);
    const roots = rootsOf(options);
    if (roots !== this.roots) {
      this.roots = roots;
      this.panel.webview.options = options;
    }
    void this.post({ type: 'job', job: this.view() });
  }

  dispose(): void {
    this.panel.dispose();
  }

  private readonly receive = checked(fromWebview, 'message from the panel', (m) => this.handle(m), (problem) => this.actions.log(problem));

  private handle(m: FromWebview): void {
    switch (m.type) {
      case 'ready':
        this.refresh();
        break;
      case 'cancel':
        this.actions.cancel(this.job);
        break;
      case 'save':
        this.actions.save(this.job);
        break;
      case 'open':
        this.actions.open(this.job);
        break;
      case 'reveal':
        this.actions.reveal(this.job);
        break;
      case 'runAgain':
        this.actions.runAgain(this.job, m.options);
        break;
      case 'controls':
      case 'mask':
      case 'pickStyle':
      case 'removeStyle':
        this.actions.studio(this.job, m);
        break;
      case 'tryAllStyles':
        this.actions.tryAllStyles(this.job);
        break;
    }
  }

  private onJob(e: JobEvent): void {
    switch (e.kind) {
      case 'status':
        this.flushTicks();
        this.refresh();
        break;
      case 'progress':
        this.points.push(e.point);
        this.lastTick = e;
        this.tickTimer ??= setTimeout(() => this.flushTicks(), TICK_MS);
        break;
      case 'previews':
        if (this.panel.visible) void this.post({ type: 'previews', previews: this.job.previews });
        break;
      case 'rendered': {
        const { seq, bytes, controls, final } = e.picture;
        void this.post({ type: 'rendered', seq, bytes, controls, final });
        break;
      }
    }
  }

  private flushTicks(): void {
    clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    const last = this.lastTick;
    const points = this.points;
    this.points = [];
    // A hidden panel has no page to draw on; it gets the whole state when it is shown again.
    if (last && points.length > 0 && this.panel.visible) {
      void this.post({ type: 'tick', progress: last.progress, pace: last.pace, points });
    }
  }

  private view(): JobView {
    const webview = this.panel.webview;
    const src = (uri: string) => webview.asWebviewUri(vscode.Uri.parse(uri)).toString();
    const job = this.job;
    return {
      record: job.record(),
      contentSrc: src(job.content.uri),
      styleSrcs: job.styles.map((s) => src(s.uri)),
      outputSrc: job.result && src(job.result.uri),
      previews: job.previews,
      pace: job.pace,
      ahead: job.status === 'queued' ? this.actions.ahead(job) : undefined,
      unsaved: job.unsaved,
      studio: job.studio && { ...job.studio.view(), styleSrcs: job.studio.styles.map((s) => src(s.uri)) },
    };
  }

  private post(m: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(m);
  }

  private disposed(): void {
    clearTimeout(this.tickTimer);
    for (const d of this.disposables) d.dispose();
    this.actions.closed(this.job);
  }
}

/** Scripts on, and files only from the extension's bundles and the folders of this job's images. */
function webviewOptions(job: AnyJob, extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  const folderOf = (uri: string) => {
    const u = vscode.Uri.parse(uri);
    return u.with({ path: path.posix.dirname(u.path) });
  };
  const files = [job.content, ...job.styles, ...(job.studio?.styles ?? []), ...(job.result ? [job.result] : [])];
  const folders = [...new Set(files.map((r) => folderOf(r.uri).toString()))].map((u) => vscode.Uri.parse(u));
  if (job.kind === 'live') {
    const content = vscode.Uri.parse(job.content.uri);
    folders.push(content.with({ path: outputFolder(content.path, job.settings.output.folder) }));
  }
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), ...folders],
  };
}

function rootsOf(options: vscode.WebviewOptions): string {
  return (options.localResourceRoots ?? []).map(String).join('\n');
}

function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  return pageHtml({
    cspSource: webview.cspSource,
    nonce,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    title,
  });
}
