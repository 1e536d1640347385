import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';

const CLI = path.resolve(__dirname, '../dist/cli.js');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000, env: { ...process.env, NEURAL_STYLE_WEIGHTS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('neural-style stylize FOLDER', function () {
  this.timeout(90000);
  let dir: string;
  let style: string;
  const fast = ['--method', 'fast', '--max-size', '32'];
  const png = (file: string, shade: number) =>
    sharp({ create: { width: 24, height: 16, channels: 3, background: { r: shade, g: 80, b: 160 } } }).png().toFile(file);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ns-cli-folder-'));
    style = path.join(dir, 'style.png');
    await png(style, 200);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function photos(name: string): Promise<string> {
    const root = path.join(dir, name);
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    await png(path.join(root, 'dog.png'), 10);
    await png(path.join(root, 'cat.jpg'), 20);
    await png(path.join(root, 'sub', 'bird.png'), 30);
    writeFileSync(path.join(root, 'notes.txt'), 'a shopping list');
    writeFileSync(path.join(root, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\n and then nothing', 'latin1'));
    return root;
  }

  it('writes each image beside the folder, lists the skipped and failed ones, and exits 1 for a failure', async () => {
    const root = await photos('photos');
    const r = run('stylize', root, style, ...fast);
    assert.equal(r.status, 1, r.stderr);
    const out = path.join(dir, 'photos.style.stylized');
    assert.deepEqual(readdirSync(out).sort(), ['cat.png', 'dog.png']);
    assert.equal(r.stdout, [
      `wrote 2 of 3 images into ${out} by the fast method in ${/in (\d+s)\n/.exec(r.stdout)?.[1]}`,
      'left out 1 sub-folder (--recursive goes into them)',
      'skipped 1:',
      '  notes.txt: not an image',
      'failed 1:',
      `  broken.png: ${/ {2}broken\.png: (.*)\n/.exec(r.stdout)?.[1]}`,
      '',
    ].join('\n'));
    assert.match(r.stdout, /broken\.png: broken\.png is corrupt/);
    assert.match(r.stderr, /^1\/3 broken\.png\n/m);

    // Again, with -o into a folder of its own and the sub-folders: the names taken before are numbered, never replaced.
    const again = run('stylize', root, style, ...fast, '--recursive', '--format', 'jpeg', '-q', '-o', out);
    assert.equal(again.status, 1, again.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['cat.jpg', 'cat.png', 'dog.jpg', 'dog.png', 'sub']);
    assert.deepEqual(readdirSync(path.join(out, 'sub')), ['bird.jpg']);
    assert.equal(again.stderr, '', 'quiet');
    const third = run('stylize', root, style, ...fast, '-q', '-o', out);
    assert.match(third.stdout, /^wrote 2 of 3 images/);
    assert.ok(existsSync(path.join(out, 'dog-1.png')) && existsSync(path.join(out, 'cat-1.png')));
  });

  it('exits 0 when every image is written, and 2 for a folder without images', async () => {
    const good = path.join(dir, 'good');
    mkdirSync(good);
    await png(path.join(good, 'one.png'), 1);
    writeFileSync(path.join(good, 'readme.md'), '# not an image');
    assert.equal(run('stylize', good, style, ...fast).status, 0);

    const empty = path.join(dir, 'empty');
    mkdirSync(path.join(empty, 'deeper'), { recursive: true });
    writeFileSync(path.join(empty, 'a.txt'), 'text');
    const r = run('stylize', empty, style, ...fast);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `neural-style: ${empty} has no images to stylize (1 file, none an image); --recursive goes into its 1 sub-folder\n`);
    assert.equal(readdirSync(dir).includes('empty.style.stylized'), false, 'no folder of results made');
  });

  it('refuses flags that do not go with a folder, and --recursive with a file', async () => {
    const root = await photos('flags');
    const refusals: Array<[string[], RegExp]> = [
      [['--mask', style], /^neural-style: --mask is not used with a folder to stylize; leave it out\n$/],
      [['-o', path.join(dir, 'out.png')], /-o .*out\.png names an image file; with a folder to stylize, -o names the folder/],
      [['-o', style], /-o .*style\.png is a file/],
      [['--quality', '80'], /--quality is not used by PNG output/],
    ];
    for (const [flags, message] of refusals) {
      const r = run('stylize', root, style, ...fast, ...flags);
      assert.equal(r.status, 2, flags.join(' '));
      assert.match(r.stderr, message);
    }
    const file = run('stylize', path.join(root, 'dog.png'), style, ...fast, '--recursive');
    assert.equal(file.status, 2);
    assert.match(file.stderr, /--recursive is for a folder to stylize, and .*dog\.png is a file/);
  });

  it('keeps the results written when stopped with Ctrl-C in the middle, and exits 130', async function () {
    if (process.platform === 'win32') this.skip();
    const root = path.join(dir, 'many');
    mkdirSync(root);
    for (let i = 0; i < 400; i++) await png(path.join(root, `${i}.png`), i % 256);
    const out = path.join(dir, 'many.style.stylized');
    const child = spawn(process.execPath, [CLI, 'stylize', root, style, ...fast], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    // Interrupted once the first results are there; a write in progress is a hidden temporary file, not a result.
    const results = () => (existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.png')).length : 0);
    const poll = setInterval(() => {
      if (results() >= 3) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 20);
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    clearInterval(poll);
    assert.equal(status, 130, stdout);
    const written = results();
    assert.ok(written >= 3 && written < 400, `${written} written`);
    const told = /^wrote (\d+) of 400 images/.exec(stdout);
    assert.equal(Number(told?.[1]), written, stdout);
    assert.match(stdout, new RegExp(`^not started: ${400 - written} images \\(cancelled\\)$`, 'm'));
  });
});
