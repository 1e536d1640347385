import sharp from 'sharp';
import { UserError, errorMessage } from '../engine/errors';
import { readImageBytes } from './input-file';
import { unpackPixels } from './pixels';
import type { Raster } from './raster';

export type InputFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

const SUPPORTED = 'JPEG, PNG, WebP, GIF, TIFF or AVIF';

/** Guards against decompression bombs: a few bytes can claim a huge image that would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export interface ReadOptions {
  /** Refuse images with more pixels than this (default DEFAULT_MAX_PIXELS). */
  readonly maxPixels?: number;
}

export interface DecodedImage {
  /** sRGB from 8 bits per channel, EXIF orientation applied. */
  readonly raster: Raster;
  /** Opacity per pixel in [0, 1]; absent when the image has no alpha or is fully opaque. */
  readonly alpha?: Float32Array;
  readonly format: InputFormat;
}

/** What the header says, read without decoding the pixels. */
export interface ImageHeader {
  readonly format: InputFormat;
  /** Stored size, before EXIF orientation; of the first frame for animations. */
  readonly width: number;
  readonly height: number;
  /** PNG text chunks. */
  readonly comments: ReadonlyArray<{ readonly keyword: string; readonly text: string }>;
  readonly xmp?: string;
}

/** libvips' messages may run over several lines and end in a dangling colon; keep the first line's gist. */
function vipsReason(e: unknown): string {
  return errorMessage(e).split('\n')[0].trim().replace(/:$/, '');
}

function inputFormat(meta: sharp.Metadata, name: string): InputFormat {
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
    case 'tiff':
      return meta.format;
    case 'heif':
      // HEIF is a container: AVIF is HEIF with AV1; HEVC (HEIC) has no decoder in sharp's prebuilt libvips.
      if (meta.compression === 'av1') return 'avif';
      throw new UserError(`${name}: HEIC images are not supported; use ${SUPPORTED}`);
    default:
      throw new UserError(`${name}: ${meta.format.toUpperCase()} images are not supported; use ${SUPPORTED}`);
  }
}

export async function readImageHeader(bytes: Uint8Array, name: string): Promise<ImageHeader> {
  if (bytes.length === 0) throw new UserError(`${name} is empty`);
  let meta: sharp.Metadata;
  try {
    // Reading the header decodes no pixels; lifting sharp's own limit lets readImageFromBuffer say what is too big.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    if (/unsupported image format/i.test(errorMessage(e))) {
      throw new UserError(`${name} is not an image in a supported format (${SUPPORTED})`);
    }
    throw new UserError(`${name} is corrupt: ${vipsReason(e)}`);
  }
  return {
    format: inputFormat(meta, name),
    width: meta.width,
    height: meta.height,
    comments: meta.comments ?? [],
    xmp: meta.xmpAsString,
  };
}

/**
 * Decodes an image the way the engine wants it: first frame, EXIF orientation applied, any colour space,
 * bit depth or palette converted to 8-bit sRGB, and alpha split off so the output can put it back.
 * `name` (a path or URI) is only used in messages.
 */
export async function readImageFromBuffer(
  bytes: Uint8Array,
  name: string,
  opts: ReadOptions = {},
): Promise<DecodedImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = await readImageHeader(bytes, name);
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    const count = (n: number): string => n.toLocaleString('en-US');
    throw new UserError(
      `${name} is ${header.width}x${header.height} = ${count(pixels)} pixels, over the limit of ${count(maxPixels)}`,
    );
  }
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    // 'error' rejects truncated and broken data but not the harmless warnings some cameras' JPEGs raise.
    decoded = await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels })
      .autoOrient()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new UserError(`${name} is corrupt or truncated: ${vipsReason(e)}`);
  }
  const { width, height, channels } = decoded.info;
  if (channels !== 3 && channels !== 4) {
    throw new Error(`decoding ${name} gave ${channels} channels, expected sRGB with or without alpha`);
  }
  return { ...unpackPixels(decoded.data, width, height, channels), format: header.format };
}

export async function readImage(path: string, opts: ReadOptions = {}): Promise<DecodedImage> {
  return readImageFromBuffer(await readImageBytes(path), path, opts);
}
