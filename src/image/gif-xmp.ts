/**
 * XMP in a GIF, as the XMP specification (part 3) puts it: an application extension "XMP DataXMP" whose data is
 * the packet's bytes as they are, followed by a "magic trailer" (0x01, 0xFF down to 0x00, then the block
 * terminator) that makes a decoder reading the bytes as sub-blocks land on the terminator wherever it starts.
 * exiftool and Adobe's tools read it there; sharp writes no metadata into a GIF, so the block is added to its bytes.
 */

const EXTENSION = 0x21;
const IMAGE = 0x2c;
const END = 0x3b;
const GRAPHIC_CONTROL = 0xf9;
const APPLICATION = 0xff;
/** The application extension's first sub-block: its size (11), "XMP Data" and the authentication code "XMP". */
const XMP_ID = Buffer.from('\x0bXMP DataXMP', 'latin1');
/** 0x01, 0xFF, 0xFE, …, 0x01, 0x00, then the block terminator 0x00. */
const MAGIC_TRAILER = Buffer.from([0x01, ...Array.from({ length: 256 }, (_, i) => 255 - i), 0x00]);

interface Block {
  readonly start: number;
  /** Just past the block. */
  readonly end: number;
  readonly kind: number;
  /** An extension's label. */
  readonly label?: number;
}

/** Where the data sub-blocks starting at `p` end (past their terminator), or undefined if the bytes end first. */
function skipSubBlocks(gif: Uint8Array, p: number): number | undefined {
  while (p < gif.length) {
    const size = gif[p];
    p += 1 + size;
    if (size === 0) return p;
  }
  return undefined;
}

/** Bytes of the colour table `flags` announces (a logical screen's or an image's). */
const colourTable = (flags: number): number => (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0);

/**
 * The blocks after the header, the logical screen descriptor and the global colour table, up to the trailer.
 * Stops early, without the broken block, where the bytes do not follow GIF's grammar.
 */
function* gifBlocks(gif: Uint8Array): Generator<Block> {
  if (gif.length < 13 || Buffer.from(gif.subarray(0, 3)).toString('latin1') !== 'GIF') return;
  let p = 13 + colourTable(gif[10]);
  while (p < gif.length && gif[p] !== END) {
    const kind = gif[p];
    let end: number | undefined;
    if (kind === EXTENSION) end = skipSubBlocks(gif, p + 2);
    // The image descriptor (10 bytes), its colour table, the LZW code size, then the data.
    else if (kind === IMAGE && p + 10 <= gif.length) end = skipSubBlocks(gif, p + 10 + colourTable(gif[p + 9]) + 1);
    if (end === undefined) return;
    yield { start: p, end, kind, label: kind === EXTENSION ? gif[p + 1] : undefined };
    p = end;
  }
}

/**
 * `gif` with `xmp` in an XMP application extension placed before the first frame (after the loop's extension),
 * where readers that stop at the first image still find it. The packet may hold no NUL byte.
 */
export function insertGifXmp(gif: Buffer, xmp: string): Buffer {
  const packet = Buffer.from(xmp, 'utf8');
  if (packet.includes(0)) throw new Error('an XMP packet for a GIF cannot hold a NUL byte');
  for (const b of gifBlocks(gif)) {
    if (b.kind === IMAGE || b.label === GRAPHIC_CONTROL) {
      const block = Buffer.concat([Buffer.from([EXTENSION, APPLICATION]), XMP_ID, packet, MAGIC_TRAILER]);
      return Buffer.concat([gif.subarray(0, b.start), block, gif.subarray(b.start)]);
    }
  }
  throw new Error('not a GIF stream with a frame');
}

/** The packet of a GIF's XMP application extension; undefined when it has none or only a malformed one. */
export function readGifXmp(gif: Uint8Array): string | undefined {
  const bytes = Buffer.from(gif.buffer, gif.byteOffset, gif.byteLength);
  for (const b of gifBlocks(bytes)) {
    const data = b.start + 2 + XMP_ID.length;
    const trailer = b.end - MAGIC_TRAILER.length;
    if (
      b.label === APPLICATION && trailer >= data &&
      bytes.subarray(b.start + 2, data).equals(XMP_ID) && bytes.subarray(trailer, b.end).equals(MAGIC_TRAILER)
    ) {
      return bytes.toString('utf8', data, trailer);
    }
  }
  return undefined;
}
