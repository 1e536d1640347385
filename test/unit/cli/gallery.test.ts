import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { GALLERY } from '../../../src/gallery/paintings';
import { readImageMetadata } from '../../../src/image/metadata';
import { SETTINGS_KEY } from '../../../src/pipeline/recorded-settings';
import { REAL_WEIGHTS, requireShared } from '../../helpers/shared-data';

const REPO = path.resolve(__dirname, '..');
const CLI = path.join(REPO, 'dist/cli.js');

function runIn(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, cli = CLI) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000, cwd, env: { ...process.env, NEURAL_STYLE_WEIGHTS: '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function rgb(file: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Where `tile` lies in `sheet` pixel for pixel, if it does. */
function find(sheet: Awaited<ReturnType<typeof rgb>>, tile: Awaited<ReturnType<typeof rgb>>): { x: number; y: number } | undefined {
  const row = tile.width * 3;
  for (let y = 0; y + tile.height <= sheet.height; y++) {
    for (let x = 0; x + tile.width <= sheet.width; x++) {
      let same = true;
      for (let ty = 0; ty < tile.height && same; ty++) {
        const at = ((y + ty) * sheet.width + x) * 3;
        same = sheet.data.compare(tile.data, ty * row, (ty + 1) * row, at, at + row) === 0;
      }
      if (same) return { x, y };
    }
  }
  return undefined;
}

/** Pixels darker than light grey in a band of rows: drawn label text (the sheet's background is white). */
function inked(image: Awaited<ReturnType<typeof rgb>>, fromRow: number, toRow: number): number {
  let n = 0;
  for (let i = fromRow * image.width * 3; i < toRow * image.width * 3; i += 3) if (image.data[i] < 160) n++;
  return n;
}

describe('neural-style with the style gallery', function () {
  this.timeout(120_000);
  let dir: string;
  let dog: string;
  let stripes: string;

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is built by scripts/build.mjs`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'ns-gallery-'));
    dog = path.join(dir, 'dog.jpg');
    copyFileSync(path.join(REPO, 'samples/dog.jpg'), dog);
    stripes = path.join(dir, 'stripes.png');
    const raw = Buffer.alloc(96 * 96 * 3);
    for (let i = 0; i < 96 * 96; i++) raw.set(Math.floor(((i % 96) + Math.floor(i / 96)) / 8) % 2 ? [200, 40, 40] : [30, 30, 120], i * 3);
    await sharp(raw, { raw: { width: 96, height: 96, channels: 3 } }).png().toFile(stripes);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the gallery by id, and as JSON with each file and its sha256', () => {
    const text = runIn(dir, ['styles']);
    assert.equal(text.status, 0, text.stderr);
    const lines = text.stdout.trimEnd().split('\n');
    assert.equal(lines.length, GALLERY.length);
    assert.match(lines[0], /^starry-night +The Starry Night \(Vincent van Gogh, 1889\)$/);
    const json = runIn(dir, ['styles', '--json']);
    assert.equal(json.status, 0, json.stderr);
    const listed = JSON.parse(json.stdout) as Array<{ id: string; title: string; artist: string; year: string; credit: string; file: string; sha256: string }>;
    assert.deepEqual(listed.map((s) => s.id), GALLERY.map((s) => s.id));
    for (const s of listed) {
      assert.ok(existsSync(s.file) && path.isAbsolute(s.file), s.file);
      assert.match(s.sha256, /^[0-9a-f]{64}$/);
      assert.match(s.credit, /public domain/);
    }
  });

  it('stylizes with gallery:ID by the fast method, naming the result and recording the style by the id', async () => {
    const r = runIn(dir, ['stylize', dog, 'gallery:starry-night', '--method', 'fast', '--max-size', '128']);
    assert.equal(r.status, 0, r.stderr);
    const out = path.join(dir, 'dog.starry-night.stylized.png');
    assert.match(r.stdout, /^wrote .*dog\.starry-night\.stylized\.png: 128x\d+, the fast method/);
    const recorded = JSON.parse((await readImageMetadata(out))[SETTINGS_KEY]);
    assert.deepEqual(recorded.styles, ['starry-night']);
    assert.equal(recorded.options.method, 'fast');
  });

  it('takes a bare id where no file has that name, saying so; a file of that name wins', () => {
    const bare = runIn(dir, ['stylize', dog, 'great-wave', '--method', 'fast', '--max-size', '64', '-o', 'bare.png']);
    assert.equal(bare.status, 0, bare.stderr);
    assert.match(bare.stderr, /^note: no file great-wave here: using the gallery's The Great Wave off Kanagawa \(Katsushika Hokusai, c\. 1831\) \(write gallery:great-wave to say so\)$/m);
    copyFileSync(stripes, path.join(dir, 'great-wave'));
    const file = runIn(dir, ['stylize', dog, 'great-wave', '--method', 'fast', '--max-size', '64', '-o', 'file.png']);
    assert.equal(file.status, 0, file.stderr);
    assert.doesNotMatch(file.stderr, /gallery/);
    rmSync(path.join(dir, 'great-wave'));
  });

  it('names the closest ids to an unknown one, with status 2 and no output', () => {
    for (const [arg, message] of [
      ['gallery:starry-nite', /^neural-style: the gallery has no style "starry-nite"; the closest are starry-night, /],
      ['starry-nite', /^neural-style: image file not found: starry-nite, and the gallery has no style "starry-nite"; the closest are starry-night, /],
    ] as const) {
      const r = runIn(dir, ['stylize', dog, arg, '--method', 'fast', '-o', 'unknown.png']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    }
    assert.ok(!existsSync(path.join(dir, 'unknown.png')));
  });

  it('refuses a damaged painting of its installation by its sha256, naming the file', () => {
    // An installation whose copy of The Kiss lost a byte: the bundle, its modules and nets, a damaged gallery.
    const install = path.join(dir, 'install');
    mkdirSync(path.join(install, 'dist'), { recursive: true });
    mkdirSync(path.join(install, 'assets'));
    copyFileSync(CLI, path.join(install, 'dist/cli.js'));
    symlinkSync(path.join(REPO, 'node_modules'), path.join(install, 'node_modules'));
    symlinkSync(path.join(REPO, 'dist/fast'), path.join(install, 'dist/fast'));
    cpSync(path.join(REPO, 'assets/gallery'), path.join(install, 'assets/gallery'), { recursive: true });
    const kiss = path.join(install, 'assets/gallery/klimt-the-kiss.jpg');
    writeFileSync(kiss, readFileSync(kiss).subarray(0, 300_000));
    const cli = path.join(install, 'dist/cli.js');
    const damaged = new RegExp(`^neural-style: ${kiss.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not the gallery's The Kiss \\(Gustav Klimt, 1907–08\\): its sha256 is [0-9a-f]{64}, not 5978081639c8[0-9a-f]+ \\(damaged or replaced; reinstall\\)$`);
    for (const args of [['stylize', dog, 'gallery:the-kiss', '--method', 'fast', '-o', 'kiss.png'], ['sheet', dog, '-o', 'kiss-sheet.png', '--size', '64']]) {
      const r = runIn(dir, args, {}, cli);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr.trimEnd(), damaged);
    }
    const intact = runIn(dir, ['stylize', dog, 'gallery:udnie', '--method', 'fast', '--max-size', '64', '-o', 'udnie.png'], {}, cli);
    assert.equal(intact.status, 0, intact.stderr);
  });

  it('optimises with a gallery painting, the whole painting as the style (real VGG19 weights of blocks 1-3)', async function () {
    requireShared(this, REAL_WEIGHTS);
    const r = runIn(dir, [
      'stylize', dog, 'gallery:the-scream', '--method', 'optimize', '--weights', REAL_WEIGHTS, '--style-layers', 'block1_conv1,block2_conv1,block3_conv1',
      '--content-layers', 'block3_conv2', '--max-size', '64', '--steps', '3', '--no-multi-scale', '-q',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*dog\.the-scream\.stylized\.png: 64x\d+, 3 steps in \d+s on \w+\n$/);
    const recorded = JSON.parse((await readImageMetadata(path.join(dir, 'dog.the-scream.stylized.png')))[SETTINGS_KEY]);
    assert.deepEqual([recorded.styles, recorded.options.method, recorded.steps], [['the-scream'], 'optimize', 3]);
  });

  it('writes a labelled contact sheet whose tiles are the single fast runs at that size, pixel for pixel', async () => {
    const styles = ['gallery:the-kiss', stripes, 'gallery:composition-1916'];
    const r = runIn(dir, ['sheet', dog, ...styles, '-o', 'sheet.png', '--size', '96']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*sheet\.png: 3 styles in 96 px tiles, \d+x\d+, in [\d.]+ s\n$/);
    const sheet = await rgb(path.join(dir, 'sheet.png'));
    const places: { x: number; y: number }[] = [];
    for (const [i, style] of styles.entries()) {
      const single = path.join(dir, `single-${i}.png`);
      const s = runIn(dir, ['stylize', dog, style, '--method', 'fast', '--max-size', '96', '-o', single]);
      assert.equal(s.status, 0, s.stderr);
      const tile = await rgb(single);
      const at = find(sheet, tile);
      assert.ok(at, `the sheet holds no exact copy of the single run in ${style}`);
      places.push(at);
    }
    // Left to right, then the next row; each with its label (dark text) in the band under it.
    assert.ok(places[0].y === places[1].y && places[0].x < places[1].x && places[2].y > places[0].y, JSON.stringify(places));
    const tileHeight = (await rgb(path.join(dir, 'single-0.png'))).height;
    assert.ok(inked(sheet, places[0].y + tileHeight, places[2].y) > 50, 'no label under the first row');
  });

  it('leaves the labels out, saying so, where no font can be found', async () => {
    const conf = path.join(dir, 'no-fonts.conf');
    writeFileSync(conf, `<?xml version="1.0"?>\n<fontconfig><dir>${path.join(dir, 'no-fonts')}</dir><cachedir>${path.join(dir, 'fc-cache')}</cachedir></fontconfig>\n`);
    const r = runIn(dir, ['sheet', dog, 'gallery:udnie', 'gallery:hara', '-o', 'unlabelled.png', '--size', '64'], { FONTCONFIG_FILE: conf });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^note: no font was found to draw the labels with \(fontconfig\); the sheet is unlabelled$/m);
    const single = runIn(dir, ['stylize', dog, 'gallery:udnie', '--method', 'fast', '--max-size', '64', '-o', 'udnie-64.png']);
    assert.equal(single.status, 0, single.stderr);
    const tile = await rgb(path.join(dir, 'udnie-64.png'));
    const sheet = await rgb(path.join(dir, 'unlabelled.png'));
    const at = find(sheet, tile);
    assert.ok(at, 'the tile is not on the sheet');
    assert.equal(inked(sheet, at.y + tile.height, sheet.height), 0, 'something was drawn under the tiles');
  });

  it('puts the whole gallery on the sheet when no style is given', () => {
    const r = runIn(dir, ['sheet', dog, '-o', 'gallery.jpg', '--size', '64']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^wrote .*gallery\\.jpg: ${GALLERY.length} styles in 64 px tiles`));
    assert.deepEqual([...readFileSync(path.join(dir, 'gallery.jpg')).subarray(0, 3)], [0xff, 0xd8, 0xff]);
  });

  it('recolours a painting in histogram colours as it does any copy of it, and places it by a mask in its turn', async () => {
    // The same pixels in another file: its vector is computed, the painting's stored one is not its histogram vector.
    const copy = path.join(dir, 'hara-copy.png');
    await sharp(path.join(REPO, 'assets/gallery', GALLERY.find((s) => s.id === 'hara')!.file)).png().toFile(copy);
    const fast = (name: string, ...args: string[]) => {
      const r = runIn(dir, ['stylize', dog, ...args, '--method', 'fast', '--max-size', '64', '-o', name]);
      assert.equal(r.status, 0, r.stderr);
      return rgb(path.join(dir, name));
    };
    for (const colors of ['style', 'histogram']) {
      assert.deepEqual(await fast(`hara-${colors}.png`, 'gallery:hara', '--colors', colors), await fast(`copy-${colors}.png`, copy, '--colors', colors), colors);
    }
    assert.notDeepEqual(await fast('hara-h.png', 'gallery:hara', '--colors', 'histogram'), await fast('hara-s.png', 'gallery:hara'));
    // All white, a mask shows the first style only: the painting's stored vector and a file's stay in their order.
    const white = path.join(dir, 'white.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ffffff' } }).png().toFile(white);
    assert.deepEqual(await fast('masked-1.png', 'gallery:hara', stripes, '--mask', white), await fast('hara-alone.png', 'gallery:hara'));
    assert.deepEqual(await fast('masked-2.png', stripes, 'gallery:hara', '--mask', white), await fast('stripes-alone.png', stripes));
  });

  it('refuses an empty -o for the sheet, as for stylize', () => {
    for (const empty of ['', ' ']) {
      const r = runIn(dir, ['sheet', dog, 'gallery:udnie', '-o', empty, '--size', '64']);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, 'neural-style: -o is empty; give a file name (.png, .jpg, .webp)\n');
    }
  });

  it('lists the gallery to a reader that leaves without a failure: status 0, no stack', async () => {
    for (const args of [['styles'], ['styles', '--json']]) {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const status = await new Promise((resolve) => child.on('close', resolve));
      assert.equal(status, 0, stderr);
      assert.doesNotMatch(stderr, /EPIPE|\n\s+at /);
    }
  });

  it('refuses hundreds of styles and a tile size out of range before reading any file', () => {
    const many = runIn(dir, ['sheet', dog, ...Array.from({ length: 300 }, (_, i) => `missing-${i}.png`), '-o', 'many.png']);
    assert.equal(many.status, 2);
    assert.equal(many.stderr, 'neural-style: a sheet holds at most 64 styles, got 300; make several sheets\n');
    const tiny = runIn(dir, ['sheet', dog, '-o', 'tiny.png', '--size', '10']);
    assert.equal(tiny.stderr, 'neural-style: --size must be a whole number from 64 to 1024, got "10"\n');
    const huge = runIn(dir, ['sheet', dog, ...Array.from({ length: 64 }, () => 'gallery:udnie'), '-o', 'huge.png', '--size', '1024']);
    assert.match(huge.stderr, /^neural-style: a sheet of 64 styles in 1024 px tiles would be \d+x\d+ px, over 50,000,000 pixels; use a smaller size or fewer styles\n$/);
    assert.ok(!existsSync(path.join(dir, 'many.png')) && !existsSync(path.join(dir, 'huge.png')));
  });
});
