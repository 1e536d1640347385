import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import type { StyleOptions } from '../../../src/common/options';
import { readImage } from '../../../src/image/decode';
import { readImageMetadata } from '../../../src/image/metadata';
import { atSize, fitLongSide } from '../../../src/image/resize';
import { SETTINGS_KEY } from '../../../src/pipeline/recorded-settings';
import { randomVggWeights, writeKerasWeights } from '../../helpers/random-vgg-weights';
import { recordedFlags } from '../../helpers/recorded-flags';

const CLI = path.resolve(__dirname, '../dist/cli.js');
const SAMPLES = path.resolve(__dirname, '../samples');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000, env: { ...process.env, NEURAL_STYLE_WEIGHTS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** 8-bit RGB pixels of an image file. */
async function pixels(file: string): Promise<Buffer> {
  return sharp(file).removeAlpha().raw().toBuffer();
}

/** A greyscale mask of `width` x `height`: black left of `edge`, white from `edge + feather` on, a ramp between. */
async function writeMask(file: string, width: number, height: number, edge: number, feather: number): Promise<void> {
  const bytes = Buffer.alloc(width * height);
  for (let p = 0; p < bytes.length; p++) bytes[p] = Math.round(Math.min(1, Math.max(0, ((p % width) - edge) / feather)) * 255);
  await sharp(bytes, { raw: { width, height, channels: 1 } }).png().toFile(file);
}

describe('neural-style CLI: stroke size, colours and masks', function () {
  this.timeout(120000);
  let dir: string;
  let content: string;
  let kandinsky: string;
  let wave: string;
  let mask: string;
  // The dog at --max-size 160 is 160x131.
  const SIZE = 160;
  let size: { width: number; height: number };
  const EDGE = 70;
  const FEATHER = 8;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ns-controls-'));
    [content, kandinsky, wave] = ['dog.jpg', 'kandinsky.jpg', 'great-wave.jpg'].map((f) => {
      copyFileSync(path.join(SAMPLES, f), path.join(dir, f));
      return path.join(dir, f);
    });
    const { width, height } = await sharp(content).metadata();
    size = fitLongSide(height, width, SIZE);
    mask = path.join(dir, 'regions.png');
    await writeMask(mask, size.width, size.height, EDGE, FEATHER);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh folder for one run's output, so that "nothing written" can be checked by listing it. */
  const outDir = (name: string) => {
    const d = path.join(dir, name);
    mkdirSync(d);
    return d;
  };

  const fast = (...args: string[]) => cli('stylize', content, kandinsky, '--method', 'fast', '--max-size', String(SIZE), ...args);

  /** Status 2, one line matching `message`, and nothing in the output folder. */
  function refuses(r: ReturnType<typeof cli>, message: RegExp, folder: string): void {
    assert.equal(r.status, 2, `status ${r.status}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('backend: '));
    assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
    assert.match(lines[0], message);
    assert.deepEqual(readdirSync(folder), [], 'nothing written');
  }

  /** The dog at the output size as 8-bit pixels, as the pipeline resizes it. */
  async function contentPixels(): Promise<Uint8Array> {
    const decoded = (await readImage(content, { needLongSide: SIZE })).raster;
    return Uint8Array.from(atSize(decoded, size).data, (v) => Math.round(v * 255));
  }

  /** Pixels away from the mask's feathered edge, by region: black (x < EDGE - 2) and white (x > EDGE + FEATHER + 2). */
  function regionDifferences(got: Uint8Array, black: Uint8Array, white: Uint8Array): { black: number; white: number } {
    const worst = { black: 0, white: 0 };
    for (let i = 0; i < got.length; i++) {
      const x = Math.floor(i / 3) % size.width;
      if (x < EDGE - 2) worst.black = Math.max(worst.black, Math.abs(got[i] - black[i]));
      if (x > EDGE + FEATHER + 2) worst.white = Math.max(worst.white, Math.abs(got[i] - white[i]));
    }
    return worst;
  }

  it('keeps the content where the mask is black and the unmasked picture where it is white, saves the mask beside it', async () => {
    const folder = outDir('masked');
    const [plain, masked] = [path.join(folder, 'plain.png'), path.join(folder, 'masked.png')];
    const flags = ['--style-strength', '0.9', '--style-scale', '1.5', '--colors', 'histogram'];
    assert.equal(fast(...flags, '-o', plain).status, 0);
    const r = fast(...flags, '--mask', mask, '-o', masked);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*masked\.png: 160x131, the fast method in [\d.]+ s on onnx\nwrote .*masked\.mask\.png: the mask it was made with\n$/);
    const worst = regionDifferences(await pixels(masked), await contentPixels(), await pixels(plain));
    assert.ok(worst.black <= 1 && worst.white <= 1, `largest differences in levels: ${JSON.stringify(worst)}`);
    assert.deepEqual(await sharp(path.join(folder, 'masked.mask.png')).raw().toBuffer(), await sharp(mask).raw().toBuffer());
    const recorded = JSON.parse((await readImageMetadata(masked))[SETTINGS_KEY]);
    assert.equal(recorded.mask, 'regions.png');
    assert.deepEqual([recorded.options.styleScale, recorded.options.colors, recorded.options.styleStrength], [1.5, 'histogram', 0.9]);
  });

  it('makes the same picture again from the flags its metadata records', async () => {
    const folder = outDir('again');
    const first = path.join(folder, 'first.png');
    assert.equal(fast('--style-scale', '0.75', '--colors', 'luminance', '--mask', mask, '--style-strength', '0.6', '-o', first).status, 0);
    const recorded = JSON.parse((await readImageMetadata(first))[SETTINGS_KEY]);
    const o: StyleOptions = recorded.options;
    // Each option the method uses that differs from its default is a flag; the mask saved beside it is --mask.
    const flags = recordedFlags(o);
    const again = path.join(folder, 'again.png');
    const inputs = [path.join(dir, recorded.content), ...recorded.styles.map((s: string) => path.join(dir, s))];
    const r = cli('stylize', ...inputs, ...flags, '--mask', path.join(folder, 'first.mask.png'), '-o', again);
    assert.equal(r.status, 0, `${flags.join(' ')}: ${r.stderr}`);
    const [a, b] = [await pixels(first), await pixels(again)];
    assert.ok(a.every((v, i) => Math.abs(v - b[i]) <= 1), 'the same picture within one level');
  });

  it('numbers a picture and its mask together when the name is taken', () => {
    const folder = outDir('numbered');
    for (let k = 0; k < 2; k++) assert.equal(fast('--mask', mask, '-o', `${folder}/`).status, 0);
    assert.deepEqual(readdirSync(folder).sort(), [
      'dog.kandinsky.stylized-1.mask.png', 'dog.kandinsky.stylized-1.png', 'dog.kandinsky.stylized.mask.png', 'dog.kandinsky.stylized.png',
    ]);
  });

  it('places two styles by the mask: white the first, black the second', async () => {
    const folder = outDir('two');
    const [first, second, both] = ['first.png', 'second.png', 'both.png'].map((f) => path.join(folder, f));
    assert.equal(cli('stylize', content, kandinsky, '--method', 'fast', '--max-size', String(SIZE), '-o', first).status, 0);
    assert.equal(cli('stylize', content, wave, '--method', 'fast', '--max-size', String(SIZE), '-o', second).status, 0);
    const r = cli('stylize', content, kandinsky, wave, '--method', 'fast', '--max-size', String(SIZE), '--mask', mask, '-o', both);
    assert.equal(r.status, 0, r.stderr);
    const worst = regionDifferences(await pixels(both), await pixels(second), await pixels(first));
    assert.ok(worst.black <= 1 && worst.white <= 1, `largest differences in levels: ${JSON.stringify(worst)}`);
  });

  it('still takes --preserve-colors, as --colors luminance; refuses it beside another --colors', async () => {
    const folder = outDir('colours');
    const [old, now] = [path.join(folder, 'old.png'), path.join(folder, 'new.png')];
    assert.equal(fast('--preserve-colors', '-o', old).status, 0);
    assert.equal(fast('--colors', 'luminance', '-o', now).status, 0);
    assert.deepEqual(await pixels(old), await pixels(now));
    assert.equal(JSON.parse((await readImageMetadata(old))[SETTINGS_KEY]).options.colors, 'luminance');
    const refused = outDir('colours-refused');
    refuses(
      fast('--preserve-colors', '--colors', 'histogram', '-o', path.join(refused, 'x.png')),
      /^neural-style: --preserve-colors is the former name of --colors "luminance" and disagrees with --colors "histogram"; leave it out$/,
      refused,
    );
  });

  it('refuses a style scale out of range, or one that would paint past the fast method’s largest size, naming the flag', () => {
    const folder = outDir('scale');
    const out = path.join(folder, 'x.png');
    refuses(fast('--style-scale', '5', '-o', out), /^neural-style: --style-scale must be a number from 0\.1 to 4, got 5$/, folder);
    refuses(fast('--style-scale', 'big', '-o', out), /^neural-style: --style-scale must be a number from 0\.1 to 4, got "big"$/, folder);
    refuses(
      cli('stylize', content, kandinsky, '--method', 'fast', '--max-size', '1024', '--style-scale', '0.2', '-o', out),
      /^neural-style: --style-scale 0\.2 has the fast method paint at 5120 px \(--max-size 1024 \/ 0\.2\), over its 4096; choose a style scale of at least 0\.25$/,
      folder,
    );
  });

  it('refuses a mask that is missing, not an image or empty, or that does not go with the styles, in one line naming --mask', async () => {
    const notes = path.join(dir, 'notes.txt');
    const empty = path.join(dir, 'empty.png');
    writeFileSync(notes, 'white on the left\n');
    writeFileSync(empty, '');
    const cases: Array<[string[], RegExp]> = [
      [['--mask', path.join(dir, 'nope.png')], /^neural-style: --mask: image file not found: .*nope\.png$/],
      [['--mask', notes], /^neural-style: --mask .*notes\.txt is not an image in a supported format \(JPEG, PNG, WebP, GIF, TIFF or AVIF\)$/],
      [['--mask', empty], /^neural-style: --mask .*empty\.png is empty$/],
      [[wave, kandinsky, '--mask', mask], /^neural-style: --mask .*regions\.png places one or two styles \(white the first, black the second\), but 3 were given$/],
      [[wave, '--mask', mask, '--style-blend-weights', '1,2'], /^neural-style: --style-blend-weights is not used with --mask .*regions\.png: white takes the first style, black the second; leave it out$/],
    ];
    for (const [args, message] of cases) {
      const folder = outDir(`bad-mask-${readdirSync(dir).length}`);
      refuses(fast(...args, '-o', path.join(folder, 'x.png')), message, folder);
    }
    const taken = outDir('mask-taken');
    writeFileSync(path.join(taken, 'x.mask.png'), 'mine');
    const r = fast('--mask', mask, '-o', path.join(taken, 'x.png'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^neural-style: .*x\.mask\.png already exists; choose another name or pass --overwrite\n$/);
    assert.deepEqual(readdirSync(taken), ['x.mask.png']);
  });

  it('stretches a mask of another shape, takes an animation’s first frame, and says so; an all-black one styles nothing', async () => {
    const folder = outDir('notes');
    const square = path.join(dir, 'square.png');
    await writeMask(square, 64, 64, 28, 4);
    let r = fast('--mask', square, '-o', path.join(folder, 'square.png'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /note: --mask .*square\.png is 64x64 px, not the shape of the 160x131 picture: it is stretched to fit\n/);

    const frame = (colour: string) => sharp({ create: { width: size.width, height: size.height, channels: 3, background: colour } }).png().toBuffer();
    const animated = path.join(dir, 'blink.gif');
    await sharp([await frame('#000000'), await frame('#ffffff')], { join: { animated: true } }).gif().toFile(animated);
    const black = path.join(folder, 'black.png');
    r = fast('--mask', animated, '-o', black);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /note: --mask .*blink\.gif is animated \(2 frames\): its first frame is the mask\n/);
    assert.match(r.stderr, /note: --mask .*blink\.gif is black all over: nothing is styled, the picture is the content\n/);
    const [got, want] = [await pixels(black), await contentPixels()];
    assert.ok(got.every((v, i) => Math.abs(v - want[i]) <= 1), 'the content');
  });

  describe('the optimisation', () => {
    let weights: string;
    const small = ['--style-layers', 'block1_conv1,block2_conv1', '--content-layers', 'block2_conv1', '--max-size', '48', '--steps', '3', '--backend', 'wasm'];
    before(async () => {
      weights = path.join(dir, 'weights.h5');
      await writeKerasWeights(weights, randomVggWeights(5, 'block2_conv2'));
    });

    it('applies a mask to its picture and says so; recolours the style by histogram matching', async () => {
      const folder = outDir('optimize');
      const out = path.join(folder, 'out.png');
      const small48 = path.join(dir, 'small-mask.png');
      const { width, height } = fitLongSide(size.height, size.width, 48);
      await writeMask(small48, width, height, 20, 4);
      const r = cli('stylize', content, kandinsky, '--weights', weights, ...small, '--colors', 'histogram', '--mask', small48, '-o', out);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /note: --mask .*small-mask\.png: the optimisation styles the whole picture, then the content is kept where the mask is black\n/);
      assert.ok(existsSync(path.join(folder, 'out.mask.png')));
      const decoded = (await readImage(content, { needLongSide: 48 })).raster;
      const want = Uint8Array.from(atSize(decoded, { width, height }).data, (v) => Math.round(v * 255));
      const got = await pixels(out);
      for (let i = 0; i < got.length; i++) {
        if (Math.floor(i / 3) % width < 18) assert.ok(Math.abs(got[i] - want[i]) <= 1, `value ${i}: ${got[i]} != ${want[i]}`);
      }
      assert.equal(JSON.parse((await readImageMetadata(out))[SETTINGS_KEY]).options.colors, 'histogram');
    });

    it('refuses a mask with two styles, and an all-black mask, before any work', async () => {
      const blackMask = path.join(dir, 'black.png');
      await sharp({ create: { width: 40, height: 33, channels: 3, background: '#000' } }).png().toFile(blackMask);
      let folder = outDir('optimize-two');
      refuses(
        cli('stylize', content, kandinsky, wave, '--weights', weights, ...small, '--mask', mask, '-o', path.join(folder, 'x.png')),
        /^neural-style: --mask .*regions\.png with two styles needs --method fast: the optimisation applies a mask to one style$/,
        folder,
      );
      folder = outDir('optimize-black');
      refuses(
        cli('stylize', content, kandinsky, '--weights', weights, ...small, '--mask', blackMask, '-o', path.join(folder, 'x.png')),
        /^neural-style: --mask .*black\.png is black all over: nothing would be styled; paint white where the style goes$/,
        folder,
      );
    });
  });
});
