import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import {
  chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync,
  symlinkSync, utimesSync, writeFileSync,
} from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { FAST_NET_FILES } from '../../../src/engine/fast/fast-nets';
import { randomVggWeights, writeKerasWeights } from '../../helpers/random-vgg-weights';

const CLI = path.resolve(__dirname, '../dist/cli.js');
const REPO = path.resolve(__dirname, '..');
const env = { ...process.env, NEURAL_STYLE_WEIGHTS: '' };
/** Running as root, permissions do not stop this process: the cases that need them run the CLI as nobody. */
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { uid?: number; gid?: number } = {}, cli = CLI): Ran {
  // The timeout turns a CLI that hangs into a failure (status null), even one stuck where SIGTERM cannot stop it.
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env, timeout: 60000, killSignal: 'SIGKILL', ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the CLI; `until` resolves when stderr has printed a line matching, `done` when it exits. */
function start(args: string[]): { child: ChildProcess; until: (re: RegExp) => Promise<void>; done: Promise<Ran> } {
  const child = spawn(process.execPath, [CLI, ...args], { env });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr += d;
    for (const w of waiters.filter((w) => w.re.test(stderr))) w.resolve();
  });
  const done = new Promise<Ran>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  const until = (re: RegExp) => (re.test(stderr) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ re, resolve })));
  return { child, until, done };
}

/** A user error: status 2 and one line naming the problem, without a stack trace. */
function refused(r: Ran, message: RegExp): void {
  assert.equal(r.status, 2, `status ${r.status}: ${r.stderr}`);
  // What the run loads is said on lines of their own; the problem is one line.
  const lines = r.stderr.trimEnd().split('\n').filter((l) => !/^(weights|backend): /.test(l));
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0], /^neural-style: /);
  assert.match(lines[0], message);
}

describe('the CLI against hostile input', function () {
  this.timeout(120000);
  let dir: string;
  let weights: string;
  let content: string;
  let style: string;
  // Small, fast runs with the generated weights of blocks 1-2.
  const fast = () => ['--weights', weights, '--style-layers', 'block1_conv1,block2_conv1', '--content-layers', 'block2_conv1', '--max-size', '32', '--steps', '3'];
  /** Every file in the folder, hidden ones too: what a run left behind. */
  const files = (d = dir) => readdirSync(d).sort();

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ns-hostile-'));
    chmodSync(dir, 0o777);
    weights = path.join(dir, 'weights.h5');
    await writeKerasWeights(weights, randomVggWeights(5, 'block2_conv2'));
    content = path.join(dir, 'c.png');
    style = path.join(dir, 's.jpg');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#4080c0' } }).png().toFile(content);
    await sharp({ create: { width: 24, height: 24, channels: 3, background: '#c04020' } }).jpeg().toFile(style);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('--preview-dir', () => {
    it('a preview folder that is a file, or cannot be written, is refused before the work', () => {
      const file = path.join(dir, 'previews');
      writeFileSync(file, 'x');
      refused(run(['stylize', content, style, ...fast(), '--preview-dir', file]), /cannot write previews into .*previews: /);
      const ro = path.join(dir, 'ro');
      mkdirSync(ro, { mode: 0o555 });
      chmodSync(ro, 0o555);
      refused(run(['stylize', content, style, ...fast(), '--preview-dir', ro], asNobody), /cannot write previews into .*ro: permission denied/);
      assert.deepEqual(files(), ['c.png', 'previews', 'ro', 's.jpg', 'weights.h5'], 'no result was written');
    });

    it('a preview folder that goes away mid-run stops the previews with a note, and the result is still written', async () => {
      const previews = path.join(dir, 'previews');
      const out = path.join(dir, 'out.png');
      const r = start(['stylize', content, style, ...fast(), '--steps', '100000', '--preview-interval', '0.5', '--preview-dir', previews, '-o', out]);
      await r.until(/step \d+\/100000/);
      while (!readdirSync(previews).some((f) => f.endsWith('.png'))) await new Promise((res) => setTimeout(res, 20));
      rmSync(previews, { recursive: true });
      writeFileSync(previews, 'now a file');
      await r.until(/note: previews stopped/);
      r.child.kill('SIGINT');
      const ran = await r.done;
      assert.equal(ran.status, 130, ran.stderr);
      assert.match(ran.stderr, /note: previews stopped: cannot write .*previews/);
      assert.match(ran.stdout, /^wrote .*out\.png: .*\(stopped early: the best image so far\)/);
    });
  });

  it('runs side by side in one folder each keep their picture under its own name', async () => {
    const runs = [1, 2, 3, 4].map(() => start(['stylize', content, style, ...fast(), '-q']).done);
    for (const r of await Promise.all(runs)) assert.equal(r.status, 0, r.stderr);
    const results = files().filter((f) => f.startsWith('c.s.stylized'));
    assert.deepEqual(results, ['c.s.stylized-1.png', 'c.s.stylized-2.png', 'c.s.stylized-3.png', 'c.s.stylized.png']);
    assert.ok(!files().some((f) => f.endsWith('.tmp')));
  });

  it('a style image too small for the deepest style layer is refused on every backend, naming it and the minimum', async () => {
    const thin = path.join(dir, 'thin.png');
    await sharp({ create: { width: 300, height: 1, channels: 3, background: '#808080' } }).png().toFile(thin);
    for (const backend of ['onnx', 'wasm', 'cpu']) {
      refused(run(['stylize', content, thin, ...fast(), '--backend', backend]), /style image .*thin\.png is too small for block2_conv1: scaled to 32x1 px it must be at least 2 px on each side/);
    }
    refused(run(['stylize', thin, style, ...fast()]), /thin\.png is too small for block2_conv1: at 32x1 px .* at least 2 px on each side/);
  });

  describe('the output', () => {
    it('whose parent is a file, or a missing folder, is refused before the work', () => {
      refused(run(['stylize', content, style, ...fast(), '-o', path.join(content, 'out.png')]), /cannot write into .*c\.png: /);
      refused(run(['stylize', content, style, ...fast(), '-o', path.join(dir, 'newdir') + '/']), /output folder does not exist: .*newdir/);
      assert.ok(!existsSync(path.join(dir, 'newdir')));
    });

    it('in a read-only folder is refused before the work', () => {
      const ro = path.join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      refused(run(['stylize', content, style, ...fast(), '-o', path.join(ro, 'out.png')], asNobody), /cannot write into .*ro: permission denied/);
    });

    it('that is a dangling symbolic link is refused and left alone', () => {
      const link = path.join(dir, 'link.png');
      symlinkSync(path.join(dir, 'nowhere.png'), link);
      refused(run(['stylize', content, style, ...fast(), '-o', link]), /link\.png already exists; choose another name or pass --overwrite/);
      assert.ok(!existsSync(path.join(dir, 'nowhere.png')), 'the link was not followed');
    });

    it('that is a folder gets the default name inside it', () => {
      const folder = path.join(dir, 'results');
      mkdirSync(folder);
      const r = run(['stylize', content, style, ...fast(), '-o', folder]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(files(folder), ['c.s.stylized.png']);
    });

    it('named by -o as long as a file system takes is written; one byte more, or none, is refused before the work', () => {
      const longest = path.join(dir, `${'o'.repeat(251)}.png`);
      const r = run(['stylize', content, style, ...fast(), '-q', '-o', longest]);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(existsSync(longest));
      refused(run(['stylize', content, style, ...fast(), '-o', path.join(dir, `${'o'.repeat(252)}.png`)]), /^neural-style: the file name of -o is 256 bytes long, over the 255 a file system takes; choose a shorter name$/);
      refused(run(['stylize', content, style, ...fast(), '-o', '']), /^neural-style: -o is empty; give a file name \(\.png, \.jpg, \.webp\) or a folder$/);
      assert.deepEqual(files(), [path.basename(longest), 'c.png', 's.jpg', 'weights.h5'].sort());
    });

    it('named by default after a long content name or many styles is shortened to fit, numbered if taken', async () => {
      const long = path.join(dir, `${'é'.repeat(118)}.png`);
      await sharp(content).toFile(long);
      for (let i = 0; i < 2; i++) assert.equal(run(['stylize', long, style, ...fast(), '-q']).status, 0);
      const styles = Array.from({ length: 20 }, (_, i) => path.join(dir, `a-style-image-with-a-long-name-${i}.jpg`));
      for (const s of styles) writeFileSync(s, readFileSync(style));
      const r = run(['stylize', content, ...styles, ...fast(), '-q']);
      assert.equal(r.status, 0, r.stderr);
      const results = files().filter((f) => f.includes('.stylized'));
      assert.equal(results.length, 3, results.join('\n'));
      assert.ok(results.some((f) => /^é+~\.s\.stylized\.png$/.test(f)));
      assert.ok(results.some((f) => /^é+~\.s\.stylized-1\.png$/.test(f)));
      assert.ok(results.some((f) => /^c\.a-style-image-with-a-long-name-0\+.*~\.stylized\.png$/.test(f)));
      assert.ok(!files().some((f) => f.endsWith('.tmp')));
    });

    it('refuses --quality for a PNG, which is lossless, and takes it for a JPEG', () => {
      refused(run(['stylize', content, style, ...fast(), '--quality', '50', '-o', path.join(dir, 'q.png')]), /^neural-style: --quality is not used by PNG output/);
      refused(run(['stylize', content, style, ...fast(), '--quality', '50']), /^neural-style: --quality is not used by PNG output/);
      assert.equal(run(['stylize', content, style, ...fast(), '-q', '--quality', '50', '-o', path.join(dir, 'q.jpg')]).status, 0);
      assert.deepEqual(files().filter((f) => f.startsWith('q.') || f.includes('stylized')), ['q.jpg']);
    });

    it('takes its format from its name, and refuses a name and --format that disagree', () => {
      const jpg = path.join(dir, 'out.JPG');
      assert.equal(run(['stylize', content, style, ...fast(), '-o', jpg]).status, 0);
      assert.deepEqual([...readFileSync(jpg).subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG bytes');
      refused(run(['stylize', content, style, ...fast(), '-o', path.join(dir, 'a.png'), '--format', 'jpeg']), /-o .*a\.png names a PNG file but --format is jpeg/);
      refused(run(['stylize', content, style, ...fast(), '-o', path.join(dir, 'a.bmp')]), /cannot write \.bmp images/);
      assert.ok(!existsSync(path.join(dir, 'a.png')) && !existsSync(path.join(dir, 'a.bmp')));
    });
  });

  describe('interruptions', () => {
    it('SIGTERM mid-run leaves neither a result nor a partial preview nor a temporary file', async () => {
      const previews = path.join(dir, 'previews');
      const r = start(['stylize', content, style, ...fast(), '--steps', '100000', '--preview-interval', '0.5', '--preview-dir', previews]);
      await r.until(/step \d+\/100000/);
      await new Promise((res) => setTimeout(res, 1200));
      r.child.kill('SIGTERM');
      const ran = await r.done;
      assert.equal(ran.status, 143);
      assert.deepEqual(files(), ['c.png', 'previews', 's.jpg', 'weights.h5']);
      for (const f of files(previews)) {
        assert.match(f, /^preview-\d{4}-step\d+\.png$/, 'no temporary file');
        assert.ok(statSync(path.join(previews, f)).size > 0, `${f} is empty`);
      }
    });

    it('Ctrl-C before the first step writes nothing', async () => {
      // At 768 px the style's targets take long enough to be caught before the first step.
      const r = start(['stylize', content, style, ...fast(), '--max-size', '768', '--tile-size', '768', '--backend', 'onnx']);
      await r.until(/backend: onnx/);
      r.child.kill('SIGINT');
      const ran = await r.done;
      assert.equal(ran.status, 130, ran.stderr);
      assert.match(ran.stdout, /stopped before the first step: nothing written/);
      assert.ok(!files().some((f) => f.includes('stylized')));
    });

    it('removes its own temporary files that a killed writer left in the output folder an hour ago, and no one else\'s', () => {
      const old = path.join(dir, '.neural-style-0123456789abcdef.tmp');
      const fresh = path.join(dir, '.neural-style-fedcba9876543210.tmp');
      const notes = path.join(dir, '.my-notes.txt.0123456789ab.tmp');
      writeFileSync(old, 'partial');
      writeFileSync(fresh, 'being written');
      writeFileSync(notes, 'a user\'s file');
      const hoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
      utimesSync(old, hoursAgo, hoursAgo);
      utimesSync(notes, hoursAgo, hoursAgo);
      assert.equal(run(['stylize', content, style, ...fast(), '-q']).status, 0);
      assert.ok(!existsSync(old), 'the abandoned one is gone');
      assert.ok(existsSync(fresh), 'a live writer\'s is kept');
      assert.equal(readFileSync(notes, 'utf8'), 'a user\'s file', 'a file that only looks like one is kept');
    });
  });

  describe('a standard output that is closed or full', () => {
    /** Runs the CLI with its standard output closed by the reader before anything is written to it. */
    function readerGone(args: string[]): Promise<Ran> {
      const r = start(args);
      r.child.stdout!.destroy();
      return r.done;
    }

    it('is no failure when the reader leaves: the work is done, status 0, no stack', async () => {
      const out = path.join(dir, 'out.png');
      const stylized = await readerGone(['stylize', content, style, ...fast(), '-o', out]);
      assert.equal(stylized.status, 0, stylized.stderr);
      assert.doesNotMatch(stylized.stderr, /EPIPE|\n\s+at /);
      assert.ok(existsSync(out));
      for (const json of [[], ['--json']]) {
        const inspected = await readerGone(['inspect', content, '--weights', weights, '--layers', 'block1_conv1,block2_conv1', '--max-size', '32', ...json]);
        assert.equal(inspected.status, 0, inspected.stderr);
        assert.doesNotMatch(inspected.stderr, /EPIPE|\n\s+at /);
      }
    });

    it('that is full is said in one line; the picture is still written', function () {
      if (!existsSync('/dev/full')) this.skip();
      const out = path.join(dir, 'out.png');
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [CLI, 'stylize', content, style, ...fast(), '-q', '-o', out], { env, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
        refused({ status: r.status, stdout: '', stderr: r.stderr }, /^neural-style: cannot write to the standard output: the disk is full$/);
      } finally {
        closeSync(full);
      }
      assert.ok(existsSync(out));
    });
  });

  describe('messages', () => {
    it('name the flag and what was typed', () => {
      refused(run(['stylize', content, style, ...fast(), '--style-weight', 'abc']), /--style-weight must be a number from 0 to \d+, got "abc"/);
      refused(run(['stylize', content, style, ...fast(), '--steps', '0x10']), /--steps must be an integer from 1 to 100000, got "0x10"/);
      refused(
        run(['stylize', content, style, style, ...fast(), '--style-blend-weights', 'NaN,1']),
        /^neural-style: --style-blend-weights has an entry that must be a number from 0 to 1000000, got "NaN" \(in "NaN,1"\)$/,
      );
      refused(run(['stylize', content, style, style, ...fast(), '--style-blend-weights', '1,1e999']), /got "1e999" \(in "1,1e999"\)$/);
      refused(run(['inspect', content, '--weights', weights, '--max-size', '0x40']), /^neural-style: --max-size must be an integer from 16 to 8192, got "0x40"$/);
      refused(run(['stylize', content, style, ...fast(), '--style-blend-weights', '1,2']), /^neural-style: --style-blend-weights has 2 entries but 1 style image was given$/);
      refused(run(['stylize', content, style, ...fast(), '--style-layer-weights', '1']), /--style-layer-weights has 1 entry but --style-layers has 2 layers/);
      refused(run(['stylize', content, style, ...fast(), '--weights', '']), /^neural-style: --weights is empty; give a weights file \(\.h5\)$/);
      refused(run(['stylize', content, style, ...fast(), '--preview-dir', ' ']), /^neural-style: --preview-dir is empty; give a folder$/);
      refused(run(['inspect', content, '--cache-dir', '']), /^neural-style: --cache-dir is empty; give a folder$/);
      const r = run(['stylize', content, style, '--bogus']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^neural-style: unknown option '--bogus'/);
    });

    it('show control characters in names escaped, on the one line of an error and in what a run prints', () => {
      // A name that would turn the terminal red and break the message in two.
      const hostile = path.join(dir, 'red\x1b[31m\nline.png');
      refused(run(['stylize', hostile, style, ...fast()]), /^neural-style: image file not found: .*red\\x1b\[31m\\nline\.png$/);
      refused(run(['stylize', content, style, ...fast(), '--backend', 'x\x1b[2J']), /^neural-style: option .* argument 'x\\x1b\[2J' is invalid/);
      const out = path.join(dir, 'out\u202e\r.png');
      const ran = run(['stylize', content, style, ...fast(), '-o', out]);
      assert.equal(ran.status, 0, ran.stderr);
      assert.match(ran.stdout, /^wrote .*out\\u202e\\r\.png: 32x24, /);
      assert.equal(ran.stdout.split('\n').length, 2, ran.stdout);
      assert.ok(existsSync(out), 'the file has its real name');
    });

    it('explain a name that is not UTF-8 instead of calling the file missing', function () {
      // Node.js decodes arguments as UTF-8, so the shell passes the Latin-1 byte that Node.js cannot give back.
      if (process.platform !== 'linux') this.skip();
      writeFileSync(Buffer.from(path.join(dir, 'caf\xe9.png'), 'latin1'), readFileSync(content));
      const r = spawnSync('/bin/sh', ['-c', `exec "$0" "$1" stylize "$(printf '%s/caf\\351.png' "$2")" "$3" --max-size 32`, process.execPath, CLI, dir, style], {
        encoding: 'utf8', env, timeout: 60000,
      });
      refused(
        { status: r.status, stdout: r.stdout, stderr: r.stderr },
        /^neural-style: image file not found: .*caf\ufffd\.png \(\ufffd stands for bytes of the name that are not UTF-8, which this program cannot open; rename the file\)$/,
      );
    });
  });

  describe('inputs (by the shipped fast nets)', () => {
    const fastMethod = ['--method', 'fast', '--max-size', '64'];

    it('says when only the first frame of an animated style or the first page of a TIFF is used', async () => {
      // Three 64x64 frames: red, green, blue.
      const strip = Buffer.alloc(64 * 192 * 3);
      for (let i = 0; i < 64 * 192; i++) strip[i * 3 + Math.floor(i / (64 * 64))] = 255;
      const frames = () => sharp(strip, { raw: { width: 64, height: 192, channels: 3, pageHeight: 64 } });
      const [gif, webp, tiff] = [path.join(dir, 'anim.gif'), path.join(dir, 'anim.webp'), path.join(dir, 'pages.tif')];
      await frames().gif().toFile(gif);
      await frames().webp().toFile(webp);
      await frames().tiff().toFile(tiff);
      const out = path.join(dir, 'out.png');
      // An animated content is made whole (see the animations' tests); a style is one picture.
      const r = run(['stylize', tiff, gif, webp, ...fastMethod, '-o', out]);
      assert.equal(r.status, 0, r.stderr);
      const notes = r.stderr.split('\n').filter((l) => l.startsWith('note: '));
      assert.deepEqual(notes, [
        `note: ${tiff} has 3 pages: only its first page is used`,
        `note: ${gif} is an animation of 3 frames: only its first frame is used`,
        `note: ${webp} is an animation of 3 frames: only its first frame is used`,
      ]);
      assert.equal((await sharp(out).metadata()).width, 64);
      const still = run(['stylize', content, style, ...fastMethod, '-o', path.join(dir, 'still.png')]);
      assert.equal(still.status, 0, still.stderr);
      assert.doesNotMatch(still.stderr, /note: /);
    });

    it('says that a transparent content written as JPEG is flattened onto white, and keeps it in PNG', async () => {
      const clear = path.join(dir, 'clear.png');
      await sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0 } } }).png().toFile(clear);
      const jpeg = run(['stylize', clear, style, ...fastMethod, '-o', path.join(dir, 'out.jpg')]);
      assert.equal(jpeg.status, 0, jpeg.stderr);
      assert.match(jpeg.stderr, /^note: .*clear\.png is transparent, and JPEG cannot be: the picture is flattened onto white \(PNG and WebP keep the transparency\)$/m);
      const png = run(['stylize', clear, style, ...fastMethod, '-o', path.join(dir, 'out.png')]);
      assert.equal(png.status, 0, png.stderr);
      assert.doesNotMatch(png.stderr, /flattened/);
      assert.equal((await sharp(path.join(dir, 'out.png')).metadata()).hasAlpha, true);
    });

    it('takes a 12000x12000 photo for a small output, counting the pixels decoded rather than its own', async function () {
      this.timeout(180000);
      const photo = path.join(dir, 'photo.jpg');
      // Grey and without optimised coding: the cheapest 144-megapixel JPEG to make. Decoding it shrinks while loading.
      await sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#808080' } })
        .toColourspace('b-w').jpeg({ optimiseCoding: false, quality: 50 }).toFile(photo);
      const out = path.join(dir, 'out.png');
      const r = run(['stylize', photo, style, '--method', 'fast', '--max-size', '512', '-o', out]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^wrote .*out\.png: 512x512, /);

      // inspect decodes it shrunk as well: its peak memory is that of a small image, not 144 megapixels.
      const rss = path.join(dir, 'rss.js');
      writeFileSync(rss, "process.on('exit', () => process.stderr.write(`peak RSS ${process.resourceUsage().maxRSS} kB\\n`));");
      const inspected = spawnSync(process.execPath, ['-r', rss, CLI, 'inspect', photo, '--weights', weights, '--layers', 'block1_conv1', '--max-size', '64', '--json'], {
        encoding: 'utf8', env, timeout: 60000,
      });
      assert.equal(inspected.status, 0, inspected.stderr);
      assert.deepEqual(JSON.parse(inspected.stdout)[0].shape, [1, 64, 64, 64]);
      const peak = Number(/peak RSS (\d+) kB/.exec(inspected.stderr)?.[1]);
      assert.ok(peak < 600 * 1024, `inspect peaked at ${peak} kB`);
    });

    it('says when no size makes an image thick enough, and asks for a larger size when one does', async () => {
      const thin = path.join(dir, 'thin.png');
      await sharp({ create: { width: 1, height: 5000, channels: 3, background: '#808080' } }).png().toFile(thin);
      const tooThin = /^neural-style: .*thin\.png is 1x5000 px, too thin for the fast method at any size: it must be at least 5 px on each side, and even at 4096 px on its longer side it is 1x4096; crop it to a less elongated shape$/;
      refused(run(['stylize', thin, style, '--method', 'fast']), tooThin);
      refused(run(['stylize', thin, style, ...fast()]), /thin\.png is 1x5000 px, too thin for block2_conv1 at any size: .* even at 4096 px on its longer side it is 1x4096; crop it/);
      const narrow = path.join(dir, 'narrow.png');
      await sharp({ create: { width: 8, height: 2000, channels: 3, background: '#808080' } }).png().toFile(narrow);
      refused(run(['stylize', narrow, style, '--method', 'fast']), /narrow\.png is too small for the fast method: at 2x512 px it must be at least 5 px on each side; choose a larger size$/);
    });

    it('quiet prints nothing but the result', () => {
      const r = run(['stylize', content, style, ...fastMethod, '-q', '-o', path.join(dir, 'quiet.png')]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^wrote .*quiet\.png: /);
    });
  });

  describe("fast mode's nets", () => {
    /** The ONNX file an installation's nets are damaged at: the whole transformer. */
    const REPLACED = FAST_NET_FILES.transformer.onnx[0];

    /** An installation of the built CLI whose whole transformer is replaced by `replace`. */
    function installation(replace: (file: string) => void): string {
      const root = path.join(dir, 'installed');
      const nets = path.join(root, 'dist', 'fast');
      mkdirSync(nets, { recursive: true });
      copyFileSync(CLI, path.join(root, 'dist', 'cli.js'));
      symlinkSync(realpathSync(path.join(REPO, 'node_modules')), path.join(root, 'node_modules'));
      const built = path.join(REPO, 'dist', 'fast');
      for (const { file } of [...FAST_NET_FILES.predictor.onnx, ...FAST_NET_FILES.transformer.onnx]) {
        if (file !== REPLACED.file) copyFileSync(path.join(built, file), path.join(nets, file));
      }
      replace(path.join(nets, REPLACED.file));
      return path.join(root, 'dist', 'cli.js');
    }

    it('refuses a net replaced by a named pipe or a device at once, rather than waiting or reading forever', function () {
      if (process.platform !== 'linux') this.skip();
      const args = ['stylize', content, style, '--method', 'fast', '--max-size', '32'];
      const fifo = installation((file) => execFileSync('mkfifo', [file]));
      refused(run(args, {}, fifo), /^neural-style: cannot read fast mode's net .*style_transfer\.onnx: it is a named pipe \(FIFO\), not a file; reinstall Neural Style to restore the nets it ships$/);
      rmSync(path.join(dir, 'installed'), { recursive: true });
      const zero = installation((file) => symlinkSync('/dev/zero', file));
      refused(run(args, {}, zero), /^neural-style: cannot read fast mode's net .*style_transfer\.onnx: it is a character device, not a file; reinstall/);
      assert.ok(!files().some((f) => f.includes('stylized')), 'nothing written');
    });

    it('refuses a net whose bytes are not those the build made, naming it', () => {
      rmSync(path.join(dir, 'installed'), { recursive: true, force: true });
      const damaged = installation((file) => {
        const bytes = readFileSync(path.join(REPO, 'dist', 'fast', REPLACED.file));
        bytes[bytes.length - 7] ^= 1; // a bit of a weight: it still loads, the picture would be wrong
        writeFileSync(file, bytes);
      });
      const sha = REPLACED.sha256;
      refused(run(['stylize', content, style, '--method', 'fast', '--max-size', '32'], {}, damaged),
        new RegExp(`^neural-style: .*style_transfer\\.onnx is not the net fast mode ships: its sha256 is [0-9a-f]{64}, not ${sha} \\(damaged or replaced\\)$`));
      rmSync(path.join(dir, 'installed'), { recursive: true });
    });
  });
});

