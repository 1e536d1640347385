import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { crc32 } from 'zlib';
import { OFFICIAL_VGG19_WEIGHTS } from '../../../src/engine/weights/official';
import { readImageMetadata } from '../../../src/image/metadata';
import { SETTINGS_KEY } from '../../../src/pipeline/recorded-settings';
import { randomVggWeights, writeKerasWeights } from '../../helpers/random-vgg-weights';
import { DOG, REAL_WEIGHTS, requireShared } from '../../helpers/shared-data';

const CLI = path.resolve(__dirname, '../dist/cli.js');

interface RunOptions {
  /** Added to this process's environment (NEURAL_STYLE_WEIGHTS cleared). */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

function runWith({ env, cwd }: RunOptions, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // The timeout turns a CLI that hangs into a failure: spawnSync would otherwise block mocha's own timeout too.
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', timeout: 30000, cwd, env: { ...process.env, NEURAL_STYLE_WEIGHTS: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const run = (...args: string[]) => runWith({}, ...args);

describe('neural-style CLI', function () {
  this.timeout(60000);
  let dir: string;
  let weights: string;
  let content: string;
  let style: string;
  let tiny: string;
  let huge: string;
  // Small, fast runs with the generated weights (blocks 1-2 only).
  const fast = ['--style-layers', 'block1_conv1,block2_conv1', '--content-layers', 'block2_conv1', '--max-size', '32', '--steps', '3', '--no-multi-scale'];

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is built by scripts/build.mjs`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'ns-cli-'));
    weights = path.join(dir, 'weights.h5');
    await writeKerasWeights(weights, randomVggWeights(5, 'block2_conv2'));
    content = path.join(dir, 'content.png');
    style = path.join(dir, 'style.jpg');
    tiny = path.join(dir, 'tiny.png');
    huge = path.join(dir, 'huge.png');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#4080c0' } }).png().toFile(content);
    await sharp({ create: { width: 24, height: 24, channels: 3, background: '#c04020' } }).jpeg().toFile(style);
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#c04020' } }).png().toFile(tiny);
    // 100 megapixels each, 3 MB as a PNG: the default limit lets one through, not three decoded whole.
    await sharp({ create: { width: 9990, height: 9990, channels: 3, background: '#20c040' } }).png({ compressionLevel: 1 }).toFile(huge);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stylizes into the output file and records the settings in it', () => {
    const out = path.join(dir, 'out.png');
    const r = run('stylize', content, style, '-o', out, '--weights', weights, '--backend', 'wasm', '--seed', '7', ...fast);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*out\.png: 32x24, 3 steps in \d+s on wasm\n$/);
    assert.ok(r.stderr.startsWith(`weights: ${weights}\n`), r.stderr);
    return readImageMetadata(out).then((meta) => {
      const recorded = JSON.parse(meta[SETTINGS_KEY]);
      assert.equal(recorded.options.seed, 7);
      assert.deepEqual(recorded.options.styleLayers, ['block1_conv1', 'block2_conv1']);
      assert.deepEqual(recorded.styles, ['style.jpg']);
    });
  });

  it('picks a free name beside the content when no output is given', () => {
    const first = run('stylize', content, style, '--weights', weights, '-q', ...fast);
    const second = run('stylize', content, style, '--weights', weights, '-q', ...fast);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(second.status, 0, second.stderr);
    assert.doesNotMatch(first.stderr, /weights:/, 'quiet');
    assert.ok(existsSync(path.join(dir, 'content.style.stylized.png')));
    assert.ok(existsSync(path.join(dir, 'content.style.stylized-1.png')));
  });

  /**
   * A user error: status 2, one line naming the problem, no stack trace, no output file. Progress lines may come
   * before it: the weights used, or a download that is being started.
   */
  function refuses(args: string[], message: RegExp, out = path.join(dir, 'refused.png'), how: RunOptions = {}): void {
    const r = runWith(how, ...args, '-o', out);
    assert.equal(r.status, 2, `status ${r.status}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !/^(weights: |downloading the VGG19 weights )/.test(l));
    assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
    assert.match(lines[0], message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.ok(!existsSync(out) || out === path.join(dir, 'exists.png'), 'no output file');
  }

  it('refuses a missing content file', () => {
    refuses(['stylize', path.join(dir, 'nope.png'), style, '--weights', weights, ...fast], /image file not found: .*nope\.png/);
  });

  it('refuses a folder given as an image', () => {
    const folder = path.join(dir, 'folder.png');
    mkdirSync(folder, { recursive: true });
    refuses(['stylize', content, folder, '--weights', weights, ...fast], /folder\.png/);
  });

  it('refuses endless inputs at once: a device as content, a named pipe as style', function () {
    if (process.platform === 'win32') this.skip();
    refuses(
      ['stylize', '/dev/zero', style, '--weights', weights, ...fast],
      /^neural-style: cannot read image \/dev\/zero: it is a character device, not a file; give the path of an image file$/,
    );
    const fifo = path.join(dir, 'pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    refuses(['stylize', content, fifo, '--weights', weights, ...fast], /cannot read image .*pipe\.jpg: it is a named pipe \(FIFO\), not a file/);
  });

  it('refuses a job whose images would decode to over 100 megapixels in all, from their headers alone', () => {
    // Headers claiming 9000x9000 and 6000x6000 over 1 pixel of data: decoding would fail as corrupt instead.
    const claim = (name: string, width: number, height: number) => {
      const png = Buffer.from(readFileSync(tiny));
      png.writeUInt32BE(width, 16);
      png.writeUInt32BE(height, 20);
      png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
      const file = path.join(dir, name);
      writeFileSync(file, png);
      return file;
    };
    const big = claim('big-content.png', 9000, 9000);
    const large = claim('large-style.png', 6000, 6000);
    refuses(
      ['stylize', big, large, '--weights', weights, ...fast, '--max-size', '8192'],
      /^neural-style: the images of this job would take 117,000,000 pixels decoded \(.*big-content\.png 9000x9000, .*large-style\.png 6000x6000\), over the limit of 100,000,000 for one job; use smaller images, fewer styles or a smaller output size$/,
    );
  });

  it('stylizes with three 9990x9990 styles, decoding them shrunk to what a small output needs', () => {
    const out = path.join(dir, 'three-huge.png');
    const r = run('stylize', content, huge, huge, huge, '-o', out, '--weights', weights, '-q', ...fast);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*three-huge\.png: 32x24, 3 steps/);
  });

  it('refuses a file that is not an image', () => {
    const text = path.join(dir, 'notes.jpg');
    writeFileSync(text, 'just some text, not a picture');
    refuses(['stylize', text, style, '--weights', weights, ...fast], /notes\.jpg.*(not an image|unsupported|not a supported)/i);
  });

  it('refuses a weights file that is not HDF5, and a truncated one', () => {
    const bad = path.join(dir, 'bad.h5');
    writeFileSync(bad, 'not hdf5');
    refuses(['stylize', content, style, '--weights', bad, ...fast], /weights file .*bad\.h5/);
    const cut = path.join(dir, 'cut.h5');
    writeFileSync(cut, readFileSync(weights).subarray(0, 100000));
    refuses(['stylize', content, style, '--weights', cut, ...fast], /weights file .*cut\.h5/);
  });

  it('refuses a missing weights file', () => {
    refuses(['stylize', content, style, '--weights', path.join(dir, 'none.h5'), ...fast], /weights file not found: .*none\.h5/);
  });

  it('refuses an unknown layer, and one the weights file lacks, naming it', () => {
    refuses(['stylize', content, style, '--weights', weights, ...fast, '--style-layers', 'block9_conv1'], /--style-layers has an unknown layer "block9_conv1"/);
    refuses(['stylize', content, style, '--weights', weights, ...fast, '--content-layers', 'block3_conv1'], /has no layer block3_conv1/);
  });

  it('refuses out-of-range and malformed numbers, naming the flag and the range', () => {
    refuses(['stylize', content, style, '--weights', weights, ...fast, '--steps', '0'], /--steps must be an integer from 1 to 100000, got 0/);
    refuses(['stylize', content, style, '--weights', weights, ...fast, '--style-weight', '-1'], /--style-weight must be a number from 0 to/);
    refuses(['stylize', content, style, '--weights', weights, ...fast, '--max-size', 'big'], /--max-size must be an integer/);
    refuses(['stylize', content, style, '--weights', weights, ...fast, '--optimizer', 'sgd'], /--optimizer.*sgd.*adam, lbfgs/);
  });

  describe('the weights cache', () => {
    // No weights file given, and no per-user cache unless a test sets one.
    const noCache = { HOME: '', XDG_CACHE_HOME: '', NEURAL_STYLE_CACHE: '' };
    let cwd: string;
    beforeEach(() => {
      cwd = mkdtempSync(path.join(os.tmpdir(), 'ns-cli-cwd-'));
    });
    afterEach(() => rmSync(cwd, { recursive: true, force: true }));

    it('refuses a cache relative to the current folder, where a planted file would have been loaded', () => {
      const planted = path.join(cwd, '.cache', 'neural-style', OFFICIAL_VGG19_WEIGHTS.fileName);
      mkdirSync(path.dirname(planted), { recursive: true });
      writeFileSync(planted, '');
      truncateSync(planted, OFFICIAL_VGG19_WEIGHTS.size);
      const out = path.join(cwd, 'out.png');
      const args = ['stylize', content, style, ...fast];
      refuses(args, /^neural-style: the weights cache folder would be "\.cache\/neural-style", relative to the current folder, since HOME is ""; set HOME or NEURAL_STYLE_CACHE to an absolute folder$/, out, { cwd, env: noCache });
      refuses(args, /^neural-style: NEURAL_STYLE_CACHE must be an absolute folder, got "\.cache"; set it to a full path$/, out, { cwd, env: { ...noCache, NEURAL_STYLE_CACHE: '.cache' } });
      refuses([...args, '--cache-dir', '.cache'], /^neural-style: --cache-dir must be an absolute folder, got "\.cache"; give its full path$/, out, { cwd, env: noCache });
      assert.deepEqual(readdirSync(path.dirname(planted)), [OFFICIAL_VGG19_WEIGHTS.fileName], 'nothing written beside it');
      assert.deepEqual(readdirSync(cwd), ['.cache']);
    });

    it('fails at once, naming the folder, for a cache under /proc (where mkdir -p spins forever)', function () {
      if (process.platform !== 'linux') this.skip();
      const started = Date.now();
      refuses(
        ['stylize', content, style, ...fast],
        /^neural-style: cannot create the weights cache folder \/proc\/neural-style: ENOENT: .*; set NEURAL_STYLE_CACHE to another folder$/,
        path.join(cwd, 'out.png'),
        { cwd, env: { ...noCache, NEURAL_STYLE_CACHE: '/proc/neural-style' } },
      );
      assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
      assert.deepEqual(readdirSync(cwd), []);
    });
  });

  it('refuses to overwrite an existing output unless --overwrite', () => {
    const out = path.join(dir, 'exists.png');
    writeFileSync(out, 'keep me');
    refuses(['stylize', content, style, '--weights', weights, ...fast], /exists\.png already exists; .*--overwrite/, out);
    assert.equal(readFileSync(out, 'utf8'), 'keep me');
    const r = run('stylize', content, style, '--weights', weights, '-q', ...fast, '-o', out, '--overwrite');
    assert.equal(r.status, 0, r.stderr);
    assert.notEqual(readFileSync(out, 'utf8'), 'keep me');
  });

  it('inspect prints per-layer statistics as JSON', function () {
    requireShared(this, REAL_WEIGHTS, DOG);
    const r = run('inspect', DOG, '--weights', REAL_WEIGHTS, '--layers', 'block1_conv1,block3_conv1', '--gram', '--json');
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.deepEqual(rows.map((x: { layer: string; shape: number[] }) => [x.layer, x.shape]), [['block1_conv1', [1, 64, 64]], ['block3_conv1', [1, 256, 256]]]);
    // The tutorial's Gram means of the dog photo, within 2%.
    assert.ok(Math.abs(rows[0].mean / 263.79022 - 1) < 0.02);
    assert.ok(Math.abs(rows[1].mean / 7660.976 - 1) < 0.02);
  });

  it('inspect refuses a layer the weights file lacks', () => {
    const r = run('inspect', content, '--weights', weights, '--layers', 'block4_conv1');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /has no layer block3_conv1, which block4_conv1 is computed through/);
  });

  describe('--method fast', () => {
    /** No weights anywhere: the fast method must not need them (a download would fail offline, and take minutes). */
    function runFast(...args: string[]) {
      const r = spawnSync(process.execPath, [CLI, 'stylize', content, style, '--method', 'fast', ...args], {
        encoding: 'utf8', env: { ...process.env, NEURAL_STYLE_WEIGHTS: '', NEURAL_STYLE_CACHE: path.join(dir, 'empty-cache') },
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    }

    it('makes the picture with the shipped nets, no weights, and records the method and strength', async () => {
      const out = path.join(dir, 'fast.png');
      const r = runFast('--max-size', '64', '--style-strength', '0.7', '-o', out);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^wrote .*fast\.png: 64x48, the fast method in [\d.]+ s on onnx\n$/);
      assert.doesNotMatch(r.stderr, /weights|download/);
      const recorded = JSON.parse((await readImageMetadata(out))[SETTINGS_KEY]);
      assert.equal(recorded.options.method, 'fast');
      assert.equal(recorded.options.styleStrength, 0.7);
      assert.deepEqual([(await sharp(out).metadata()).width, (await sharp(out).metadata()).height], [64, 48]);
    });

    it('strength 0 and 1 give different pictures', async () => {
      const [zero, one] = [path.join(dir, 's0.png'), path.join(dir, 's1.png')];
      assert.equal(runFast('--max-size', '48', '--style-strength', '0', '-o', zero).status, 0);
      assert.equal(runFast('--max-size', '48', '--style-strength', '1', '-o', one).status, 0);
      const pixels = async (f: string) => sharp(f).raw().toBuffer();
      const [a, b] = [await pixels(zero), await pixels(one)];
      const differing = a.reduce((n, v, i) => n + (Math.abs(v - b[i]) > 8 ? 1 : 0), 0);
      assert.ok(differing > a.length / 4, `only ${differing} of ${a.length} values differ`);
    });

    it('refuses options the method does not use, and sizes it cannot make whole', () => {
      refuses(['stylize', content, style, '--method', 'fast', '--steps', '4'], /^neural-style: --steps is not used by --method fast; leave it out$/);
      refuses(['stylize', content, style, '--weights', weights, '--style-strength', '0.5'], /--style-strength is not used by --method optimize/);
      refuses(['stylize', content, style, '--method', 'fast', '--max-size', '5000'], /the fast method makes pictures up to 4096 px on the longer side; choose --max-size 4096 or less, not 5000/);
      // A square picture at 4096 px would take 5.7 GB: refused before the nets load, with the largest size that fits.
      refuses(
        ['stylize', style, content, '--method', 'fast', '--max-size', '4096'],
        /^neural-style: .*style\.jpg at --max-size 4096 would be 4096x4096 = 16\.8 megapixels, over the 12\.6 megapixels the fast method makes at most \(its memory grows with the pixels\); choose --max-size 3547 or less$/,
      );
      refuses(['stylize', content, style, '--method', 'fast', '--preview-dir', dir], /--preview-dir is not used by --method fast/);
      refuses(['stylize', content, style, '--method', 'fast', '--weights', weights], /^neural-style: --weights is not used by --method fast; leave it out$/);
      refuses(['stylize', content, style, '--method', 'fast', '--cache-dir', dir], /^neural-style: --cache-dir is not used by --method fast; leave it out$/);
    });
  });
});
