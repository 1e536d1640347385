import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { defaultOptions, fastControlsOf, type FastControlOptions, type StyleOptions } from '../../../src/common/options';
import { galleryStyle } from '../../../src/gallery/paintings';
import { readPainting } from '../../../src/gallery/read-painting';
import type { Raster } from '../../../src/image/raster';
import { loadFastEngine } from '../../../src/pipeline/engine-cache';
import { FastSession } from '../../../src/pipeline/fast-session';

const DOG = path.resolve(__dirname, '..', 'samples', 'dog.jpg');
const OPTIONS: StyleOptions = { ...defaultOptions(), method: 'fast', maxSize: 96 };

describe('a fast session of a gallery painting', function () {
  this.timeout(120_000);

  it('paints with its stored vector: the predictor runs only for a strength under 1 and for histogram colours', async () => {
    const nets = await loadFastEngine();
    // What the predictor is shown, by size: the content at the picture's size, or a style image.
    const predicted: string[] = [];
    const predict = nets.styleVector;
    nets.styleVector = (image: Raster) => {
      predicted.push(`${image.width}x${image.height}`);
      return predict.call(nets, image);
    };
    try {
      const painting = galleryStyle('starry-night')!;
      const open = async (options: StyleOptions) => FastSession.open({
        content: { name: 'dog.jpg', bytes: await fs.readFile(DOG) }, styles: [{ name: painting.id, bytes: await readPainting(painting) }], options,
      });
      const session = await open(OPTIONS);
      const picture = (s: { width: number; height: number }) => `${s.width}x${s.height}`;
      const render = (c: Partial<FastControlOptions>) => session.picture({ ...fastControlsOf(OPTIONS), ...c });

      await render({});
      assert.deepEqual(predicted, [], 'at strength 1 in the style\'s colours nothing is predicted');
      await render({ styleStrength: 0.5 });
      assert.deepEqual(predicted, [picture(session.size)], 'strength 0.5 needs the content\'s own vector, once');
      const histogram = await render({ styleStrength: 0.5, colors: 'histogram' });
      assert.equal(predicted.length, 2, 'histogram colours need the painting recoloured to the content\'s');
      assert.notEqual(predicted[1], picture(session.size));
      await render({ styleStrength: 0.3 });
      assert.equal(predicted.length, 2, 'back in the style\'s colours, the stored vector again');

      // The painting decoded only when histogram colours asked for it gives the picture of a session opened in them.
      const fresh = await open({ ...OPTIONS, styleStrength: 0.5, colors: 'histogram' });
      const whole = await fresh.picture({ ...fastControlsOf(OPTIONS), styleStrength: 0.5, colors: 'histogram' });
      assert.deepEqual(histogram.image.data, whole.image.data);
    } finally {
      nets.styleVector = predict;
    }
  });

  it('kept for a panel, prepares its content once per size painted at: strength and colours repaint from it, a stroke size prepares again', async () => {
    const nets = await loadFastEngine();
    const prepared: string[] = [];
    const prepare = nets.prepare;
    nets.prepare = (image: Raster, name?: string) => {
      prepared.push(`${image.width}x${image.height}`);
      return prepare.call(nets, image, name);
    };
    try {
      const painting = galleryStyle('starry-night')!;
      const open = async (repainted: boolean) => FastSession.open({
        content: { name: 'dog.jpg', bytes: await fs.readFile(DOG) }, styles: [{ name: painting.id, bytes: await readPainting(painting) }], options: OPTIONS, repainted,
      });
      // A session rendered once (the command line's) paints with the whole transformer: nothing is prepared.
      const once = await (await open(false)).picture(fastControlsOf(OPTIONS));
      assert.deepEqual(prepared, []);
      const session = await open(true);
      const render = (c: Partial<FastControlOptions>) => session.picture({ ...fastControlsOf(OPTIONS), ...c });
      const size = `${session.size.width}x${session.size.height}`;
      const before = session.bytes;
      const first = await render({});
      assert.deepEqual(prepared, [size]);
      assert.deepEqual(first.image.data, once.image.data, 'the same picture either way');
      assert.ok(session.bytes > before, 'the prepared content counts in the session\'s memory');
      const weaker = await render({ styleStrength: 0.4 });
      await render({ styleStrength: 0.7, colors: 'luminance' });
      assert.deepEqual(prepared, [size], 'other strengths and colours paint the content prepared before');
      assert.ok(weaker.image.data.some((v, i) => Math.abs(v - first.image.data[i]) > 0.05), 'and the picture changes');
      await render({ styleScale: 2 });
      assert.equal(prepared.length, 2, 'a larger stroke size paints the content at another size');
      assert.notEqual(prepared[1], size);
      // Back at stroke size 1, the picture is the first one again.
      assert.deepEqual((await render({ styleStrength: 1 })).image.data, first.image.data);
    } finally {
      nets.prepare = prepare;
    }
  });

  it('kept for a panel, repaints a mask changed alone from the pictures kept: no transformer pass, the same picture', async () => {
    const nets = await loadFastEngine();
    let transfers = 0;
    const transfer = nets.transfer;
    nets.transfer = (...args: Parameters<typeof transfer>) => {
      transfers++;
      return transfer.apply(nets, args);
    };
    try {
      const painting = galleryStyle('starry-night')!;
      const open = async (repainted: boolean) => FastSession.open({
        content: { name: 'dog.jpg', bytes: await fs.readFile(DOG) }, styles: [{ name: painting.id, bytes: await readPainting(painting) }], options: OPTIONS, repainted,
      });
      const session = await open(true);
      const { width, height } = session.size;
      const half = (left: boolean) => ({ width, height, bytes: Uint8Array.from({ length: width * height }, (_, p) => ((p % width < width / 2) === left ? 255 : 0)) });
      const controls = { ...fastControlsOf(OPTIONS), styleStrength: 0.8 };
      await session.picture(controls);
      assert.equal(transfers, 1);
      session.paint(half(true));
      const left = await session.picture(controls);
      session.paint(half(false));
      const right = await session.picture(controls);
      assert.equal(transfers, 1, 'a mask changed alone blends the picture kept');
      // The pictures a session rendered once makes with the same mask, painting afresh.
      const once = await open(false);
      once.paint(half(true));
      assert.deepEqual(left.image.data, (await once.picture(controls)).image.data);
      once.paint(half(false));
      assert.deepEqual(right.image.data, (await once.picture(controls)).image.data);
      const before = transfers;
      await session.picture({ ...controls, styleStrength: 0.5 });
      assert.equal(transfers, before + 1, 'another strength paints again');
    } finally {
      nets.transfer = transfer;
    }
  });
});
