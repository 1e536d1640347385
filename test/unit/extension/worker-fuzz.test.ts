import { fork } from 'child_process';
import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import sharp from 'sharp';
import * as v from 'valibot';
import { defaultOptions, fastControlsOf, type StyleOptions } from '../../../src/common/options';
import { seededRandom } from '../../../src/engine/random';
import { parse } from '../../../src/protocol/fields';
import { fromWorker, jobIdOf, toWorker, type FromWorker, type JobEnd, type RunMessage } from '../../../src/protocol/messages';
import { tinyJob } from '../../helpers/tiny-job';

function repoFile(rel: string): string {
  let dir = __dirname;
  while (!require('fs').existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, rel);
}

/** A value of any kind the IPC channel carries: numbers, strings, lists, deep or self-holding objects, bytes... */
function junk(random: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  switch (Math.floor(random() * (depth > 2 ? 5 : 9))) {
    case 0:
      return pick([0, -1, 1.5, 1e9, -1e308, NaN, Infinity, Math.floor(random() * 2 ** 31)]);
    case 1:
      return pick(['', 'run', 'cancel', '\u0000\u202e', 'x'.repeat(10_000), String(random())]);
    case 2:
      return pick([true, false, null]);
    case 3:
      return pick([new Uint8Array(3), new Date(0), 10n ** 30n, new Map([[1, 2]]), new Set(['a'])]);
    case 4: {
      // Deep, and holding each level twice: small to send, huge if written out in full.
      let deep: unknown = 'bottom';
      for (let i = 0; i < 500; i++) deep = { type: 'run', jobId: deep, content: [deep] };
      return deep;
    }
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => junk(random, depth + 1));
    case 6:
      return Object.fromEntries(['type', 'jobId', 'name', 'bytes', 'a'].map((k) => [k, junk(random, depth + 1)]));
    case 7: {
      const self: Record<string, unknown> = { type: 'run' };
      self.jobId = self;
      return self;
    }
    default:
      return [];
  }
}

describe('the worker, sent malformed messages', function () {
  this.timeout(180_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-fuzz-'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('answers each that names a job with a failure, logs the others, and runs its jobs on', async () => {
    const { weightsPath, content, style, optimize } = await tinyJob(dir, 100);
    const controls = fastControlsOf(defaultOptions());
    const job = (jobId: string, options: StyleOptions): RunMessage =>
      ({ type: 'run', jobId, content, styles: [style], options, weightsPath, format: 'png', previewSize: 32 });

    // Named cases first, then each field of a run given a value of the wrong kind, then junk of every kind.
    const valid = job('template', optimize);
    const malformed: unknown[] = [
      null, {}, { type: 'frobnicate', jobId: 'unknown type' }, { type: 'run', jobId: 'missing field' },
      { ...valid, jobId: 'no styles', styles: [] }, { ...valid, jobId: 'huge maxSize', options: { ...optimize, maxSize: 1e9 } },
      { type: 'cancel', jobId: 5 }, { ...valid, jobId: 'previewSize 0', previewSize: 0 },
      { type: 'render', jobId: 'render strength', controls: { ...controls, styleStrength: 2 }, encoding: { type: 'preview' } },
      { type: 'render', jobId: 'render mask', controls, mask: { width: 2, height: 2, bytes: new Uint8Array(3) }, encoding: { type: 'preview' } },
      { type: 'render', jobId: 'render encoding', controls, encoding: { type: 'gif' } },
      { type: 'openSession', jobId: 'open without content', styles: [style], options: optimize },
    ];
    const random = seededRandom(15);
    for (let round = 0; round < 3; round++) {
      for (const key of Object.keys(valid)) malformed.push({ ...valid, jobId: `${key} ${round}`, [key]: junk(random) });
      for (const key of Object.keys(optimize)) malformed.push({ ...valid, jobId: `options.${key} ${round}`, options: { ...optimize, [key]: junk(random) } });
      // (A BigInt travels inside a message, not as one.)
      for (let i = 0; i < 40; i++) malformed.push(...[junk(random)].filter((m) => typeof m !== 'bigint'));
    }
    // The few a random value happens to fit are not malformed.
    const refused = malformed.filter((m) => !v.safeParse(toWorker, m).success);
    const named = refused.map(jobIdOf).filter((id) => id !== undefined);
    assert.ok(named.length > 100 && refused.length - named.length > 20, `${named.length} named, ${refused.length - named.length} not`);

    const child = fork(repoFile('dist/worker.js'), [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
    const log: string[] = [];
    for (const stream of [child.stdout!, child.stderr!]) readline.createInterface({ input: stream }).on('line', (l) => log.push(l));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const failures: Extract<JobEnd, { type: 'failed' }>[] = [];
    const ends = new Map<string, JobEnd>();
    const waiting = new Map<string, (end: JobEnd) => void>();
    let firstStep!: () => void;
    const stepping = new Promise<void>((resolve) => (firstStep = resolve));
    child.on('message', (raw) => {
      const m: FromWorker = parse(fromWorker, raw, 'message from the worker');
      if (m.type === 'progress' && m.jobId === 'before') firstStep();
      if (m.type === 'failed') failures.push(m);
      if (m.type !== 'result' && m.type !== 'failed') return;
      ends.set(m.jobId, m);
      waiting.get(m.jobId)?.(m);
    });
    const died = exited.then((code): never => assert.fail(`the worker exited with code ${code}:\n${log.slice(-12).join('\n')}`));
    const ended = (jobId: string) =>
      Promise.race([new Promise<JobEnd>((resolve) => (ends.has(jobId) ? resolve(ends.get(jobId)!) : waiting.set(jobId, resolve))), died]);
    const picture = async (end: JobEnd, steps: number) => {
      assert.equal(end.type, 'result', end.type === 'failed' ? end.message : '');
      if (end.type !== 'result') return;
      assert.deepEqual([end.result.outcome, end.result.steps], ['done', steps]);
      const meta = await sharp(end.result.bytes).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 48, 32]);
    };
    try {
      child.send(job('before', optimize));
      await Promise.race([stepping, died]);
      for (const m of refused) child.send(m as object);
      child.send({ type: 'cancel', jobId: 'a job it does not run' });
      const fast = job('after', { ...defaultOptions(), method: 'fast', maxSize: 48 });
      child.send(fast);
      await picture(await ended('after'), 1);
      await picture(await ended('before'), 100);

      // One failure for each message that names a job, and no other.
      assert.deepEqual(failures.map((f) => f.jobId).sort(), [...named].sort());
      for (const f of failures) {
        assert.equal(f.userError, false);
        assert.match(f.message, /^the worker was sent a malformed message: message\S* \S/, f.jobId);
      }
      const expected: Record<string, RegExp> = {
        'unknown type': /message\.type has an unknown type "frobnicate" \(expected run, cancel, openSession, render, closeSession, prepareFast\)$/,
        'missing field': /message\.content is missing$/,
        'no styles': /message\.styles must hold at least one style image$/,
        'huge maxSize': /message\.options\.maxSize must be an integer from 16 to 8192, got 1000000000$/,
        'previewSize 0': /message\.previewSize must be a whole number >= 16, got 0$/,
        'render strength': /message\.controls\.styleStrength must be a number from 0 to 1, got 2$/,
        'render mask': /message\.mask must hold 2x2 bytes, got 3$/,
        'render encoding': /message\.encoding\.type has an unknown type "gif" \(expected preview, picture, output\)$/,
        'open without content': /message\.content is missing$/,
      };
      for (const [id, pattern] of Object.entries(expected)) assert.match(failures.find((f) => f.jobId === id)?.message ?? '', pattern);
      assert.equal(log.filter((l) => l.includes('refused a malformed message (it names no job)')).length, refused.length - named.length);
      assert.equal(child.exitCode, null, 'the worker is still running');
    } finally {
      if (child.connected) child.disconnect();
    }
    assert.equal(await exited, 0, log.join('\n'));
  });
});
