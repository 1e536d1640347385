import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Mask } from '../../../src/image/mask';
import { loadFastNets, type FastNets } from '../../../src/engine/fast/fast-nets';
import { DEFAULT_CONTROLS, fastPicture, fastVectors, type FastControls } from '../../../src/engine/fast/fast-stylize';
import { readImage } from '../../../src/image/decode';
import type { Raster } from '../../../src/image/raster';
import { atSize, fitLongSide } from '../../../src/image/resize';
import { colourHistogramDistance, strokeSize } from '../../helpers/picture-measures';
import { SHARED_DATA, requireShared } from '../../helpers/shared-data';

const ASSETS = path.resolve(__dirname, '../assets/fast');
const SAMPLES = path.resolve(__dirname, '../samples');
const sample = (name: string) => path.join(SAMPLES, name);
const SHARED_STYLES = ['starry_night', 'the_scream', 'shipwreck'].map((s) => path.join(SHARED_DATA, `images/style/${s}.jpg`));

describe('fast mode’s controls on real pictures', function () {
  this.timeout(120000);
  let nets: FastNets;
  let content: Raster;
  let size: { width: number; height: number };
  before(async () => {
    nets = await loadFastNets({ dir: ASSETS, threads: 2 });
    content = (await readImage(sample('dog.jpg'))).raster;
    size = fitLongSide(content.height, content.width, 256);
  });
  after(() => nets?.dispose());

  const picture = async (style: Raster, controls: Partial<FastControls>, mask?: Mask) => {
    const all = { ...DEFAULT_CONTROLS, ...controls };
    return fastPicture(nets, { content, size, vectors: await fastVectors(nets, content, [style], all.colors), controls: all, mask });
  };

  /** Stroke sizes (see strokeSize) of the dog painted in `file`'s style at style scales 0.5, 1 and 2. */
  async function strokeSizes(file: string): Promise<number[]> {
    const style = (await readImage(file, { needLongSide: 1024 })).raster;
    const sizes: number[] = [];
    for (const styleScale of [0.5, 1, 2]) sizes.push(strokeSize(await picture(style, { styleScale })));
    return sizes;
  }

  const assertGrowing = (file: string, sizes: number[]) =>
    assert.ok(sizes[0] < sizes[1] && sizes[1] < sizes[2], `${path.basename(file)}: stroke sizes ${sizes.map((s) => s.toFixed(2))} px`);

  it('paints larger strokes at a larger style scale: the detail moves to coarser bands, on three sample styles', async () => {
    for (const file of ['kandinsky.jpg', 'great-wave.jpg', 'dog.jpg'].map(sample)) assertGrowing(file, await strokeSizes(file));
  });

  it('paints larger strokes at a larger style scale on three paintings of the shared data', async function () {
    requireShared(this, ...SHARED_STYLES);
    for (const file of SHARED_STYLES) assertGrowing(file, await strokeSizes(file));
  });

  it('paints at the picture’s own size at style scale 1: one transformer pass on the content at that size', async () => {
    const style = (await readImage(sample('kandinsky.jpg'))).raster;
    const vectors = await fastVectors(nets, content, [style], 'style');
    const one = await fastPicture(nets, { content, size, vectors, controls: DEFAULT_CONTROLS });
    assert.deepEqual(one.data, (await nets.transfer(atSize(content, size), vectors.styles[0])).data);
    const two = await fastPicture(nets, { content, size, vectors, controls: { ...DEFAULT_CONTROLS, styleScale: 2 } });
    assert.deepEqual([two.width, two.height], [one.width, one.height]);
  });

  it('keeps the colour histogram closer to the content’s by histogram matching than by luminance transfer or with the style’s colours', async () => {
    const atOutput = atSize(content, size);
    for (const file of ['kandinsky.jpg', 'great-wave.jpg'].map(sample)) {
      const style = (await readImage(file, { needLongSide: 1024 })).raster;
      const [own, luminance, histogram] = await Promise.all(
        (['style', 'luminance', 'histogram'] as const).map(async (colors) => colourHistogramDistance(await picture(style, { colors }), atOutput)),
      );
      const shown = `${path.basename(file)}: style ${own.toFixed(1)}, luminance ${luminance.toFixed(1)}, histogram ${histogram.toFixed(1)} levels`;
      assert.ok(histogram < luminance && histogram < own, shown);
    }
  });

  it('puts the content where the mask is black and the unmasked picture where it is white, exactly', async () => {
    const style = (await readImage(sample('kandinsky.jpg'))).raster;
    // Black on the left, a soft edge of 16 px, white on the right.
    const edge = Math.floor(size.width / 2);
    const mask: Mask = {
      width: size.width, height: size.height,
      data: Float32Array.from({ length: size.width * size.height }, (_, p) => Math.min(1, Math.max(0, ((p % size.width) - edge) / 16))),
    };
    const controls = { strength: 0.8, colors: 'luminance' as const };
    const [whole, masked] = [await picture(style, controls), await picture(style, controls, mask)];
    const atOutput = atSize(content, size);
    let [black, white] = [0, 0];
    for (let p = 0; p < mask.data.length; p++) {
      const region = mask.data[p] === 0 ? atOutput : mask.data[p] === 1 ? whole : undefined;
      if (!region) continue;
      for (let c = 0; c < 3; c++) assert.equal(masked.data[3 * p + c], region.data[3 * p + c], `pixel ${p}`);
      if (region === atOutput) black++;
      else white++;
    }
    assert.ok(black > mask.data.length / 3 && white > mask.data.length / 3, `${black} black, ${white} white pixels`);
  });

  it('places two styles by the mask, white the first, black the second, each as it is alone', async () => {
    const [first, second] = [(await readImage(sample('kandinsky.jpg'))).raster, (await readImage(sample('great-wave.jpg'))).raster];
    const mask: Mask = { width: size.width, height: size.height, data: Float32Array.from({ length: size.width * size.height }, (_, p) => (p < (size.width * size.height) / 2 ? 1 : 0)) };
    const vectors = await fastVectors(nets, content, [first, second], 'style');
    const both = await fastPicture(nets, { content, size, vectors, controls: DEFAULT_CONTROLS, mask });
    const [top, bottom] = [await picture(first, {}), await picture(second, {})];
    const half = (size.width * size.height * 3) / 2;
    assert.deepEqual(both.data.subarray(0, half), top.data.subarray(0, half));
    assert.deepEqual(both.data.subarray(half), bottom.data.subarray(half));
  });
});
