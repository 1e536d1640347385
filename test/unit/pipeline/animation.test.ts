import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { UserError } from '../../../src/common/errors';
import { defaultOptions, fastControlsOf, type StyleOptions } from '../../../src/common/options';
import { flagName } from '../../../src/cli/option-flags';
import { WorkerClient } from '../../../src/extension/worker-client';
import type { FromWorker } from '../../../src/protocol/messages';
import { readImageMetadata } from '../../../src/image/metadata';
import type { Raster } from '../../../src/image/raster';
import { FastSession } from '../../../src/pipeline/fast-session';
import { SETTINGS_KEY } from '../../../src/pipeline/recorded-settings';
import { stylizeImages, type StylizeImagesRequest } from '../../../src/pipeline/stylize-images';

const DOG = path.resolve(__dirname, '..', 'samples', 'dog.jpg');
const STYLE = path.resolve(__dirname, '..', 'samples', 'kandinsky.jpg');
const CLI = path.resolve(__dirname, '../dist/cli.js');
const WORKER = path.resolve(__dirname, '../dist/worker.js');

const W = 64;
const H = 48;
const DELAYS = [40, 80, 120, 160, 200];
const FAST: StyleOptions = { ...defaultOptions(), method: 'fast', maxSize: 512 };

/** RGBA frames of the dog, W x H: a pan over it (each frame `step` px further right), as one buffer. */
async function panFrames(frames: number, step: number): Promise<Buffer> {
  const out: Buffer[] = [];
  for (let i = 0; i < frames; i++) {
    out.push(await sharp(DOG).extract({ left: 100 + i * step, top: 150, width: 320, height: 240 }).resize(W, H).ensureAlpha().raw().toBuffer());
  }
  return Buffer.concat(out);
}

async function animation(rgba: Buffer, format: 'gif' | 'webp', delays = DELAYS, loop = 3): Promise<Buffer> {
  const image = sharp(rgba, { raw: { width: W, height: H * delays.length, channels: 4, pageHeight: H } });
  return format === 'gif' ? image.gif({ delay: delays, loop }).toBuffer() : image.webp({ delay: delays, loop, lossless: true }).toBuffer();
}

/** Where each frame's image data starts in a GIF (its image descriptor), walking the blocks. */
function gifFrameOffsets(b: Buffer): number[] {
  const table = (flags: number) => (flags & 0x80 ? 3 * (1 << ((flags & 7) + 1)) : 0);
  const subBlocks = (p: number) => {
    while (b[p] !== 0) p += b[p] + 1;
    return p + 1;
  };
  const offsets: number[] = [];
  for (let p = 13 + table(b[10]); b[p] !== 0x3b;) {
    if (b[p] === 0x21) p = subBlocks(p + 2);
    else if (b[p] === 0x2c) {
      offsets.push(p);
      p = subBlocks(p + 10 + table(b[p + 9]) + 1);
    } else throw new Error(`not a GIF block at ${p}`);
  }
  return offsets;
}

/** Mean absolute difference between consecutive frames, in levels of 255. */
function flicker(frames: readonly Raster[]): number {
  let sum = 0;
  let n = 0;
  for (let i = 1; i < frames.length; i++) {
    const [a, b] = [frames[i - 1].data, frames[i].data];
    for (let k = 0; k < a.length; k++) sum += Math.abs(a[k] - b[k]);
    n += a.length;
  }
  return (sum / n) * 255;
}

describe('animations by the fast method', function () {
  this.timeout(120_000);
  let dir: string;
  let style: Buffer;
  let pan: Buffer;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ns-anim-'));
    style = await sharp(STYLE).toBuffer();
    pan = await panFrames(DELAYS.length, 12);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const job = (content: Buffer, more: Partial<StylizeImagesRequest> = {}): StylizeImagesRequest => ({
    content: { name: 'clip.gif', bytes: content },
    styles: [{ name: 'kandinsky.jpg', bytes: style }],
    options: FAST,
    weights: () => Promise.reject(new Error('the fast method needs no weights')),
    format: 'png',
    ...more,
  });

  for (const format of ['gif', 'webp'] as const) {
    it(`keeps a ${format.toUpperCase()}'s frames, delays, loop and size, with a progress per frame`, async () => {
      const frames: string[] = [];
      const notices: string[] = [];
      const r = await stylizeImages(job(Buffer.alloc(0), {
        content: { name: `clip.${format}`, bytes: await animation(pan, format) },
        onFrame: (p) => frames.push(`${p.frame}/${p.frames}`),
        onNotice: (m) => notices.push(m),
      }));
      const meta = await sharp(r.bytes).metadata();
      assert.equal(meta.format, format, 'a still format asked for (a setting\'s PNG) keeps the animation\'s own');
      assert.equal(meta.pages, DELAYS.length);
      assert.deepEqual(meta.delay, DELAYS);
      assert.equal(meta.loop, 3);
      assert.deepEqual([meta.width, meta.pageHeight ?? meta.height], [W, H], 'the size is kept, though --max-size is larger');
      assert.deepEqual(frames, ['1/5', '2/5', '3/5', '4/5', '5/5']);
      assert.equal(r.steps, DELAYS.length);
      assert.deepEqual(r.animation, { format, frames: DELAYS.length }, 'the result says what its bytes are, for the file\'s name');
      assert.equal(JSON.parse((await readImageMetadata(r.bytes))[SETTINGS_KEY]).options.method, 'fast');
      assert.deepEqual(notices, []);
    });
  }

  it('paints every frame as a single run of that frame would, where the input moved; the noise of a still clip does not flicker', async () => {
    // Frames far apart: the dog, mirrored, then upside down, then back. Each output frame is compared with a
    // still job of that frame alone (a PNG of it).
    const still = await sharp(pan.subarray(0, W * H * 4), { raw: { width: W, height: H, channels: 4 } });
    const shapes = [still.clone(), still.clone().flop(), still.clone().flip(), still.clone()];
    const rgba = Buffer.concat(await Promise.all(shapes.map((s) => s.raw().toBuffer())));
    const clip = await animation(rgba, 'webp', [100, 100, 100, 100]);
    const session = await FastSession.open(job(clip, { content: { name: 'clip.webp', bytes: clip } }));
    const controls = fastControlsOf(FAST);
    const out: Raster[] = [];
    for await (const f of session.frames(controls)) out.push(f.image);
    assert.equal(out.length, 4);
    for (const [i, shape] of shapes.entries()) {
      const png = await shape.png().toBuffer();
      // A still is made at --max-size; an animation keeps its own size.
      const stillJob = job(png, { content: { name: `frame${i}.png`, bytes: png }, options: { ...FAST, maxSize: W } });
      const alone = await (await FastSession.open(stillJob)).picture(controls);
      const own = alone.image.data;
      const same = out[i].data.filter((v, k) => v === own[k]).length / own.length;
      assert.ok(i === 0 ? same === 1 : same > 0.6, `frame ${i + 1}: ${(same * 100).toFixed(1)}% of the values are those of a single run`);
      // The others are kept from the frame before, or between the two: nothing else is painted.
      if (i > 0) {
        const before = out[i - 1].data;
        const outside = out[i].data.findIndex((v, k) => v < Math.min(own[k], before[k]) - 1e-6 || v > Math.max(own[k], before[k]) + 1e-6);
        assert.equal(outside, -1, `frame ${i + 1}: value ${outside} is neither its own picture's nor the frame before's`);
      }
    }

    // Camera noise (about 3 levels) over one photo: frame by frame, every stroke moves; steadied, few do.
    const noisy: Buffer[] = [];
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const photo = pan.subarray(0, W * H * 4);
    for (let f = 0; f < 6; f++) {
      noisy.push(Buffer.from(photo.map((v, k) => (k % 4 === 3 ? 255 : Math.max(0, Math.min(255, v + Math.round((random() + random() + random() - 1.5) * 6)))))));
    }
    const noiseClip = await animation(Buffer.concat(noisy), 'webp', [100, 100, 100, 100, 100, 100]);
    const noise = await FastSession.open(job(noiseClip, { content: { name: 'noise.webp', bytes: noiseClip } }));
    const steadied: Raster[] = [];
    for await (const f of noise.frames(controls)) steadied.push(f.image);
    const alone: Raster[] = [];
    for (let i = 0; i < 6; i++) alone.push((await noise.picture(controls, i)).image);
    assert.ok(flicker(steadied) < flicker(alone) / 2, `steadied ${flicker(steadied).toFixed(2)} levels, frame by frame ${flicker(alone).toFixed(2)}`);
  });

  it('refuses the optimisation, suggesting the fast method', async () => {
    await assert.rejects(
      stylizeImages(job(await animation(pan, 'gif'), { options: defaultOptions(), optionName: flagName })),
      (e: unknown) => e instanceof UserError && /^clip\.gif is an animation of 5 frames, which the optimisation does not make; use --method fast/.test(e.message),
    );
  });

  it('counts every frame against the pixel limit', async () => {
    const clip = await animation(pan, 'gif');
    await assert.rejects(
      stylizeImages(job(clip, { maxPixels: 5 * W * H - 1, optionName: flagName })),
      (e: unknown) => e instanceof UserError && /clip\.gif is an animation of 5 frames of 64x48: 15,360 pixels, over the limit of 15,359; use fewer frames or a smaller --max-size/.test(e.message),
    );
    const r = await stylizeImages(job(clip, { maxPixels: 5 * W * H }));
    assert.equal(r.steps, 5);
  });

  it('names the damaged frame', async () => {
    const clip = Buffer.from(await animation(pan, 'gif'));
    const third = gifFrameOffsets(clip)[2];
    clip.fill(0xff, third + 20, third + 220);
    await assert.rejects(stylizeImages(job(clip)), (e: unknown) => e instanceof UserError && /^clip\.gif: frame 3 of 5 is damaged \(/.test(e.message));
  });

  it('through the worker: a job\'s animation and its frames\' progress; a session\'s frame alone and its whole animation', async () => {
    const worker = new WorkerClient({ script: WORKER, idleMs: 60_000, cancelGraceMs: 20_000, log: () => {} });
    try {
      const clip = await animation(pan, 'gif');
      const inputs = { content: { name: 'clip.gif', bytes: clip }, styles: [{ name: 'kandinsky.jpg', bytes: style }], options: FAST };
      const frames: string[] = [];
      const seen = (m: FromWorker) => m.type === 'frame' && frames.push(`${m.progress.frame}/${m.progress.frames}`);
      const end = await worker.run({ type: 'run', jobId: 'a', ...inputs, weightsPath: '/none', format: 'png', previewSize: 64 }, seen);
      assert.equal(end.type, 'result', end.type === 'failed' ? end.message : '');
      if (end.type !== 'result') return;
      assert.deepEqual(end.result.animation, { format: 'gif', frames: 5 });
      assert.equal((await sharp(end.result.bytes).metadata()).pages, 5);
      assert.deepEqual(frames, ['1/5', '2/5', '3/5', '4/5', '5/5']);

      const opened = await worker.openSession({ type: 'openSession', jobId: 'b', ...inputs }, () => {});
      assert.equal(opened.type, 'opened');
      if (opened.type !== 'opened') return;
      assert.deepEqual(opened.animation, { format: 'gif', frames: 5, delays: DELAYS, loop: 3 });
      const controls = fastControlsOf(FAST);
      const still = await worker.render({ type: 'render', jobId: 'b', controls, frame: 4, encoding: { type: 'picture' } }, () => {});
      assert.equal(still.type, 'rendered');
      if (still.type !== 'rendered') return;
      assert.equal((await sharp(still.bytes).metadata()).format, 'png', 'one frame alone is a still');
      frames.length = 0;
      const whole = await worker.render({ type: 'render', jobId: 'b', controls: { ...controls, styleStrength: 0.5 }, encoding: { type: 'output', format: 'webp' } }, seen);
      assert.equal(whole.type, 'rendered');
      if (whole.type !== 'rendered') return;
      const meta = await sharp(whole.bytes).metadata();
      assert.deepEqual([meta.format, meta.pages, meta.delay], ['webp', 5, DELAYS]);
      assert.equal(JSON.parse((await readImageMetadata(whole.bytes))[SETTINGS_KEY]).options.styleStrength, 0.5);
      assert.equal(frames.length, 5);
    } finally {
      await worker.dispose();
    }
  });

  describe('on the command line', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, 'stylize', ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, NEURAL_STYLE_WEIGHTS: '' } });
    before(async () => {
      assert.ok(existsSync(CLI), `${CLI} is built by scripts/build.mjs`);
      writeFileSync(path.join(dir, 'clip.gif'), await animation(pan, 'gif'));
      writeFileSync(path.join(dir, 'kandinsky.jpg'), style);
    });

    it('writes clip.<style>.stylized.gif beside it with the frames\' progress, converts with -o, refuses the optimisation', async () => {
      const r = cli('clip.gif', 'kandinsky.jpg', '--method', 'fast');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^wrote .*clip\.kandinsky\.stylized\.gif: 64x48, 5 frames by the fast method in [\d.]+ s on onnx\n$/);
      assert.match(r.stderr, /^frame 1\/5 \|/m);
      assert.match(r.stderr, /^frame 5\/5 \|/m);
      assert.equal((await sharp(path.join(dir, 'clip.kandinsky.stylized.gif')).metadata()).pages, 5);

      const webp = cli('clip.gif', 'kandinsky.jpg', '--method', 'fast', '-o', 'clip.webp', '-q');
      assert.equal(webp.status, 0, webp.stderr);
      const meta = await sharp(path.join(dir, 'clip.webp')).metadata();
      assert.deepEqual([meta.format, meta.pages, meta.delay, meta.loop], ['webp', 5, DELAYS, 3]);

      const before = readdirSync(dir).sort();
      const still = cli('clip.gif', 'kandinsky.jpg', '--method', 'fast', '-o', 'clip.png');
      assert.equal(still.status, 2);
      assert.equal(still.stderr, 'neural-style: clip.gif is an animation: name the output .gif or .webp, not clip.png\n');
      const optimize = cli('clip.gif', 'kandinsky.jpg');
      assert.equal(optimize.status, 2);
      assert.match(optimize.stderr, /^neural-style: clip\.gif is an animation of 5 frames, which the optimisation does not make; use --method fast, which makes every frame\n$/);
      assert.deepEqual(readdirSync(dir).sort(), before, 'nothing written');
    });
  });
});
