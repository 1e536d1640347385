import { randomUUID } from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../engine/errors';
import type { StyleOptions } from '../engine/options';
import { webviewState, type EditableOptions, type JobEnd, type JobRecord, type JobStatus, type Resource } from '../protocol/messages';
import { parse } from '../protocol/schema';
import { Job } from './job';
import { JobQueue } from './job-queue';
import { BUSY_CONTEXT } from './manifest';
import { outputFileName, outputFolder } from './output-name';
import { TargetExistsError, writeOutput, type OutputFs } from './output-write';
import { JobPanel, type PanelActions } from './panel';
import { OWN_SETTING_DEFS, SECTION, combinationProblems, readJobSettings, readRunSettings, type RunSettings } from './settings';
import type { WeightsProvider } from './weights';
import { WorkerDiedError, WorkerClient } from './worker-client';

export type StartResult =
  | { readonly jobIds: string[]; readonly refused?: undefined }
  | { readonly jobIds?: undefined; readonly refused: string[] };

/** A worker left without work is closed after this long; the next job starts a fresh one (and reloads weights). */
const WORKER_IDLE_MS = 60_000;
/** A cancelled job stops between two steps; one step of a very large image can take this long. */
const CANCEL_GRACE_MS = 20_000;
const PROGRESS_REPORT_MS = 500;

export function resourceOf(uri: vscode.Uri): Resource {
  return { name: path.posix.basename(uri.path), uri: uri.toString() };
}

/**
 * The jobs of this window: starts them with the settings of the moment, runs them one at a time in the worker
 * process, writes their results, and keeps a panel per job.
 */
export class JobService implements vscode.Disposable {
  readonly queue: JobQueue<Job>;
  private readonly jobs = new Map<string, Job>();
  private readonly panels = new Map<string, JobPanel>();
  private readonly waiters = new Map<string, ((r: JobRecord) => void)[]>();
  private readonly worker: WorkerClient;
  private readonly actions: PanelActions;
  private restrictedNoticeShown = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly weights: WeightsProvider,
  ) {
    this.worker = new WorkerClient({
      script: context.asAbsolutePath(path.join('dist', 'worker.js')),
      idleMs: WORKER_IDLE_MS,
      cancelGraceMs: CANCEL_GRACE_MS,
      log: (line) => log.info(`[worker] ${line}`),
    });
    this.queue = new JobQueue(
      (job, signal) => this.execute(job, signal),
      (e) => log.error(`a job ended with an unexpected error: ${(e as Error)?.stack ?? e}`),
    );
    this.queue.onDidChange(() => {
      void vscode.commands.executeCommand('setContext', BUSY_CONTEXT, this.queue.running !== undefined || this.queue.queued.length > 0);
      for (const job of this.queue.queued) this.panels.get(job.id)?.refresh();
    });
    this.actions = {
      cancel: (job) => this.cancel(job.id),
      save: (job) => void this.save(job),
      open: (job) => job.result && void vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(job.result.uri)),
      reveal: (job) => job.result && void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(job.result.uri)),
      runAgain: (job, options) => this.runAgain(job, options),
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
   * One job per content image, all with the same style images, each with the settings of its folder as they
   * are now. A bad setting starts none of them and says which key is wrong and what it must be.
   */
  start(contents: readonly vscode.Uri[], styles: readonly vscode.Uri[]): StartResult {
    const jobs: Job[] = [];
    for (const content of contents) {
      const reading = readJobSettings(vscode.workspace.getConfiguration(SECTION, content), styles.length);
      if (reading.problems) return this.refuse(reading.problems);
      jobs.push(new Job(randomUUID(), resourceOf(content), styles.map(resourceOf), reading.value.options, reading.value));
    }
    for (const job of jobs) this.enqueue(job);
    return { jobIds: jobs.map((j) => j.id) };
  }

  /** The same images and options with some changed in the panel; the output settings are read anew. */
  runAgain(previous: Job, changes: EditableOptions): StartResult {
    const content = vscode.Uri.parse(previous.content.uri);
    const run = readRunSettings(vscode.workspace.getConfiguration(SECTION, content));
    if (run.problems) return this.refuse(run.problems);
    const options: StyleOptions = { ...previous.options, ...changes };
    const problems = combinationProblems(options, previous.styles.length);
    if (problems.length > 0) return this.refuse(problems);
    const job = new Job(randomUUID(), previous.content, previous.styles, options, run.value);
    this.enqueue(job);
    return { jobIds: [job.id] };
  }

  cancel(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    switch (this.queue.cancel(jobId)) {
      case 'removed':
        this.end(job, 'cancelled', 'Cancelled before it started.');
        break;
      case 'stopping':
        job.setStatus(job.status, 'Stopping after the current step…');
        break;
    }
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

  /** A panel VS Code brings back after a window reload, with the state its page saved. */
  restorePanel(panel: vscode.WebviewPanel, state: unknown): void {
    let record: JobRecord;
    try {
      record = parse(webviewState, state, 'saved panel state').record;
    } catch (e) {
      this.log.warn(`a panel from before the reload could not be restored: ${errorMessage(e)}`);
      panel.dispose();
      return;
    }
    const job = Job.restore(record);
    this.jobs.set(job.id, job);
    this.panels.set(job.id, JobPanel.adopt(panel, job, this.context.extensionUri, this.actions));
  }

  job(jobId: string): Job | undefined {
    return this.jobs.get(jobId);
  }

  /** Resolves with the job's record once it has ended. */
  finished(jobId: string): Promise<JobRecord> {
    const job = this.jobs.get(jobId);
    if (!job) return Promise.reject(new Error(`no job ${jobId}`));
    if (job.ended) return Promise.resolve(job.record());
    return new Promise((resolve) => this.waiters.set(jobId, [...(this.waiters.get(jobId) ?? []), resolve]));
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
    if (!vscode.workspace.isTrusted && !this.restrictedNoticeShown) {
      this.restrictedNoticeShown = true;
      const restricted = Object.entries(OWN_SETTING_DEFS).filter(([, d]) => 'restricted' in d).map(([k]) => `${SECTION}.${k}`);
      void vscode.window
        .showInformationMessage(
          `Restricted Mode: Neural Style ignores this workspace's ${restricted.join(' and ')} and uses your user ` +
            'settings for them, so results are written beside the images under the default names.',
          'Manage Workspace Trust',
        )
        .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    }
  }

  private async execute(job: Job, signal: AbortSignal): Promise<void> {
    // Only jobs started in this window are queued, and those have their run settings.
    const run = job.run as RunSettings;
    job.setStatus('preparing', 'Getting the weights ready…');
    const weights = await this.weights.ensure(run.weightsPath, signal);
    if ('problem' in weights) return this.end(job, signal.aborted ? 'cancelled' : 'failed', weights.problem);
    job.setStatus('preparing', 'Reading the images…');
    let images: { name: string; bytes: Uint8Array }[];
    try {
      images = await Promise.all([job.content, ...job.styles].map((r) => readImage(r)));
    } catch (e) {
      return this.end(job, 'failed', errorMessage(e));
    }
    if (signal.aborted) return this.end(job, 'cancelled', 'Cancelled before it started.');
    job.setStatus('preparing', 'Loading the engine…');
    const onAbort = () => this.worker.cancel(job.id);
    signal.addEventListener('abort', onAbort);
    let end: JobEnd;
    try {
      const [content, ...styles] = images;
      const running = this.worker.run(
        {
          type: 'run', jobId: job.id, content, styles, options: job.options, weightsPath: weights.path,
          format: run.output.format, previewSize: 384,
        },
        (m) => job.apply(m),
      );
      end = await this.notifyProgress(job, running);
    } catch (e) {
      if (!(e instanceof WorkerDiedError)) throw e;
      if (signal.aborted) return this.end(job, 'cancelled', `Cancelled; ${e.message}.`);
      const tail = e.lastLines.slice(-8).join('\n');
      this.end(job, 'failed', `${e.message}. Its last lines:\n${tail}`);
      void vscode.window
        .showErrorMessage(`Neural Style: ${job.title} failed: ${e.message}. Last lines: ${e.lastLines.slice(-3).join(' ⏎ ')}`, 'Show Log')
        .then((choice) => choice && this.log.show());
      return;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (end.type === 'failed') {
      this.end(job, 'failed', end.message);
      const actions = end.userError ? [] : ['Show Log'];
      void vscode.window.showErrorMessage(`Neural Style: ${end.message}`, ...actions).then((choice) => choice && this.log.show());
      return;
    }
    job.ranTo(end);
    if (end.outcome === 'done') {
      job.keepUnsaved(end.bytes);
      await this.save(job);
      return this.end(job, 'done', job.unsaved ? job.message : undefined);
    }
    const total = job.progress?.totalSteps;
    const message = end.outcome === 'cancelled'
      ? `Cancelled at step ${end.steps}${total ? ` of ${total}` : ''}.`
      : (end.message ?? 'The loss diverged.');
    if (end.steps === 0) return this.end(job, end.outcome, message);
    // The best image so far is the user's to keep or not: offered, never written unasked.
    job.keepUnsaved(end.bytes);
    this.end(job, end.outcome, `${message} The best image so far is not saved.`);
    void vscode.window.showInformationMessage(`Neural Style: ${job.title}: ${message}`, 'Save Best Image').then((choice) => {
      if (choice) void this.save(job);
    });
  }

  /** Writes a job's unsaved image beside its content (or where the settings say) and offers to open it. */
  private async save(job: Job): Promise<void> {
    const bytes = job.unsaved;
    if (!bytes || !job.run) return;
    const content = vscode.Uri.parse(job.content.uri);
    const { format, namePattern, folder } = job.run.output;
    const desired = path.posix.join(
      outputFolder(content.path, folder),
      outputFileName(namePattern, job.content.name, job.styles.map((s) => s.name), format),
    );
    try {
      const written = content.with({ path: await writeOutput(workspaceFs(content), desired, bytes) });
      job.result = resourceOf(written);
      job.unsaved = undefined;
      this.log.info(`${job.title}: saved ${written.toString(true)}`);
      job.setStatus(job.status, job.status === 'done' ? undefined : `Saved as ${job.result.name}.`);
      const shown = vscode.workspace.asRelativePath(written);
      void vscode.window.showInformationMessage(`Neural Style saved ${shown}`, 'Open', 'Reveal in Explorer').then((choice) => {
        if (choice === 'Open') this.actions.open(job);
        if (choice === 'Reveal in Explorer') this.actions.reveal(job);
      });
    } catch (e) {
      const message = `Could not write ${desired}: ${errorMessage(e)}`;
      this.log.error(message);
      job.setStatus(job.status, message);
      void vscode.window.showErrorMessage(`Neural Style: ${message}`);
    }
  }

  private end(job: Job, status: JobStatus, message?: string): void {
    job.setStatus(status, message);
    this.log.info(`${job.title}: ${status}${message ? ` (${message})` : ''}`);
    const record = job.record();
    for (const resolve of this.waiters.get(job.id) ?? []) resolve(record);
    this.waiters.delete(job.id);
  }

  /** The running job in a progress notification too, whose Cancel button cancels it. */
  private notifyProgress<T>(job: Job, work: Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Stylizing ${job.title}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => this.cancel(job.id));
          let shownPercent = 0;
          let shownAt = 0;
          const subscription = job.onEvent((e) => {
            if (e.kind !== 'progress' || Date.now() - shownAt < PROGRESS_REPORT_MS) return;
            shownAt = Date.now();
            const percent = (100 * e.progress.step) / e.progress.totalSteps;
            progress.report({ increment: percent - shownPercent, message: `step ${e.progress.step} of ${e.progress.totalSteps}` });
            shownPercent = percent;
          });
          try {
            return await work;
          } finally {
            subscription.dispose();
          }
        },
      ),
    );
  }

  private async panelClosed(job: Job): Promise<void> {
    this.panels.delete(job.id);
    if (!job.ended) {
      // A panel cannot refuse to close; the job goes on unless the user says otherwise.
      const choice = await vscode.window.showWarningMessage(
        `${job.title} is still ${job.status === 'queued' ? 'waiting to run' : 'running'}. Cancel it?`, 'Cancel Job', 'Keep Running',
      );
      if (choice === 'Cancel Job') this.cancel(job.id);
    } else if (job.unsaved) {
      const choice = await vscode.window.showWarningMessage(`The best image of ${job.title} is not saved. Save it?`, 'Save', 'Discard');
      if (choice === 'Save') await this.save(job);
      else if (choice === 'Discard') job.unsaved = undefined;
    }
  }
}

async function readImage(r: Resource): Promise<{ name: string; bytes: Uint8Array }> {
  try {
    return { name: r.name, bytes: await vscode.workspace.fs.readFile(vscode.Uri.parse(r.uri)) };
  } catch (e) {
    throw new Error(`cannot read ${vscode.Uri.parse(r.uri).toString(true)}: ${errorMessage(e)}`);
  }
}

/** OutputFs on the file system of `base`'s scheme: local, remote or virtual alike. */
function workspaceFs(base: vscode.Uri): OutputFs {
  const fs = vscode.workspace.fs;
  const at = (p: string) => base.with({ path: p });
  return {
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
    rename: (from, to) =>
      Promise.resolve(fs.rename(at(from), at(to), { overwrite: false })).catch((e) => {
        throw e instanceof vscode.FileSystemError && e.code === 'FileExists' ? new TargetExistsError(to) : e;
      }),
    delete: async (p) => fs.delete(at(p)),
  };
}
