import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { defaultOptions } from '../../../src/common/options';
import { WorkerClient } from '../../../src/extension/worker-client';
import { workerImages } from '../../../src/extension/worker-images';
import { localOutputFs } from '../../../src/output/local-fs';
import { listFolderImages, runFolderBatch } from '../../../src/pipeline/folder-batch';
import { localFolderFs } from '../../../src/pipeline/local-folder';

describe('a folder through the worker process, one job per image', function () {
  this.timeout(120_000);
  let dir: string;
  let worker: WorkerClient;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-folder-worker-'));
    let root = __dirname;
    while (!(await fs.stat(path.join(root, 'package.json')).catch(() => undefined))) root = path.dirname(root);
    worker = new WorkerClient({ script: path.join(root, 'dist/worker.js'), idleMs: 60_000, cancelGraceMs: 20_000, log: () => {} });
  });
  after(async () => {
    await worker.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes each result and lists a damaged image with the worker\'s reason, in one worker that stays', async () => {
    const folder = path.join(dir, 'album');
    await fs.mkdir(folder);
    const png = (shade: number) => sharp({ create: { width: 40, height: 30, channels: 3, background: { r: shade, g: 60, b: 120 } } }).png().toBuffer();
    await fs.writeFile(path.join(folder, 'a.png'), await png(10));
    await fs.writeFile(path.join(folder, 'b.png'), (await png(20)).subarray(0, 40));
    await fs.writeFile(path.join(folder, 'c.png'), await png(30));
    const { images } = await listFolderImages(localFolderFs, folder);
    const jobs: string[] = [];
    const pids = new Set<number | undefined>();
    const outFolder = path.join(dir, 'album.style.stylized');
    const r = await runFolderBatch({
      fs: localFolderFs, images, out: localOutputFs, outFolder, format: 'png', mode: 'next-free',
      stylize: workerImages(worker, {
        id: 'batch', styles: [{ name: 'style.png', bytes: await png(200) }], options: { ...defaultOptions(), method: 'fast', maxSize: 32 },
        weightsPath: '', format: 'png', onJob: (id) => jobs.push(id),
      }),
      onResult: () => pids.add(worker.pid),
    });
    assert.deepEqual(r.written.map((w) => path.basename(w.output)), ['a.png', 'c.png']);
    assert.equal(r.failed.length, 1);
    assert.match(r.failed[0].reason, /^b\.png .*(corrupt|truncated)/);
    assert.deepEqual(jobs, ['batch/a.png', 'batch/b.png', 'batch/c.png']);
    assert.equal(pids.size, 1, 'one worker for the whole folder');
    assert.deepEqual((await sharp(path.join(outFolder, 'c.png')).metadata()).width, 32);
  });
});
