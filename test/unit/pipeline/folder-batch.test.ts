import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { defaultOptions } from '../../../src/common/options';
import { localOutputFs } from '../../../src/output/local-fs';
import { listFolderImages, runFolderBatch, type FolderBatchRequest } from '../../../src/pipeline/folder-batch';
import { localFolderFs } from '../../../src/pipeline/local-folder';
import { stylizeImages } from '../../../src/pipeline/stylize-images';

const png = (width: number, height: number, shade: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: shade, g: 90, b: 200 } } }).png().toBuffer();

describe('folder batch', function () {
  this.timeout(120_000);
  let dir: string;
  let style: { name: string; bytes: Buffer };
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-folder-'));
    style = { name: 'style.png', bytes: await png(32, 32, 40) };
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  /** A folder made of `files` (relative path -> bytes). */
  async function folder(name: string, files: Record<string, Uint8Array | string>): Promise<string> {
    const root = path.join(dir, name);
    for (const [relative, bytes] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(root, relative)), { recursive: true });
      await fs.writeFile(path.join(root, relative), bytes);
    }
    await fs.mkdir(root, { recursive: true });
    return root;
  }

  const fastJob = (content: { name: string; bytes: Uint8Array }) =>
    stylizeImages({ content, styles: [style], options: { ...defaultOptions(), method: 'fast', maxSize: 32 }, weights: async () => '', format: 'png' });

  it('lists images by content in a stable order, leaving out hidden files, sub-folders and results', async () => {
    const image = await png(20, 20, 1);
    const root = await folder('listing', {
      'img10.png': image, 'img2.png': image, 'no-extension': image, 'photo.txt': image, 'notes.png': 'not an image at all',
      'empty.jpg': '', '.hidden.png': image, 'dog.kandinsky.stylized.png': image, 'sub/inner.png': image, '.git/x.png': image,
      'old.kandinsky.stylized/a.png': image,
    });
    const flat = await listFolderImages(localFolderFs, root);
    assert.deepEqual(flat.images.map((i) => i.relative), ['img2.png', 'img10.png', 'no-extension', 'photo.txt']);
    assert.deepEqual(flat.skipped, [
      { relative: 'dog.kandinsky.stylized.png', reason: 'a stylized result' },
      { relative: 'empty.jpg', reason: 'empty' },
      { relative: 'notes.png', reason: 'not an image' },
    ]);
    assert.equal(flat.subfolders, 2, 'sub/ and old.kandinsky.stylized/ (hidden ones are not counted)');
    const deep = await listFolderImages(localFolderFs, root, { recursive: true, leaveOut: (p) => p.endsWith('photo.txt') });
    assert.deepEqual(deep.images.map((i) => i.relative), ['img2.png', 'img10.png', 'no-extension', 'sub/inner.png']);
  });

  it('writes every result, lists a damaged image with its reason and goes on, and numbers names taken', async () => {
    const root = await folder('mixed', { 'a.png': await png(40, 30, 10), 'b.jpg': (await png(40, 30, 20)).subarray(0, 60), 'c.jpg': await png(40, 30, 30) });
    const outFolder = path.join(dir, 'mixed-out');
    await fs.mkdir(outFolder);
    await fs.writeFile(path.join(outFolder, 'a.png'), 'the user\'s own file');
    const { images } = await listFolderImages(localFolderFs, root);
    const r = await runFolderBatch({ fs: localFolderFs, images, out: localOutputFs, outFolder, format: 'png', mode: 'next-free', stylize: fastJob });
    assert.deepEqual(r.written.map((w) => path.basename(w.output)), ['a-1.png', 'c.png']);
    assert.equal(await fs.readFile(path.join(outFolder, 'a.png'), 'utf8'), 'the user\'s own file');
    assert.equal(r.failed.length, 1);
    assert.equal(r.failed[0].relative, 'b.jpg');
    assert.match(r.failed[0].reason, /^b\.jpg .*(corrupt|truncated)/);
    assert.deepEqual((await sharp(path.join(outFolder, 'c.png')).metadata()).format, 'png');
    assert.equal(r.cancelled, false);
  });

  it('keeps the results written when cancelled in the middle, and starts no other', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 6; i++) files[`${i}.png`] = await png(24, 16, i * 40);
    const root = await folder('cancelled', files);
    const outFolder = path.join(dir, 'cancelled-out');
    const abort = new AbortController();
    const { images } = await listFolderImages(localFolderFs, root);
    const req: FolderBatchRequest = {
      fs: localFolderFs, images, out: localOutputFs, outFolder, format: 'webp', mode: 'next-free', stylize: fastJob, signal: abort.signal,
      onResult: (image) => image.relative === '1.png' && abort.abort(),
    };
    const r = await runFolderBatch(req);
    assert.equal(r.cancelled, true);
    assert.equal(r.notStarted, 4);
    assert.deepEqual((await fs.readdir(outFolder)).sort(), ['0.webp', '1.webp']);
  });

  it('keeps sub-folders in the results and stops at a result it cannot write', async () => {
    const root = await folder('deep', { 'a.png': await png(24, 16, 1), 'sub/b.png': await png(24, 16, 2), 'sub/c.png': await png(24, 16, 3) });
    const outFolder = path.join(dir, 'deep-out');
    const { images } = await listFolderImages(localFolderFs, root, { recursive: true });
    let writes = 0;
    const failing = { ...localOutputFs, writeFile: (p: string, b: Uint8Array) => (++writes === 2 ? Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' })) : localOutputFs.writeFile(p, b)) };
    const r = await runFolderBatch({ fs: localFolderFs, images, out: failing, outFolder, format: 'png', mode: 'next-free', stylize: fastJob });
    assert.deepEqual(r.written.map((w) => path.relative(outFolder, w.output)), ['a.png']);
    assert.match(r.stopped ?? '', /sub.b\.png: the disk is full$/);
    assert.equal(r.notStarted, 1);
    const again = await runFolderBatch({ fs: localFolderFs, images, out: localOutputFs, outFolder, format: 'png', mode: 'next-free', stylize: fastJob });
    assert.deepEqual(again.written.map((w) => path.relative(outFolder, w.output)), ['a-1.png', path.join('sub', 'b.png'), path.join('sub', 'c.png')]);
  });
});
