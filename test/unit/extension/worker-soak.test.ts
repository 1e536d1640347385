import { promises as fs, readdirSync, readFileSync } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { defaultOptions, type StyleOptions } from '../../../src/common/options';
import { WorkerClient } from '../../../src/extension/worker-client';
import type { RunMessage } from '../../../src/protocol/messages';
import { tinyJob } from '../../helpers/tiny-job';

function repoFile(rel: string): string {
  let dir = __dirname;
  while (!require('fs').existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, rel);
}

/** Resident memory (MB) and open file descriptors of a process, from /proc (Linux). */
function usage(pid: number): { rssMb: number; fds: number } {
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return { rssMb: rss / 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

describe('one worker, a hundred jobs', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-soak-'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('makes a valid picture every time, by both methods, with memory and open files flat', async function () {
    if (process.platform !== 'linux') this.skip();
    const { weightsPath, content, style, optimize } = await tinyJob(dir, 3);
    const fast: StyleOptions = { ...defaultOptions(), method: 'fast', maxSize: 64 };
    const client = new WorkerClient({ script: repoFile('dist/worker.js'), idleMs: 60_000, cancelGraceMs: 20_000, log: () => {} });
    const seen: { rssMb: number; fds: number }[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const options = i % 2 === 0 ? fast : optimize;
        const job: RunMessage = {
          type: 'run', jobId: `soak-${i}`, content, styles: [style], options, weightsPath, format: 'png', previewSize: 32,
        };
        const end = await client.run(job, () => {});
        assert.equal(end.type, 'result', end.type === 'failed' ? end.message : '');
        if (end.type !== 'result') return;
        const meta = await sharp(end.result.bytes).metadata();
        assert.deepEqual([meta.format, meta.width, meta.height], ['png', options.maxSize, Math.trunc((options.maxSize * 40) / 60)], `job ${i}`);
        if (i === 9 || i === 99) seen.push(usage(client.pid!));
      }
    } finally {
      await client.dispose();
    }
    const [early, late] = seen;
    console.log(`      after 10 jobs: ${early.rssMb.toFixed(0)} MB, ${early.fds} fds; after 100: ${late.rssMb.toFixed(0)} MB, ${late.fds} fds`);
    assert.ok(late.rssMb - early.rssMb < 60, `the worker grew by ${(late.rssMb - early.rssMb).toFixed(0)} MB over 90 jobs`);
    assert.ok(late.fds - early.fds <= 2, `open files went from ${early.fds} to ${late.fds}`);
  });
});
