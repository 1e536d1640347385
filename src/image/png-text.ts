import { crc32 } from 'zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Signature, then IHDR: length (4), type (4), 13 bytes of data, CRC (4). */
const AFTER_IHDR = SIGNATURE.length + 4 + 4 + 13 + 4;

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/** Uncompressed iTXt: keyword NUL, flag 0, method 0, empty language NUL, empty translation NUL, UTF-8 text. */
function itxt(keyword: string, text: string): Buffer {
  return chunk('iTXt', Buffer.concat([Buffer.from(`${keyword}\0\0\0\0\0`, 'latin1'), Buffer.from(text, 'utf8')]));
}

/**
 * Adds one iTXt chunk per entry (UTF-8, so any path or prompt survives) right after IHDR: readers that stop
 * at the image data, as header-only metadata readers do, still see them.
 */
export function insertPngText(png: Buffer, entries: Readonly<Record<string, string>>): Buffer {
  if (!png.subarray(0, SIGNATURE.length).equals(SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG stream starting with IHDR');
  }
  const chunks = Object.entries(entries).map(([k, v]) => itxt(k, v));
  return Buffer.concat([png.subarray(0, AFTER_IHDR), ...chunks, png.subarray(AFTER_IHDR)]);
}
