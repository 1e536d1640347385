import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as path from 'path';
import { crc32 } from 'zlib';
import sharp from 'sharp';
import { UserError } from '../../../src/common/errors';
import { readImage, readImageFromBuffer, readJobImages } from '../../../src/image/decode';
import { fitLongSide } from '../../../src/image/resize';
import { DOG, requireShared } from '../../helpers/shared-data';
import { BLUE, RED, assertColour, halves, pixel, removeDir, tempDir } from './images';

/** A UserError whose one-line message contains each of `parts`. */
async function rejectsAsUserError(p: Promise<unknown>, ...parts: string[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof UserError, `not a UserError: ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `message has several lines: ${JSON.stringify(e.message)}`);
    for (const part of parts) assert.ok(e.message.includes(part), `"${e.message}" does not mention "${part}"`);
    return true;
  });
}

/** A 1x1 PNG whose IHDR claims `width` x `height` pixels. */
async function claimedPng(width: number, height: number): Promise<Buffer> {
  const png = await halves(1, 1, RED).png().toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

describe('readImage', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(() => removeDir(dir));

  async function save(name: string, image: sharp.Sharp): Promise<string> {
    const file = path.join(dir, name);
    await image.toFile(file);
    return file;
  }

  // Lossy formats blur the red/blue edge and shift colours a little; sample away from the edge.
  const formats: Array<[string, (s: sharp.Sharp) => sharp.Sharp, number]> = [
    ['png', (s) => s.png(), 0],
    ['jpeg', (s) => s.jpeg({ quality: 90 }), 12],
    ['webp', (s) => s.webp({ quality: 90 }), 12],
    ['gif', (s) => s.gif(), 0],
    ['tiff', (s) => s.tiff({ compression: 'lzw' }), 0],
    ['avif', (s) => s.avif({ quality: 80 }), 16],
  ];
  for (const [format, encode, tolerance] of formats) {
    it(`decodes ${format} to its size and colours, left half red, right half blue`, async () => {
      const img = await readImage(await save(`halves.${format}`, encode(halves(24, 16, RED, BLUE))));
      assert.equal(img.format, format);
      assert.deepEqual([img.raster.width, img.raster.height], [24, 16]);
      assert.equal(img.alpha, undefined);
      assertColour(pixel(img.raster, 2, 8), RED, tolerance, `${format} left`);
      assertColour(pixel(img.raster, 21, 8), BLUE, tolerance, `${format} right`);
    });
  }

  it('applies EXIF orientation 6 (rotate 90 degrees clockwise): width and height swap', async () => {
    const file = await save('rotated.jpg', halves(32, 16, RED, BLUE).jpeg().withMetadata({ orientation: 6 }));
    const { raster } = await readImage(file);
    assert.deepEqual([raster.width, raster.height], [16, 32]);
    assertColour(pixel(raster, 8, 2), RED, 12, 'top (was left)');
    assertColour(pixel(raster, 8, 29), BLUE, 12, 'bottom (was right)');
  });

  it('turns grayscale, CMYK, 16-bit and palette images into 3-channel sRGB', async () => {
    const cases: Array<[string, sharp.Sharp, readonly [number, number, number], number]> = [
      ['gray.png', halves(8, 8, [128, 128, 128]).toColourspace('b-w').png(), [128, 128, 128], 1],
      // CMYK goes through a colour profile both ways, so pure red comes back a little darker.
      ['cmyk.jpg', halves(8, 8, RED).toColourspace('cmyk').jpeg({ quality: 100 }), RED, 40],
      ['deep.png', halves(8, 8, [200, 100, 50]).toColourspace('rgb16').png(), [200, 100, 50], 1],
      ['palette.png', halves(8, 8, [10, 120, 240], RED).png({ palette: true }), [10, 120, 240], 0],
    ];
    for (const [name, image, colour, tolerance] of cases) {
      const { raster } = await readImage(await save(name, image));
      assert.equal(raster.data.length, 8 * 8 * 3, name);
      assertColour(pixel(raster, 1, 1), colour, tolerance, name);
    }
  });

  it('keeps the alpha of an RGBA PNG and drops an opaque one', async () => {
    const rgba = Buffer.from([255, 0, 0, 0, 255, 0, 0, 128, 0, 0, 255, 255, 0, 0, 255, 255]);
    const img = await readImage(await save('rgba.png', sharp(rgba, { raw: { width: 4, height: 1, channels: 4 } })));
    assert.deepEqual(Array.from(img.alpha ?? [], (a) => Math.round(a * 255)), [0, 128, 255, 255]);
    assertColour(pixel(img.raster, 1, 0), RED, 0, 'colour under half alpha');

    const opaque = await readImage(await save('opaque.png', halves(4, 1, RED).ensureAlpha(1).png()));
    assert.equal(opaque.alpha, undefined);
  });

  it('decodes the first frame of an animated GIF', async () => {
    const frame = (colour: typeof RED) => halves(6, 4, colour).png().toBuffer();
    const file = path.join(dir, 'two-frames.gif');
    await sharp([await frame(RED), await frame(BLUE)], { join: { animated: true } }).gif().toFile(file);
    const notices: string[] = [];
    const { raster } = await readImage(file, { onNotice: (m) => notices.push(m) });
    assert.deepEqual([raster.width, raster.height], [6, 4]);
    assertColour(pixel(raster, 3, 2), RED, 0, 'first frame');
    assert.deepEqual(notices, [`${file} is an animation of 2 frames: only its first frame is used`]);
  });

  it('reads bytes handed over directly (as the extension does)', async () => {
    const bytes = await halves(5, 3, BLUE).webp({ lossless: true }).toBuffer();
    const img = await readImageFromBuffer(bytes, 'memory.webp');
    assert.equal(img.format, 'webp');
    assertColour(pixel(img.raster, 4, 2), BLUE, 0, 'webp from bytes');
  });

  it('refuses an image over the pixel limit, saying its size and the limit', async () => {
    const file = await save('big.png', halves(100, 100, RED).png());
    await rejectsAsUserError(readImage(file, { maxPixels: 5000 }), file, '10,000', '5,000');
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    // The default limit stops it without touching the data; decoded shrunk, its own size is bounded too.
    const bomb = await claimedPng(30000, 30000);
    await rejectsAsUserError(readImageFromBuffer(bomb, 'bomb.png'), 'bomb.png', '900,000,000', 'over the limit of 100,000,000');
    await rejectsAsUserError(readImageFromBuffer(bomb, 'bomb.png', { needLongSide: 64 }), 'bomb.png', '900,000,000', 'over the limit of 268,402,689');
  });

  it('counts the pixels an image is decoded at, not its own, when it is decoded shrunk', async () => {
    // 144 megapixels in the header, over the 100 of a whole decode; needed at 512 px it is decoded at 1024 px, so
    // decoding starts (and meets the 1 pixel of data).
    const photo = await claimedPng(12000, 12000);
    await rejectsAsUserError(readImageFromBuffer(photo, 'photo.png'), 'photo.png is 12000x12000 = 144,000,000 pixels, over the limit of 100,000,000');
    await rejectsAsUserError(readImageFromBuffer(photo, 'photo.png', { needLongSide: 512 }), 'photo.png is corrupt or truncated');
    await rejectsAsUserError(
      readImageFromBuffer(photo, 'photo.png', { needLongSide: 512, maxPixels: 1000 }),
      'photo.png would take 1024x1024 = 1,048,576 pixels decoded, over the limit of 1,000',
    );
  });

  it('decodes an image more than 4x larger than needed already shrunk, after orientation', async () => {
    const wide = await halves(400, 200, RED, BLUE).png().toBuffer();
    const shrunk = await readImageFromBuffer(wide, 'wide.png', { needLongSide: 50 });
    assert.deepEqual([shrunk.raster.width, shrunk.raster.height], [100, 50]);
    assertColour(pixel(shrunk.raster, 10, 25), RED, 0, 'left');
    assertColour(pixel(shrunk.raster, 90, 25), BLUE, 0, 'right');
    const translucent = await halves(400, 200, RED).ensureAlpha(0.5).png().toBuffer();
    const opacities = (a?: Float32Array) => new Set(Array.from(a ?? [], (v) => Math.round(v * 255)));
    const { alpha } = await readImageFromBuffer(translucent, 'translucent.png', { needLongSide: 50 });
    assert.equal(alpha?.length, 100 * 50);
    assert.deepEqual(opacities(alpha), opacities((await readImageFromBuffer(translucent, 'translucent.png')).alpha));

    // EXIF orientation 6 stands the image up: the size asked for is that of the upright image.
    const rotated = await halves(64, 32, RED, BLUE).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const upright = await readImageFromBuffer(rotated, 'rotated.jpg', { needLongSide: 7 });
    assert.deepEqual([upright.raster.width, upright.raster.height], [6, 14]);
    assertColour(pixel(upright.raster, 3, 1), RED, 12, 'top (was left)');
    assertColour(pixel(upright.raster, 3, 12), BLUE, 12, 'bottom (was right)');
  });

  it('decodes an image at most 4x larger than needed at its own size, as without a needed size', async () => {
    const bytes = await halves(200, 100, RED, BLUE).jpeg().toBuffer();
    const own = await readImageFromBuffer(bytes, 'own.jpg', { needLongSide: 50 });
    assert.deepEqual(own.raster, (await readImageFromBuffer(bytes, 'own.jpg')).raster);
  });

  it('refuses a job whose images would decode to over 100 megapixels in all, from their headers, before decoding any', async () => {
    // Headers that claim 6000x6000 over 1 pixel of data: decoding any of them would fail as corrupt instead.
    const claimed = await claimedPng(6000, 6000);
    const job = ['a.png', 'b.png', 'c.png'].map((name) => ({ name, bytes: claimed }));
    await rejectsAsUserError(
      readJobImages(job),
      'the images of this job would take 108,000,000 pixels decoded (a.png 6000x6000, b.png 6000x6000, c.png 6000x6000), ' +
        'over the limit of 100,000,000 for one job; use smaller images, fewer styles or a smaller output size',
    );
    // Needed at 64 px they would be decoded at 128 px: within the budget, so decoding starts (and meets the lie).
    await rejectsAsUserError(readJobImages(job.map((j) => ({ ...j, needLongSide: 64 }))), 'a.png is corrupt or truncated');
  });

  it('explains a missing file, a folder, an empty file, a non-image, SVG and a truncated file', async () => {
    const missing = path.join(dir, 'nope.png');
    await rejectsAsUserError(readImage(missing), 'not found', missing);
    await rejectsAsUserError(readImage(dir), dir, 'folder');

    const empty = path.join(dir, 'empty.png');
    await fs.writeFile(empty, '');
    await rejectsAsUserError(readImage(empty), empty, 'empty');

    const text = path.join(dir, 'notes.png');
    await fs.writeFile(text, 'these are notes, not pixels\n');
    await rejectsAsUserError(readImage(text), text, 'not an image');

    const svg = path.join(dir, 'drawing.svg');
    await fs.writeFile(svg, '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    await rejectsAsUserError(readImage(svg), svg, 'SVG', 'not supported');

    const jpeg = await halves(64, 64, RED, BLUE).jpeg().toBuffer();
    const truncated = path.join(dir, 'truncated.jpg');
    await fs.writeFile(truncated, jpeg.subarray(0, jpeg.length - 40));
    await rejectsAsUserError(readImage(truncated), truncated, 'corrupt');
  });

  it('loads the tutorial dog photo at 422x512 with fitLongSide(512)', async function () {
    requireShared(this, DOG);
    const { raster } = await readImage(DOG);
    assert.deepEqual([raster.height, raster.width], [577, 700]);
    assert.deepEqual(fitLongSide(raster.height, raster.width, 512), { height: 422, width: 512 });
  });
});
