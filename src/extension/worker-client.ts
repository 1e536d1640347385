import { fork, type ChildProcess } from 'child_process';
import * as readline from 'readline';
import { errorMessage } from '../common/errors';
import {
  fromWorker, type FromWorker, type JobEnd, type JobUpdate, type OpenAnswer, type OpenSessionMessage, type RenderAnswer, type RenderMessage,
  type RunMessage, type ToWorker,
} from '../protocol/messages';
import { parse } from '../protocol/fields';

/**
 * The worker process went away in the middle of a job: crashed, ran out of memory, or was killed. The message says
 * how it ended and, when its last lines tell, why.
 */
export class WorkerDiedError extends Error {
  constructor(message: string, readonly lastLines: readonly string[]) {
    super(message);
    this.name = 'WorkerDiedError';
  }
}

/** What a dying Node process prints after its reason: stack frames, native frames, separators, the version. */
const AFTER_REASON = /^\s*$|^\s+at |^\s*\d+: 0x[0-9a-f]+ |^\s*-{3,}.*-{3,}\s*$|^<-{3}.*-{3}>$|^Node\.js v\d/;
const REASON = /error|exception|fatal|abort/i;

/** The line of a dead worker's last lines that says why it died ("FATAL ERROR: ... out of memory"), if one does. */
function reasonOf(lines: readonly string[]): string | undefined {
  const last = lines.filter((l) => !AFTER_REASON.test(l)).pop();
  return last !== undefined && REASON.test(last) ? last.trim() : undefined;
}

export interface WorkerClientOptions {
  /** The worker's bundle (dist/worker.js). */
  readonly script: string;
  /** The worker is closed after this long without a job; its engine cache goes with it. */
  readonly idleMs: number;
  /** After a cancel, the worker gets this long to stop between two steps before it is killed. */
  readonly cancelGraceMs: number;
  /** Every line the worker prints, for the extension's log. */
  readonly log: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

const KEPT_LINES = 20;

/** What the worker is working on for a job: a run, or a session's open or render. */
interface Request {
  readonly child: ChildProcess;
  /** The messages that answer it; the others it hears are updates. */
  readonly ends: ReadonlySet<FromWorker['type']>;
  readonly onMessage: (m: JobUpdate) => void;
  readonly resolve: (end: FromWorker) => void;
  readonly reject: (e: Error) => void;
  killTimer?: NodeJS.Timeout;
}

const RUN_ENDS = new Set<FromWorker['type']>(['result', 'failed']);
const OPEN_ENDS = new Set<FromWorker['type']>(['opened', 'failed']);
const RENDER_ENDS = new Set<FromWorker['type']>(['rendered', 'noSession', 'failed']);

/**
 * The extension's end of the worker process (see src/worker/main.ts): started when a job needs it, reused for the
 * next job (its loaded weights and backend with it), closed when idle. The queue runs one optimisation at a time;
 * fast renders (a second of work at most) may run beside it. A job has one request in flight at a time.
 */
export class WorkerClient {
  private child?: ChildProcess;
  private readonly lastLines: string[] = [];
  private readonly active = new Map<string, Request>();
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly options: WorkerClientOptions) {}

  /** The worker's process id while one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Runs a job; `onMessage` hears its progress. Resolves with its result or its failure as the worker reports
   * them; rejects with WorkerDiedError when the process ends before that.
   */
  run(message: RunMessage, onMessage: (m: JobUpdate) => void): Promise<JobEnd> {
    return this.request(message, RUN_ENDS, onMessage) as Promise<JobEnd>;
  }

  /** Opens a fast job's session (see FastSession); `onMessage` hears its notices. Rejects as `run` does. */
  openSession(message: OpenSessionMessage, onMessage: (m: JobUpdate) => void): Promise<OpenAnswer> {
    return this.request(message, OPEN_ENDS, onMessage) as Promise<OpenAnswer>;
  }

  /** A picture from a fast job's session; `noSession` when the worker holds none for it. Rejects as `run` does. */
  render(message: RenderMessage, onMessage: (m: JobUpdate) => void): Promise<RenderAnswer> {
    return this.request(message, RENDER_ENDS, onMessage) as Promise<RenderAnswer>;
  }

  /**
   * Starts the worker, if none runs, and has it load fast mode's nets: a fast job is likely soon. Unused, it is
   * closed when idle as after a job.
   */
  prepareFast(): void {
    const child = this.child ?? this.start();
    this.send(child, { type: 'prepareFast' });
    if (this.active.size === 0) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.close(), this.options.idleMs);
    }
  }

  /** Lets the worker free a fast job's session; nothing to do when no worker runs (it holds no sessions then). */
  closeSession(jobId: string): void {
    if (this.child?.connected) this.send(this.child, { type: 'closeSession', jobId });
  }

  private request(message: ToWorker & { readonly jobId: string }, ends: ReadonlySet<FromWorker['type']>, onMessage: (m: JobUpdate) => void): Promise<FromWorker> {
    const { jobId } = message;
    if (this.active.has(jobId)) return Promise.reject(new Error(`the worker is busy with job ${jobId} already`));
    clearTimeout(this.idleTimer);
    const child = this.child ?? this.start();
    return new Promise<FromWorker>((resolve, reject) => {
      this.active.set(jobId, { child, ends, onMessage, resolve, reject });
      this.send(child, message);
    }).finally(() => {
      clearTimeout(this.active.get(jobId)?.killTimer);
      this.active.delete(jobId);
      if (this.active.size === 0) this.idleTimer = setTimeout(() => this.close(), this.options.idleMs);
    });
  }

  /** Asks a running job to stop after its current step; kills the worker if it does not within the grace time. */
  cancel(jobId: string): void {
    const job = this.active.get(jobId);
    if (!job || job.child !== this.child) return;
    this.send(job.child, { type: 'cancel', jobId });
    job.killTimer ??= setTimeout(() => {
      this.options.log(`job ${jobId} did not stop within ${this.options.cancelGraceMs / 1000} s of being cancelled; killing the worker`);
      job.child.kill('SIGKILL');
    }, this.options.cancelGraceMs);
  }

  /** Stops the worker (a running job fails with WorkerDiedError); resolves once the process has exited. */
  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.kill();
    await exited;
  }

  private start(): ChildProcess {
    this.lastLines.length = 0;
    const child = fork(this.options.script, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Not the extension host's flags (inspector ports, heap limits); its environment, so NEURAL_STYLE_* apply.
      execArgv: [],
      env: this.options.env ?? process.env,
    });
    this.child = child;
    this.line(`worker started (pid ${child.pid})`);
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (l) => this.line(l));
    }
    child.on('message', (raw) => {
      let m: FromWorker;
      try {
        m = parse(fromWorker, raw, 'message from the worker');
      } catch (e) {
        this.line(errorMessage(e));
        child.kill('SIGKILL');
        return;
      }
      const active = this.active.get(m.jobId);
      if (active?.child !== child) return;
      if (active.ends.has(m.type)) active.resolve(m);
      else if (m.type === 'backend' || m.type === 'progress' || m.type === 'frame' || m.type === 'preview' || m.type === 'notice') active.onMessage(m);
      else this.line(`job ${m.jobId}: the worker answered ${m.type}, which nothing asked for`);
    });
    child.on('error', (e) => this.line(`worker process error: ${errorMessage(e)}`));
    // 'close' comes after the process has exited and its output has been read to the end, last lines included.
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    // Messages the worker sent before it ended have all been handled by then, so a result it sent still arrives.
    child.on('close', (code, signal) => {
      const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      const lastLines = [...this.lastLines];
      const reason = reasonOf(lastLines);
      this.line(`worker (pid ${child.pid}) ${how}`);
      for (const job of this.active.values()) {
        if (job.child === child) job.reject(new WorkerDiedError(`the worker process ${how}${reason ? `: ${reason}` : ''}`, lastLines));
      }
    });
    return child;
  }

  private send(child: ChildProcess, message: ToWorker): void {
    child.send(message);
  }

  private close(): void {
    if (this.active.size > 0 || !this.child) return;
    this.line('worker idle; closing it');
    // The worker exits when its IPC channel closes (see src/worker/main.ts).
    if (this.child.connected) this.child.disconnect();
  }

  private line(l: string): void {
    this.lastLines.push(l);
    if (this.lastLines.length > KEPT_LINES) this.lastLines.shift();
    this.options.log(l);
  }
}
