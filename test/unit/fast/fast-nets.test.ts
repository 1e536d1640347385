import { createHash } from 'node:crypto';
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withContentColors } from '../../../src/engine/colors';
import { UserError } from '../../../src/common/errors';
import { FAST_NET_FILES, convertedModels, loadFastNets, type FastNets } from '../../../src/engine/fast/fast-nets';
import { MIN_CONTENT_SIDE } from '../../../src/common/fast-limits';
import { DEFAULT_CONTROLS, fastPicture, fastVectors, type FastControls } from '../../../src/engine/fast/fast-stylize';
import { reflectPadToMultiple } from '../../../src/engine/fast/reflect-pad';
import { blendStyleVectors } from '../../../src/engine/fast/style-vectors';
import { readImage } from '../../../src/image/decode';
import { createRaster, type Raster } from '../../../src/image/raster';
import { crop } from '../../../src/engine/tiles';
import { requireShared } from '../../helpers/shared-data';
import { patternRaster } from '../onnx/fixtures';
import {
  maxAbsDiff,
  psnr,
  REFERENCE_FILE,
  REFERENCE_PHOTOS,
  REFERENCE_STYLES,
  REFERENCE_TRANSFER,
  subsample,
  type References,
} from './references';

const FIXTURES = path.resolve(__dirname, '../test/fixtures/fast');
const ASSETS = path.resolve(__dirname, '../assets/fast');

describe('fast mode: the nets against the real TFLite runtime', () => {
  const references = JSON.parse(readFileSync(path.join(FIXTURES, REFERENCE_FILE), 'utf8')) as References;
  let nets: FastNets;
  before(async () => {
    nets = await loadFastNets({ dir: ASSETS, threads: 2 });
  });
  after(() => nets?.dispose());

  const steps = (ours: Float32Array, name: string) => maxAbsDiff(ours, references.styleVectors[name]) / references.predictorStep;

  // The predictor computes in TFLite's integers (see docs/fast-mode.md): its float32 form came within 1.0-1.9 steps.
  it('predicts the style vectors of generated images within 1 output step of TFLite', async () => {
    for (const [name, make] of Object.entries(REFERENCE_STYLES)) {
      const d = steps(await nets.styleVector(make()), name);
      assert.ok(d <= 1, `${name}: ${d.toFixed(2)} steps`);
    }
  });

  it('predicts the style vectors of photos and paintings within 1 output step of TFLite', async function () {
    requireShared(this, ...Object.values(REFERENCE_PHOTOS));
    for (const [name, file] of Object.entries(REFERENCE_PHOTOS)) {
      const d = steps(await nets.styleVector((await readImage(file)).raster), name);
      assert.ok(d <= 1, `${name}: ${d.toFixed(2)} steps`);
    }
  });

  it('transforms as TFLite does, within 1e-4 given TFLite’s style vector, end to end at 40 dB PSNR or more', async () => {
    const expected = new Float32Array(readFileSync(path.join(FIXTURES, REFERENCE_TRANSFER.file)).buffer.slice(0));
    const content = REFERENCE_TRANSFER.content();
    const vector = Float32Array.from(references.styleVectors[REFERENCE_TRANSFER.style]);
    const ours = subsample(await nets.transfer(content, vector), REFERENCE_TRANSFER.stride);
    assert.equal(ours.data.length, expected.length);
    const d = maxAbsDiff(ours.data, expected);
    assert.ok(d <= 1e-4, `max |difference| ${d}`);

    const endToEnd = await nets.transfer(content, await nets.styleVector(REFERENCE_STYLES[REFERENCE_TRANSFER.style]()));
    const p = psnr(subsample(endToEnd, REFERENCE_TRANSFER.stride).data, expected);
    assert.ok(p >= 40, `PSNR ${p.toFixed(1)} dB`);
  });

  it('returns odd sizes as they came, the picture computed on the image mirrored out to a multiple of 4', async () => {
    const content = patternRaster(387, 290, 3);
    const style = Float32Array.from(references.styleVectors['noise-256-seed6']);
    const out = await nets.transfer(content, style);
    assert.deepEqual([out.width, out.height], [387, 290]);
    assert.ok(out.data.every((v) => v >= 0 && v <= 1));
    const whole = await nets.transfer(reflectPadToMultiple(content, 4), style);
    assert.deepEqual([whole.width, whole.height], [388, 292]);
    assert.deepEqual(out.data, crop(whole, { x: 0, y: 0, width: 387, height: 290 }).data);
  });

  it('paints a content prepared once in any style as it paints the image itself, odd sizes included', async () => {
    const content = patternRaster(131, 98, 4);
    const styles = ['noise-256-seed6', 'pattern-256-seed5'].map((name) => Float32Array.from(references.styleVectors[name]));
    const prepared = await nets.prepare(content);
    assert.deepEqual([prepared.width, prepared.height], [131, 98]);
    // What passes from the transformer's first part to its second: two 32-channel images at a quarter of the size
    // (mirrored out to 132x100), and the mean and inverse deviation of the second one's channels.
    assert.equal(prepared.bytes, (2 * 32 * (132 / 4) * (100 / 4) + 2 * 32) * 4);
    for (const style of styles) assert.deepEqual((await nets.transfer(prepared, style)).data, (await nets.transfer(content, style)).data);
    assert.ok(maxAbsDiff((await nets.transfer(prepared, styles[0])).data, (await nets.transfer(prepared, styles[1])).data) > 0.1);
    await assert.rejects(nets.prepare(patternRaster(MIN_CONTENT_SIDE - 1, 40, 1), 'tiny.png'), /tiny\.png is/);
  });

  it('renders the content’s own style at strength 0, the style’s at 1, linearly in between', async () => {
    const content = patternRaster(96, 64, 8);
    const style = REFERENCE_STYLES['noise-256-seed6']();
    const vectors = await fastVectors(nets, content, [style], 'style');
    assert.deepEqual(vectors.content, await nets.styleVector(content));
    assert.deepEqual(vectors.styles, [await nets.styleVector(style)]);
    const render = (strength: number) => fastPicture(nets, { content, size: content, vectors, controls: { ...DEFAULT_CONTROLS, strength } });
    const [zero, one, half] = [await render(0), await render(1), await render(0.5)];
    assert.deepEqual(zero.data, (await nets.transfer(content, vectors.content)).data);
    assert.deepEqual(one.data, (await nets.transfer(content, vectors.styles[0])).data);
    assert.deepEqual(half.data, (await nets.transfer(content, blendStyleVectors([vectors.styles[0], vectors.content]))).data);
    assert.ok(maxAbsDiff(zero.data, one.data) > 0.1, 'the style changes the picture');
    assert.ok(maxAbsDiff(half.data, one.data) > 0.01 && maxAbsDiff(half.data, zero.data) > 0.01);
  });

  it('blends two styles by weight: [1, 0] is the first alone; keeps the content’s colours when asked', async () => {
    const content = patternRaster(64, 80, 9);
    const [first, second] = [REFERENCE_STYLES['pattern-256-seed5'](), REFERENCE_STYLES['noise-256-seed6']()];
    const stylized = async (styles: Raster[], controls: Partial<FastControls> = {}) => {
      const all = { ...DEFAULT_CONTROLS, ...controls };
      const vectors = await fastVectors(nets, content, styles, all.colors);
      return { vectors, image: await fastPicture(nets, { content, size: content, vectors, controls: all }) };
    };
    const alone = await stylized([first]);
    const blended = await stylized([first, second], { blend: [1, 0] });
    assert.deepEqual(blended.vectors.styles[0], alone.vectors.styles[0]);
    assert.deepEqual(blended.image.data, alone.image.data);
    const even = await stylized([first, second]);
    assert.ok(maxAbsDiff(even.image.data, alone.image.data) > 0.01, 'the second style shows');

    const colours = await stylized([first], { colors: 'luminance' });
    assert.deepEqual(colours.image.data, withContentColors(alone.image, content).data);
  });

  it(`refuses content under ${MIN_CONTENT_SIDE} px, naming it and the minimum; runs at the minimum`, async () => {
    const style = Float32Array.from(references.styleVectors['noise-256-seed6']);
    await assert.rejects(nets.transfer(createRaster(MIN_CONTENT_SIDE - 1, 300), style, 'tiny.png'), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /tiny\.png is 4x300 px: fast mode needs at least 5 px on each side/);
      return true;
    });
    const smallest = await nets.transfer(patternRaster(MIN_CONTENT_SIDE, MIN_CONTENT_SIDE, 1), style);
    assert.deepEqual([smallest.width, smallest.height], [MIN_CONTENT_SIDE, MIN_CONTENT_SIDE]);
  });

  it('refuses a net whose bytes differ from the shipped ones, or that is missing, naming the file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fast-nets-'));
    try {
      const transformer = readFileSync(path.join(ASSETS, FAST_NET_FILES.transformer.file));
      transformer[transformer.length - 7] ^= 1; // one bit of a weight: the file still parses, the picture would be wrong
      await fs.writeFile(path.join(dir, FAST_NET_FILES.transformer.file), transformer);
      const file = path.join(dir, FAST_NET_FILES.predictor.file);
      await assert.rejects(loadFastNets({ dir }), (e: unknown) => e instanceof UserError && e.message.includes(file));
      await fs.copyFile(path.join(ASSETS, FAST_NET_FILES.predictor.file), file);
      await assert.rejects(loadFastNets({ dir }), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.ok(e.message.includes(path.join(dir, FAST_NET_FILES.transformer.file)), e.message);
        assert.match(e.message, new RegExp(`sha256 is [0-9a-f]{64}, not ${FAST_NET_FILES.transformer.sha256}`));
        return true;
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('fast mode: the nets an installation loads', () => {
  it('are the shipped .tflite files converted, byte for byte what FAST_NET_FILES records', async () => {
    const models = await convertedModels(ASSETS);
    for (const role of ['predictor', 'transformer'] as const) {
      const hashes = models[role].map((bytes) => createHash('sha256').update(bytes).digest('hex'));
      assert.deepEqual(hashes, FAST_NET_FILES[role].onnx.map((part) => part.sha256), role);
    }
  });

  it('load from the build’s ONNX files and compute what the .tflite files do', async () => {
    const [shipped, converted] = [await loadFastNets({ threads: 1 }), await loadFastNets({ dir: ASSETS, threads: 1 })];
    try {
      const image = REFERENCE_STYLES['pattern-256-seed5']();
      assert.deepEqual(await shipped.styleVector(image), await converted.styleVector(image));
    } finally {
      shipped.dispose();
      converted.dispose();
    }
  });
});
