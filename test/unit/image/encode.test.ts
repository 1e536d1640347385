import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { crc32 } from 'zlib';
import { UserError } from '../../../src/common/errors';
import { readImageFromBuffer } from '../../../src/image/decode';
import { encodeImage, encodePreview } from '../../../src/image/encode';
import type { OutputFormat } from '../../../src/common/formats';
import { readImageMetadata } from '../../../src/image/metadata';
import { createRaster, type Raster } from '../../../src/image/raster';
import { BLUE, RED, assertColour, pixel, removeDir, tempDir } from './images';

/** Every byte value somewhere, in all three channels, so a rounding slip anywhere shows. */
function gradient(width: number, height: number): Raster {
  const data = Float32Array.from({ length: width * height * 3 }, (_, i) => ((i * 7) % 256) / 255);
  return createRaster(width, height, data);
}

function solid(width: number, height: number, rgb: readonly number[]): Raster {
  return createRaster(width, height, Float32Array.from({ length: width * height * 3 }, (_, i) => rgb[i % 3] / 255));
}

const SETTINGS = {
  style: '/home/ünï/paintings/Kandinsky «7».jpg',
  'style-weight': '0.01',
  note: 'a & b < c > d "quoted"\nsecond line\ttab',
};

/** The chunk types of a PNG stream, each checked against its CRC (libspng does not check ancillary ones). */
function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let p = 8; p < png.length; ) {
    const length = png.readUInt32BE(p);
    const type = png.toString('latin1', p + 4, p + 8);
    assert.equal(png.readUInt32BE(p + 8 + length), crc32(png.subarray(p + 4, p + 8 + length)), `CRC of ${type}`);
    types.push(type);
    p += 12 + length;
  }
  return types;
}

describe('encodeImage', () => {
  it('writes PNG losslessly: every 8-bit value comes back exactly', async () => {
    const r = gradient(40, 20);
    const back = await readImageFromBuffer(await encodeImage(r, { format: 'png' }), 'out.png');
    assert.equal(back.format, 'png');
    assert.deepEqual(back.raster, r);
  });

  for (const format of ['jpeg', 'webp'] as const) {
    it(`writes ${format} at the raster's size and colours`, async () => {
      const back = await readImageFromBuffer(await encodeImage(solid(30, 10, BLUE), { format }), `out.${format}`);
      assert.equal(back.format, format);
      assert.deepEqual([back.raster.width, back.raster.height], [30, 10]);
      assertColour(pixel(back.raster, 15, 5), BLUE, 8, format);
    });
  }

  it('uses the quality: a lower one gives a smaller JPEG', async () => {
    const r = gradient(64, 64);
    const low = await encodeImage(r, { format: 'jpeg', quality: 30 });
    const high = await encodeImage(r, { format: 'jpeg', quality: 95 });
    assert.ok(low.length < high.length, `quality 30: ${low.length} bytes, quality 95: ${high.length}`);
    await assert.rejects(encodeImage(r, { format: 'jpeg', quality: 0 }), UserError);
    await assert.rejects(encodeImage(r, { format: 'webp', quality: 101 }), UserError);
  });

  it('puts alpha back in PNG and WebP, and flattens it onto white in JPEG', async () => {
    const alpha = Float32Array.from([0, 128 / 255, 1, 1]);
    for (const format of ['png', 'webp'] as const) {
      const bytes = await encodeImage(solid(4, 1, RED), { format, alpha, quality: 100 });
      const back = await readImageFromBuffer(bytes, `alpha.${format}`);
      assert.deepEqual(Array.from(back.alpha ?? [], (a) => Math.round(a * 255)), [0, 128, 255, 255], format);
    }
    const jpeg = await readImageFromBuffer(await encodeImage(solid(16, 8, RED), {
      format: 'jpeg',
      alpha: Float32Array.from({ length: 128 }, (_, i) => (i % 16 < 8 ? 0 : 1)),
    }), 'alpha.jpg');
    assert.equal(jpeg.alpha, undefined);
    assertColour(pixel(jpeg.raster, 2, 4), [255, 255, 255], 8, 'transparent half');
    assertColour(pixel(jpeg.raster, 13, 4), RED, 8, 'opaque half');
  });
});

describe('settings stored in the image', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(() => removeDir(dir));

  for (const format of ['png', 'jpeg', 'webp'] as OutputFormat[]) {
    it(`round-trip through ${format}, from a file and from bytes`, async () => {
      const bytes = await encodeImage(gradient(8, 8), { format, metadata: SETTINGS });
      const file = path.join(dir, `settings.${format}`);
      await fs.writeFile(file, bytes);
      assert.deepEqual(await readImageMetadata(file), SETTINGS);
      assert.deepEqual(await readImageMetadata(bytes), SETTINGS);
    });
  }

  it('are PNG iTXt chunks with valid CRCs, before the image data, that other readers see', async () => {
    const bytes = await encodeImage(gradient(8, 8), { format: 'png', metadata: SETTINGS });
    const types = pngChunkTypes(bytes);
    assert.deepEqual(types.slice(0, 4), ['IHDR', 'iTXt', 'iTXt', 'iTXt']);
    assert.equal(types.at(-1), 'IEND');
    const { comments } = await sharp(bytes).metadata();
    assert.deepEqual(comments, Object.entries(SETTINGS).map(([keyword, text]) => ({ keyword, text })));
  });

  it('are empty for an image without them', async () => {
    for (const format of ['png', 'jpeg'] as OutputFormat[]) {
      assert.deepEqual(await readImageMetadata(await encodeImage(gradient(4, 4), { format })), {});
    }
  });

  it('refuse keys that PNG or XMP cannot carry and values with control characters', async () => {
    const r = gradient(2, 2);
    await assert.rejects(encodeImage(r, { format: 'png', metadata: { 'two words': 'x' } }), /two words/);
    await assert.rejects(encodeImage(r, { format: 'jpeg', metadata: { '1st': 'x' } }), /1st/);
    await assert.rejects(encodeImage(r, { format: 'png', metadata: { note: 'a\rb' } }), /control/);
  });
});

describe('encodePreview', () => {
  it('makes a PNG no larger than maxSide, keeping the aspect ratio', async () => {
    const meta = await sharp(await encodePreview(gradient(512, 256), 128)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 128, 64]);
  });

  it('does not enlarge a small image', async () => {
    const meta = await sharp(await encodePreview(gradient(40, 30), 128)).metadata();
    assert.deepEqual([meta.width, meta.height], [40, 30]);
  });
});
