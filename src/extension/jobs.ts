import { randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type { FastControlOptions, Method, StyleOptions } from '../common/options';
import { outputFileName } from '../output/name';
import { parse } from '../protocol/fields';
import { webviewState, type EditableOptions, type JobRecord, type Resource } from '../protocol/messages';
import { concludeJob } from './conclude-job';
import type { FolderJobDeps } from './folder-job';
import { FastStudio, RENDER_FAILED, type StudioDeps } from './fast-studio';
import { GalleryFiles } from './gallery-files';
import { Job, JobState, type AnyJob } from './job';
import { JobQueue } from './job-queue';
import { BUSY_CONTEXT, COMMANDS } from './manifest';
import { JobPanel, type PanelActions, type StudioMessage } from './panel';
import { RecentStyles } from './recent-styles';
import { RestrictedModeNotice } from './restricted-mode';
import { readImage, runJob } from './run-job';
import { openResult, resourceOf, revealResult, saveFastPicture, saveResult } from './save-result';
import { SECTION, combinationProblems, readJobSettings, readRunSettings, type OutputSettings } from './settings';
import { pickImages } from './style-picker';
import type { WeightsProvider } from './weights';
import { WorkerClient } from './worker-client';

export type StartResult =
  | { readonly jobIds: string[]; readonly refused?: undefined }
  | { readonly jobIds?: undefined; readonly refused: string[] };

/** A worker left without work is closed after this long; the next job starts a fresh one (and reloads weights). */
const WORKER_IDLE_MS = 60_000;
/** A cancelled job stops between two steps; one step of a very large image can take this long. */
const CANCEL_GRACE_MS = 20_000;

/**
 * The jobs of this window: starts them with the settings of the moment, runs them one at a time in the worker
 * process, and keeps a panel per job (also for jobs restored after a window reload, which do not run).
 */
export class JobService implements vscode.Disposable {
  readonly queue: JobQueue<Job>;
  private readonly jobs = new Map<string, AnyJob>();
  private readonly panels = new Map<string, JobPanel>();
  readonly worker: WorkerClient;
  readonly gallery: GalleryFiles;
  private readonly actions: PanelActions;
  private readonly restricted = new RestrictedModeNotice();
  private readonly studioDeps: StudioDeps;
  /** The same list the style commands offer first (it lives in globalState). */
  private readonly recent: RecentStyles;
  /** What a folder's run (Stylize Folder with…) uses of the service: its worker, weights and gallery. */
  readonly folderDeps: Pick<FolderJobDeps, 'worker' | 'weights' | 'gallery'>;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    weights: WeightsProvider,
  ) {
    this.gallery = new GalleryFiles(context.extensionUri);
    this.worker = new WorkerClient({
      script: context.asAbsolutePath(path.join('dist', 'worker.js')),
      idleMs: WORKER_IDLE_MS,
      cancelGraceMs: CANCEL_GRACE_MS,
      log: (line) => log.info(`[worker] ${line}`),
    });
    this.studioDeps = { worker: this.worker, read: (r) => readImage(r, this.gallery) };
    this.recent = new RecentStyles(context.globalState);
    this.folderDeps = { worker: this.worker, weights, gallery: this.gallery };
    this.queue = new JobQueue(
      async (job, signal) => {
        const outcome = await runJob(job, { worker: this.worker, weights, gallery: this.gallery, cancel: () => this.cancel(job.id) }, signal);
        // A fast picture's panel renders it again as its controls move, from the session the run left in the worker.
        if (outcome.kind === 'result' && outcome.result.outcome === 'done' && job.options.method === 'fast') {
          job.studio = new FastStudio(job, this.studioDeps, outcome.result);
        }
        await concludeJob(job, outcome, log);
      },
      (e) => log.error(`a job ended with an unexpected error: ${(e as Error)?.stack ?? e}`),
    );
    this.queue.onDidChange(() => {
      void vscode.commands.executeCommand('setContext', BUSY_CONTEXT, this.queue.running !== undefined || this.queue.queued.length > 0);
      for (const job of this.queue.queued) this.panels.get(job.id)?.refresh();
    });
    this.actions = {
      cancel: (job) => this.cancel(job.id),
      save: (job) => void this.save(job),
      open: openResult,
      reveal: revealResult,
      runAgain: (job, options) => this.runAgain(job, options),
      studio: (job, m) => void this.studio(job, m),
      tryAllStyles: (job) => void vscode.commands.executeCommand(COMMANDS.tryAllStyles, vscode.Uri.parse(job.content.uri)),
      ahead: (job) => this.queue.ahead(job.id),
      closed: (job) => void this.panelClosed(job),
      log: (message) => log.warn(message),
    };
  }

  /** The worker's process id while one runs. */
  get workerPid(): number | undefined {
    return this.worker.pid;
  }

  /**
   * One job per content image, all with the same style images (files, or the gallery's paintings), each with the
   * settings of its folder as they are now. A bad setting starts none of them and says which key is wrong and what
   * it must be.
   */
  start(contents: readonly vscode.Uri[], styleUris: readonly vscode.Uri[], method?: Method): StartResult {
    const styles = styleUris.map((s) => this.gallery.resource(s));
    const jobs: Job[] = [];
    const ignored: string[] = [];
    for (const content of contents) {
      const config = vscode.workspace.getConfiguration(SECTION, content);
      const reading = readJobSettings(config, styles.length, vscode.workspace.isTrusted, method);
      if (reading.problems) return this.refuse(reading.problems);
      const naming = outputNameProblem(reading.value.output, content, styles);
      if (naming) return this.refuse([naming]);
      ignored.push(...reading.ignored);
      const job = new Job(randomUUID(), resourceOf(content), styles, reading.value.options, reading.value);
      if (reading.unused.length > 0) job.note = job.message = `The ${job.options.method} method does not use your ${reading.unused.join(', ')}.`;
      jobs.push(job);
    }
    this.restricted.notice(ignored);
    for (const job of jobs) this.enqueue(job);
    return { jobIds: jobs.map((j) => j.id) };
  }

  /**
   * The same images and options with some changed in the panel (or the method), a fast picture's as its controls
   * show it; the output settings are read anew.
   */
  runAgain(previous: AnyJob, changes: EditableOptions): StartResult {
    const content = vscode.Uri.parse(previous.content.uri);
    const run = readRunSettings(vscode.workspace.getConfiguration(SECTION, content), vscode.workspace.isTrusted);
    if (run.problems) return this.refuse(run.problems);
    const styles = previous.studio?.styles ?? previous.styles;
    const options: StyleOptions = { ...(previous.studio?.options ?? previous.options), ...changes };
    const problems = combinationProblems(options, styles.length);
    if (problems.length > 0) return this.refuse(problems);
    this.restricted.notice(run.ignored);
    const job = new Job(randomUUID(), previous.content, styles, options, run.value);
    this.enqueue(job);
    return { jobIds: [job.id] };
  }

  cancel(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    switch (this.queue.cancel(jobId)) {
      case 'removed':
        job.setStatus('cancelled', 'Cancelled before it started.');
        break;
      case 'stopping':
        job.setStatus(job.status, 'Stopping after the current step…');
        break;
    }
  }

  /** A fast job is likely soon (its style is being picked): the worker gets ready for it meanwhile. */
  prepareFast(): void {
    this.worker.prepareFast();
  }

  /** Jobs queued or running, the running one first. */
  active(): Job[] {
    return [...(this.queue.running ? [this.queue.running] : []), ...this.queue.queued];
  }

  /** Reveals the panel of a job (the running one unless told), opening it again if it was closed. */
  showPanel(jobId?: string): void {
    const job = (jobId && this.jobs.get(jobId)) || this.queue.running || this.queue.queued[0] || [...this.jobs.values()].pop();
    if (!job) {
      void vscode.window.showInformationMessage('Neural Style has no jobs in this window yet.');
      return;
    }
    const panel = this.panels.get(job.id);
    if (panel) panel.reveal();
    else this.panels.set(job.id, JobPanel.create(job, this.context.extensionUri, this.actions));
  }

  /** A panel VS Code brings back after a window reload, with the state its page saved; the job's id, if it could be. */
  restorePanel(panel: vscode.WebviewPanel, state: unknown): string | undefined {
    let record: JobRecord;
    try {
      record = parse(webviewState, state, 'saved panel state').record;
      checkPlaces(record);
    } catch (e) {
      this.log.warn(`a panel from before the reload could not be restored: ${errorMessage(e)}`);
      panel.dispose();
      return undefined;
    }
    const job = JobState.restore(record);
    // A fast picture's controls come back with it: its session is opened again from its files on the first render.
    if (job.options.method === 'fast' && job.status === 'done' && job.report && job.result) {
      job.studio = new FastStudio(job, this.studioDeps, job.report, job.mask);
    }
    this.jobs.set(job.id, job);
    this.panels.get(job.id)?.dispose();
    this.panels.set(job.id, JobPanel.adopt(panel, job, this.context.extensionUri, this.actions));
    return job.id;
  }

  /** A fast job's controls moved as when its panel lets one go; resolves with the picture rendered. */
  moveControls(jobId: string, controls: Partial<FastControlOptions>): Promise<Uint8Array> {
    const job = this.jobs.get(jobId);
    const studio = job?.studio;
    if (!job || !studio) return Promise.reject(new Error(`no fast picture of job ${jobId} to render`));
    return new Promise((resolve, reject) => {
      const subscription = job.onEvent((e) => {
        if (e.kind === 'rendered' && e.picture.final) resolve(e.picture.bytes);
        else if (e.kind === 'status' && job.message?.startsWith(RENDER_FAILED)) reject(new Error(job.message));
        else return;
        subscription.dispose();
      });
      studio.change(0, controls, true);
    });
  }

  job(jobId: string): AnyJob | undefined {
    return this.jobs.get(jobId);
  }

  /** Resolves with the job's record once it has ended. */
  finished(jobId: string): Promise<JobRecord> {
    const job = this.jobs.get(jobId);
    if (!job) return Promise.reject(new Error(`no job ${jobId}`));
    if (job.ended) return Promise.resolve(job.record());
    return new Promise((resolve) => {
      const subscription = job.onEvent((e) => {
        if (e.kind !== 'status' || !job.ended) return;
        subscription.dispose();
        resolve(job.record());
      });
    });
  }

  dispose(): void {
    this.queue.dispose();
    void this.worker.dispose();
  }

  /** Stops the running job and the worker; resolves once the worker process has exited. */
  async shutdown(): Promise<void> {
    this.queue.dispose();
    await this.worker.dispose();
  }

  private refuse(problems: string[]): StartResult {
    for (const p of problems) this.log.warn(`not started: ${p}`);
    const key = /^(neuralStyle\.[\w.]+)/.exec(problems[0])?.[1] ?? SECTION;
    void vscode.window.showErrorMessage(`Neural Style did not start: ${problems.join('; ')}.`, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', key);
    });
    return { refused: problems };
  }

  private enqueue(job: Job): void {
    this.jobs.set(job.id, job);
    this.panels.get(job.id)?.dispose();
    this.panels.set(job.id, JobPanel.create(job, this.context.extensionUri, this.actions));
    this.queue.add(job);
  }

  private async panelClosed(job: AnyJob): Promise<void> {
    this.panels.delete(job.id);
    if (!job.ended) {
      // A panel cannot refuse to close; the job goes on unless the user says otherwise.
      const choice = await vscode.window.showWarningMessage(
        `${job.title} is still ${job.status === 'queued' ? 'waiting to run' : 'running'}. Cancel it?`, 'Cancel Job', 'Keep Running',
      );
      if (choice === 'Cancel Job') this.cancel(job.id);
    } else if (job.unsaved) {
      const what = job.studio ? 'The picture' : 'The best image';
      const choice = await vscode.window.showWarningMessage(`${what} of ${job.title} is not saved. Save it?`, 'Save', 'Discard');
      if (choice === 'Save') await this.save(job);
      else if (choice === 'Discard') job.unsaved = undefined;
    }
    job.studio?.close();
  }

  /** The panel's Save: a fast picture as its controls show it, or the best image of a run that stopped early. */
  private async save(job: AnyJob): Promise<void> {
    if (job.studio) {
      const output = this.outputSettings(job);
      if (output) await saveFastPicture(job, job.studio, output, this.log);
    } else if (job.kind === 'live') {
      await saveResult(job, this.log);
    }
  }

  /** Where a job's pictures go: as its settings said when it started, or, restored after a reload, as they say now. */
  private outputSettings(job: AnyJob): OutputSettings | undefined {
    if (job.kind === 'live') return job.settings.output;
    const run = readRunSettings(vscode.workspace.getConfiguration(SECTION, vscode.Uri.parse(job.content.uri)), vscode.workspace.isTrusted);
    if (run.problems) {
      this.refuse(run.problems);
      return undefined;
    }
    this.restricted.notice(run.ignored);
    return run.value.output;
  }

  /** A fast picture's controls moved in its panel, or a second style is to be picked or removed. */
  private async studio(job: AnyJob, m: StudioMessage): Promise<void> {
    const studio = job.studio;
    if (!studio) return;
    switch (m.type) {
      case 'controls':
        studio.change(m.seq, m.controls, m.final);
        break;
      case 'mask':
        studio.paint(m.seq, m.mask, m.final);
        break;
      case 'pickStyle': {
        const [first] = studio.styles;
        const picked = await pickImages({
          title: `A second style for ${job.content.name}`,
          placeholder: 'Choose the second style image (type to filter)',
          many: false,
          recent: this.recent.list(),
          exclude: [vscode.Uri.parse(job.content.uri), vscode.Uri.parse(first.uri)],
          gallery: this.gallery,
        });
        if (!picked?.[0]) return;
        if (!this.gallery.styleAt(picked[0])) void this.recent.remember([picked[0].toString()]);
        studio.setStyles([first, this.gallery.resource(picked[0])]);
        this.panels.get(job.id)?.refresh();
        break;
      }
      case 'removeStyle':
        studio.setStyles(studio.styles.slice(0, 1));
        this.panels.get(job.id)?.refresh();
        break;
    }
  }
}

/** Why the result of `content` could not be named as the settings say (before minutes of work, not after). */
function outputNameProblem(output: OutputSettings, content: vscode.Uri, styles: readonly Resource[]): string | undefined {
  try {
    outputFileName(output.namePattern, content.path, styles.map((s) => s.name), output.format);
    return undefined;
  } catch (e) {
    return `${SECTION}.output.namePattern: ${errorMessage(e)}`;
  }
}

/**
 * A saved panel state names images the restored panel may show (its local resource roots): only the schemes and
 * places a job of this window can have, local files or the workspace's own file systems, are accepted.
 */
function checkPlaces(record: JobRecord): void {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const allowed = (u: vscode.Uri) => u.scheme === 'file' || folders.some((f) => f.uri.scheme === u.scheme && f.uri.authority === u.authority);
  for (const r of [record.content, ...record.styles, ...(record.output ? [record.output] : []), ...(record.mask ? [record.mask] : [])]) {
    const uri = vscode.Uri.parse(r.uri);
    if (!allowed(uri)) throw new Error(`it names ${uri.scheme}: ${r.name}, which no job of this window can use`);
  }
}
