import sharp from 'sharp';
import { UserError, errorMessage } from '../engine/errors';
import { decodeSize, type Size } from './decode-size';
import { readImageBytes } from './input-file';
import { unpackPixels } from './pixels';
import type { Raster } from './raster';

export type InputFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

const SUPPORTED = 'JPEG, PNG, WebP, GIF, TIFF or AVIF';

/** Guards against decompression bombs: a few bytes can claim a huge image that would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/**
 * The pixels a whole job (content and every style) may hold once decoded: as many as one image may have. Each
 * takes up to 16 bytes as the engine's float raster and alpha, so this is about 1.6 GB, besides the engine's own.
 */
export const JOB_MAX_PIXELS = DEFAULT_MAX_PIXELS;

export interface ReadOptions {
  /** Refuse images with more pixels than this (default DEFAULT_MAX_PIXELS), decoded or not. */
  readonly maxPixels?: number;
  /**
   * The longest side the engine will fit this image to (the output size for the content, styleLongSide of it for
   * a style). A much larger image is decoded already shrunk, to a size that still leaves the engine's resize the
   * last word (see decode-size.ts). Absent: decoded at its own size.
   */
  readonly needLongSide?: number;
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
  /** The size once EXIF orientation is applied: that of the decoded image. */
  readonly oriented: Size;
  /** Frames of an animation (1 for a still image); only the first is decoded. */
  readonly frames: number;
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
    oriented: { width: meta.autoOrient.width, height: meta.autoOrient.height },
    frames: meta.pages ?? 1,
    comments: meta.comments ?? [],
    xmp: meta.xmpAsString,
  };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The size `header`'s image is decoded at, after refusing one over `maxPixels` before anything is decoded. */
function checkedDecodeSize(header: ImageHeader, name: string, opts: ReadOptions): Size {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const pixels = header.width * header.height;
  if (pixels > maxPixels) {
    throw new UserError(
      `${name} is ${header.width}x${header.height} = ${count(pixels)} pixels, over the limit of ${count(maxPixels)}`,
    );
  }
  return decodeSize(header.oriented, opts.needLongSide);
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
  const one = { name, bytes, needLongSide: opts.needLongSide };
  const [image] = await readJobImages([one], { maxPixels: opts.maxPixels, jobMaxPixels: Infinity });
  return image;
}

export interface JobImage {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** As in ReadOptions. */
  readonly needLongSide?: number;
}

/**
 * Decodes the images of one job (content and styles), in order. All headers are read first: a job whose images
 * would hold more than `jobMaxPixels` (JOB_MAX_PIXELS) decoded pixels in all is refused before any is decoded, and
 * each is refused over `maxPixels` as readImageFromBuffer does. One image is decoded at a time.
 */
export async function readJobImages(
  images: readonly JobImage[],
  opts: { readonly maxPixels?: number; readonly jobMaxPixels?: number } = {},
): Promise<DecodedImage[]> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const jobMaxPixels = opts.jobMaxPixels ?? JOB_MAX_PIXELS;
  const plans: Array<{ image: JobImage; header: ImageHeader; size: Size }> = [];
  for (const image of images) {
    const header = await readImageHeader(image.bytes, image.name);
    plans.push({ image, header, size: checkedDecodeSize(header, image.name, { maxPixels, needLongSide: image.needLongSide }) });
  }
  const total = plans.reduce((n, p) => n + p.size.width * p.size.height, 0);
  if (total > jobMaxPixels) {
    const sizes = plans.map((p) => `${p.image.name} ${p.size.width}x${p.size.height}`).join(', ');
    throw new UserError(
      `the images of this job would take ${count(total)} pixels decoded (${sizes}), over the limit of ` +
        `${count(jobMaxPixels)} for one job; use smaller images, fewer styles or a smaller output size`,
    );
  }
  const decoded: DecodedImage[] = [];
  for (const p of plans) decoded.push(await decodeAt(p.image.bytes, p.image.name, p.header, p.size, maxPixels));
  return decoded;
}

async function decodeAt(
  bytes: Uint8Array,
  name: string,
  header: ImageHeader,
  size: Size,
  maxPixels: number,
): Promise<DecodedImage> {
  const shrink = size.width !== header.oriented.width || size.height !== header.oriented.height;
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    // 'error' rejects truncated and broken data but not the harmless warnings some cameras' JPEGs raise.
    let image = sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }).autoOrient();
    // Sizes after orientation; 'fill' keeps whole-image extents as the engine's resize does, at the exact size asked.
    if (shrink) image = image.resize(size.width, size.height, { fit: 'fill' });
    decoded = await image.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
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
