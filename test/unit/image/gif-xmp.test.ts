import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import { encodeAnimation, type AnimationFrames } from '../../../src/image/encode-animation';
import { readGifXmp } from '../../../src/image/gif-xmp';
import { readImageMetadata } from '../../../src/image/metadata';

const W = 24;
const H = 16;
const DELAYS = [40, 80, 120, 160, 200, 240, 280, 320];
const SETTINGS = {
  'neural-style': '{"options":{"method":"fast","style":"/home/ünï/Kandinsky «7».jpg","note":"a & b < c > d"}}',
  second: 'line one\nline two\ttab',
};

/** Eight frames, each a different diagonal gradient, so that none equals the one before. */
function frames(): AnimationFrames {
  const rgba = Buffer.alloc(W * H * 4 * DELAYS.length);
  for (let f = 0; f < DELAYS.length; f++) {
    for (let i = 0; i < W * H; i++) {
      const [x, y] = [i % W, Math.floor(i / W)];
      rgba.set([(x * 10 + f * 30) % 256, (y * 15) % 256, (f * 31) % 256, 255], (f * W * H + i) * 4);
    }
  }
  return { rgba, width: W, height: H, delays: DELAYS, loop: 3, opaque: true };
}

/** A GIF's XMP application extension as other tools may get it wrong: its data in sub-blocks, no magic trailer. */
function withoutMagicTrailer(gif: Buffer, xmp: string): Buffer {
  const packet = Buffer.from(xmp, 'utf8');
  const subBlocks: Buffer[] = [];
  for (let i = 0; i < packet.length; i += 255) {
    const part = packet.subarray(i, i + 255);
    subBlocks.push(Buffer.from([part.length]), part);
  }
  const block = Buffer.concat([Buffer.from('\x21\xff\x0bXMP DataXMP', 'latin1'), ...subBlocks, Buffer.from([0])]);
  const at = gif.indexOf(Buffer.from([0x21, 0xf9]));
  return Buffer.concat([gif.subarray(0, at), block, gif.subarray(at)]);
}

describe('settings in an animated GIF', () => {
  let plain: Buffer;
  let recorded: Buffer;
  before(async () => {
    plain = await encodeAnimation(frames(), { format: 'gif' });
    recorded = await encodeAnimation(frames(), { format: 'gif', metadata: SETTINGS });
  });

  it('round-trip through a GIF of 8 frames, whose frames, delays, loop and pixels are unchanged', async () => {
    assert.deepEqual(await readImageMetadata(recorded), SETTINGS);
    const meta = await sharp(recorded).metadata();
    assert.equal(meta.format, 'gif');
    assert.equal(meta.pages, DELAYS.length);
    assert.deepEqual(meta.delay, DELAYS);
    assert.equal(meta.loop, 3);
    const pixels = (gif: Buffer) => sharp(gif, { pages: -1 }).raw().toBuffer();
    assert.ok((await pixels(recorded)).equals(await pixels(plain)), 'every frame decodes to the same pixels');
  });

  it('are an XMP application extension with its magic trailer, after the loop and before the first frame', () => {
    const xmp = recorded.indexOf('XMP DataXMP');
    assert.ok(xmp > recorded.indexOf('NETSCAPE2.0'), 'after the loop extension');
    assert.ok(xmp < recorded.indexOf(Buffer.from([0x21, 0xf9])), 'before the first frame\'s graphic control');
    assert.equal(recorded.length - plain.length, 2 + 12 + Buffer.byteLength(readGifXmp(recorded)!) + 258);
  });

  it('are empty for a GIF without them', async () => {
    assert.deepEqual(await readImageMetadata(plain), {});
  });

  it('are ignored, without failing, where the block is malformed', async () => {
    const xmp = readGifXmp(recorded)!;
    // Well-formed GIF that any decoder plays, but not the XMP specification's block.
    const noTrailer = withoutMagicTrailer(plain, xmp);
    assert.equal((await sharp(noTrailer).metadata()).pages, DELAYS.length);
    assert.deepEqual(await readImageMetadata(noTrailer), {});
    // Cut inside the block, or inside its trailer, or with the trailer altered.
    const start = recorded.indexOf('XMP DataXMP');
    const trailer = start + 11 + Buffer.byteLength(xmp);
    assert.equal(readGifXmp(recorded.subarray(0, start + 40)), undefined);
    assert.equal(readGifXmp(recorded.subarray(0, trailer + 100)), undefined);
    const altered = Buffer.from(recorded);
    altered[trailer + 2] = 0x20;
    assert.equal(readGifXmp(altered), undefined);
    assert.equal(readGifXmp(Buffer.from('GIF89a not a GIF at all')), undefined);
  });
});
