import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import { defaultOptions } from '../../../src/common/options';
import { WorkerClient, WorkerDiedError } from '../../../src/extension/worker-client';
import type { FromWorker, RunMessage } from '../../../src/protocol/messages';
import { DOG, KANDINSKY, REAL_WEIGHTS, requireShared } from '../../helpers/shared-data';

function repoFile(rel: string): string {
  let dir = __dirname;
  while (!require('fs').existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, rel);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** A few quick steps on the real block 1-3 weights (see docs/algorithm.md on the content weight). */
async function realJob(steps: number): Promise<RunMessage> {
  return {
    type: 'run', jobId: `job-${steps}`, weightsPath: REAL_WEIGHTS, format: 'png', previewSize: 64,
    content: { name: 'dog.jpg', bytes: await fs.readFile(DOG) },
    styles: [{ name: 'kandinsky.jpg', bytes: await fs.readFile(KANDINSKY) }],
    options: {
      ...defaultOptions(), styleLayers: ['block1_conv1', 'block2_conv1', 'block3_conv1'], contentLayers: ['block3_conv2'],
      contentWeight: 1e2, maxSize: 64, multiScale: false, steps, previewInterval: 0.5,
    },
  };
}

describe('worker process', () => {
  const clients: WorkerClient[] = [];
  let dir: string;
  const lines: string[] = [];

  function client(script = repoFile('dist/worker.js'), idleMs = 60_000): WorkerClient {
    const c = new WorkerClient({ script, idleMs, cancelGraceMs: 20_000, log: (l) => lines.push(l) });
    clients.push(c);
    return c;
  }

  /** A stand-in worker: `onRun` is the body of its handler for a run message `m`. */
  async function fakeWorker(onRun: string): Promise<string> {
    const file = path.join(dir, `fake-${clients.length}.js`);
    await fs.writeFile(file, `process.on('message', (m) => { ${onRun} });\nprocess.on('disconnect', () => process.exit(0));\n`);
    return file;
  }

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-worker-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    lines.length = 0;
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('runs a job with the real weights and reports progress, previews and a PNG', async function () {
    requireShared(this, REAL_WEIGHTS, DOG, KANDINSKY);
    const seen: FromWorker['type'][] = [];
    const end = await client().run(await realJob(8), (m) => seen.push(m.type));
    assert.equal(end.type, 'result', lines.join('\n'));
    if (end.type !== 'result') return;
    assert.equal(end.result.outcome, 'done');
    assert.deepEqual([...end.result.bytes.subarray(0, 4)], PNG_SIGNATURE);
    assert.equal(Math.max(end.result.width, end.result.height), 64);
    assert.equal(seen.filter((t) => t === 'progress').length, 8);
    assert.ok(seen.includes('preview') && seen.includes('backend'), seen.join());
  });

  it('a cancelled job stops between steps and hands back the best image so far', async function () {
    requireShared(this, REAL_WEIGHTS, DOG, KANDINSKY);
    const c = client();
    const job = await realJob(5000);
    const end = await c.run(job, (m) => {
      if (m.type === 'progress' && m.progress.step === 3) c.cancel(job.jobId);
    });
    assert.equal(end.type, 'result');
    if (end.type !== 'result') return;
    assert.equal(end.result.outcome, 'cancelled');
    assert.ok(end.result.steps >= 3 && end.result.steps < 50, `stopped after ${end.result.steps} steps`);
    assert.deepEqual([...end.result.bytes.subarray(0, 4)], PNG_SIGNATURE);
    assert.ok(c.pid, 'the worker stays for the next job');
  });

  it('a worker that dies is reported with its last lines, and the next job gets a fresh one', async () => {
    const c = client(await fakeWorker(`console.log('loading the weights'); console.error('FATAL: pretend out of memory'); process.exit(3);`));
    const job = { ...(await fakeRun()), jobId: 'a' };
    const pids: number[] = [];
    const died = (e: unknown) => {
      assert.ok(e instanceof WorkerDiedError, String(e));
      assert.match(e.message, /exited with code 3/);
      assert.ok(e.lastLines.includes('FATAL: pretend out of memory'), e.lastLines.join('\n'));
      return true;
    };
    const first = c.run(job, () => {});
    pids.push(c.pid!);
    await assert.rejects(first, died);
    const second = c.run({ ...job, jobId: 'b' }, () => {});
    pids.push(c.pid!);
    await assert.rejects(second, died);
    assert.notEqual(pids[0], pids[1]);
  });

  for (const end of ['exit', 'crash'] as const) {
    it(`a 50 MB result arrives when the worker ${end === 'exit' ? 'exits' : 'crashes'} right after sending it`, async () => {
      const c = client(repoFile('out/big-result-worker.js'));
      const result = await c.run({ ...(await fakeRun()), jobId: end }, () => {});
      assert.equal(result.type, 'result', lines.join('\n'));
      if (result.type !== 'result') return;
      assert.equal(result.result.bytes.length, 50 * 2 ** 20);
      assert.equal(result.result.bytes[50 * 2 ** 20 - 1], 7);
      if (end === 'crash') assert.ok(lines.some((l) => /stops on an error nothing caught: Error: crashed right after/.test(l)), lines.join('\n'));
    });
  }

  it('a worker that dies of an error says why, not where', async () => {
    const stack = ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', '----- Native stack trace -----', '',
      ' 1: 0xb8ced1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]', ' 2: 0xf06460 v8::Utils::ReportOOMFailure() [node]', '',
      'Node.js v20.20.2'];
    const c = client(await fakeWorker(`console.log('job x: backend onnx'); ${stack.map((l) => `console.error(${JSON.stringify(l)});`).join(' ')} process.exit(134);`));
    await assert.rejects(c.run(await fakeRun(), () => {}), (e) => {
      assert.ok(e instanceof WorkerDiedError, String(e));
      assert.equal(e.message, `the worker process exited with code 134: ${stack[0]}`);
      return true;
    });
    const killed = client(await fakeWorker(`console.log('job x: backend onnx'); process.kill(process.pid, 'SIGKILL');`));
    await assert.rejects(killed.run(await fakeRun(), () => {}), (e) => e instanceof WorkerDiedError && e.message === 'the worker process was stopped by SIGKILL');
  });

  it('a worker that breaks the protocol is stopped and the job fails', async () => {
    const c = client(await fakeWorker(`process.send({ type: 'progress', jobId: m.jobId, progress: 'garbage' });`));
    await assert.rejects(c.run(await fakeRun(), () => {}), (e) => e instanceof WorkerDiedError && /SIGKILL/.test(e.message));
    assert.ok(lines.some((l) => /message from the worker\.progress must be an object/.test(l)), lines.join('\n'));
  });

  it('is closed when idle', async () => {
    const c = client(await fakeWorker(`process.send({ type: 'failed', jobId: m.jobId, message: 'no', userError: true });`), 50);
    const end = await c.run(await fakeRun(), () => {});
    assert.deepEqual(end, { type: 'failed', jobId: 'fake', message: 'no', userError: true });
    const pid = c.pid;
    assert.ok(pid);
    for (let i = 0; i < 100 && c.pid; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.pid, undefined, 'the idle worker is still there');
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'its process is gone');
  });

  it('gets the fast nets ready ahead of a fast job, in a worker closed when idle if none comes', async () => {
    const c = client(repoFile('dist/worker.js'), 1500);
    c.prepareFast();
    const pid = c.pid;
    assert.ok(pid, 'a worker was started');
    for (let i = 0; i < 500 && c.pid; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.pid, undefined, 'the idle worker is still there');
    assert.ok(lines.some((l) => /^fast mode is ready \(\d+\.\d\d s\)$/.test(l)), lines.join('\n'));
  });
});

async function fakeRun(): Promise<RunMessage> {
  const image = { name: 'x.png', bytes: new Uint8Array(1) };
  return { type: 'run', jobId: 'fake', content: image, styles: [image], options: defaultOptions(), weightsPath: '/none', format: 'png', previewSize: 64 };
}
