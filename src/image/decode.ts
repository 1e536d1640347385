import sharp from 'sharp';
import { UserError, errorMessage } from '../common/errors';
import { decodeSize, type Size } from './decode-size';
import { readImageBytes } from './input-file';
import { unpackPixels } from './pixels';
import type { Raster } from './raster';
import type { Animation } from '../common/animation';
import { animationOf, decodeFrame, frameSize } from './animation';
import type { OptionName } from '../common/options';

export type InputFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

const SUPPORTED = 'JPEG, PNG, WebP, GIF, TIFF or AVIF';

/** Guards against decompression bombs: a few bytes can claim a huge image that would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/**
 * The largest image decoded already shrunk (sharp's own default limit, 16383x16383). Its memory is mostly that of
 * the shrunk size: JPEG and WebP shrink while they load, and other formats stream through the resize in strips
 * (12000x12000 to 1024 px takes 0.13 GB). Its own size still costs the time to read every pixel, which this bounds.
 */
const MAX_SHRUNK_SOURCE_PIXELS = 0x3fff * 0x3fff;

/**
 * The pixels a whole job (content and every style) may hold once decoded: as many as one image may have. Each
 * takes up to 16 bytes as the engine's float raster and alpha, so this is about 1.6 GB, besides the engine's own.
 */
export const JOB_MAX_PIXELS = DEFAULT_MAX_PIXELS;

export interface ReadOptions {
  /**
   * Refuse images that would take more pixels than this decoded (default DEFAULT_MAX_PIXELS); one decoded shrunk
   * may itself be larger, up to MAX_SHRUNK_SOURCE_PIXELS.
   */
  readonly maxPixels?: number;
  /**
   * The longest side the engine will fit this image to (the output size for the content, styleLongSide of it for
   * a style). A much larger image is decoded already shrunk, to a size that still leaves the engine's resize the
   * last word (see decode-size.ts). Absent: decoded at its own size.
   */
  readonly needLongSide?: number;
  /** Told what the user should know of an image that is read all the same (the frames of an animation left out). */
  readonly onNotice?: (message: string) => void;
}

export interface DecodedImage {
  /** sRGB from 8 bits per channel, EXIF orientation applied. */
  readonly raster: Raster;
  /** Opacity per pixel in [0, 1]; absent when the image has no alpha or is fully opaque. */
  readonly alpha?: Float32Array;
  readonly format: InputFormat;
  /** The image's own size (EXIF orientation applied), of which the raster may be a shrunk decode. */
  readonly source: Size;
  /** Set when the image was read as a whole animation (JobImage.wholeAnimation): the raster is its first frame. */
  readonly animation?: Animation;
}

/** What the header says, read without decoding the pixels. */
export interface ImageHeader {
  readonly format: InputFormat;
  /** Stored size, before EXIF orientation; of the first frame for animations. */
  readonly width: number;
  readonly height: number;
  /** The size once EXIF orientation is applied: that of the decoded image. */
  readonly oriented: Size;
  /**
   * Frames of an animation, or pages of a TIFF: 1 for a still image. Only the first is decoded here; an animation's
   * others are decoded by animation.ts.
   */
  readonly frames: number;
  /** An animation's frame delays (milliseconds) and how many times it plays (0: for ever), as stored. */
  readonly delays?: readonly number[];
  readonly loop?: number;
  /** PNG text chunks. */
  readonly comments: ReadonlyArray<{ readonly keyword: string; readonly text: string }>;
  readonly xmp?: string;
}

/** libvips' messages may run over several lines and end in a dangling colon; keep the first line's gist. */
export function vipsReason(e: unknown): string {
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
    delays: meta.delay,
    loop: meta.loop,
    comments: meta.comments ?? [],
    xmp: meta.xmpAsString,
  };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** How `header`'s image is decoded: at which size, and the most pixels its source may have. */
interface DecodePlan {
  readonly size: Size;
  readonly sourceLimit: number;
}

/**
 * The size `header`'s image is decoded at, after refusing, before anything is decoded, one that would take over
 * `maxPixels` decoded, or that is over MAX_SHRUNK_SOURCE_PIXELS itself when decoded shrunk.
 */
function planDecode(
  header: ImageHeader, name: string, maxPixels: number, needLongSide: number | undefined, frames: number, optionName: OptionName | undefined,
): DecodePlan {
  const size = frames > 1 ? frameSize(header, needLongSide) : decodeSize(header.oriented, needLongSide);
  const shrunk = size.width !== header.oriented.width || size.height !== header.oriented.height;
  const sourceLimit = shrunk ? Math.max(maxPixels, MAX_SHRUNK_SOURCE_PIXELS) : maxPixels;
  const source = header.width * header.height;
  if (source > sourceLimit) {
    throw new UserError(`${name} is ${header.width}x${header.height} = ${count(source)} pixels, over the limit of ${count(sourceLimit)}`);
  }
  const decoded = size.width * size.height;
  if (frames > 1 && frames * decoded > maxPixels) {
    const smaller = optionName ? `a smaller ${optionName('maxSize')}` : 'a smaller output size';
    throw new UserError(
      `${name} is an animation of ${count(frames)} frames of ${size.width}x${size.height}: ${count(frames * decoded)} pixels, over the ` +
        `limit of ${count(maxPixels)}; use fewer frames or ${smaller}`,
    );
  }
  if (decoded > maxPixels) {
    throw new UserError(
      `${name} would take ${size.width}x${size.height} = ${count(decoded)} pixels decoded, over the limit of ${count(maxPixels)}`,
    );
  }
  return { size, sourceLimit };
}

/** What the user is told of an image whose other frames or pages are left out. */
function firstFrameNotice(header: ImageHeader, name: string): string {
  return header.format === 'tiff'
    ? `${name} has ${header.frames} pages: only its first page is used`
    : `${name} is an animation of ${header.frames} frames: only its first frame is used`;
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
  const [image] = await readJobImages([one], { maxPixels: opts.maxPixels, jobMaxPixels: Infinity, onNotice: opts.onNotice });
  return image;
}

export interface JobImage {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** As in ReadOptions. */
  readonly needLongSide?: number;
  /**
   * The caller reads every frame of an animation (see animation.ts): no notice that only the first is used, and
   * the pixel limits count every frame.
   */
  readonly wholeAnimation?: boolean;
}

/**
 * Decodes the images of one job (content and styles), in order. All headers are read first: a job whose images
 * would hold more than `jobMaxPixels` (JOB_MAX_PIXELS) decoded pixels in all is refused before any is decoded, and
 * each is refused over `maxPixels` as readImageFromBuffer does. One image is decoded at a time.
 */
export async function readJobImages(
  images: readonly JobImage[],
  opts: Pick<ReadOptions, 'maxPixels' | 'onNotice'> & { readonly jobMaxPixels?: number; readonly optionName?: OptionName } = {},
): Promise<DecodedImage[]> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const jobMaxPixels = opts.jobMaxPixels ?? JOB_MAX_PIXELS;
  const plans: Array<{ image: JobImage; header: ImageHeader; frames: number } & DecodePlan> = [];
  for (const image of images) {
    const header = await readImageHeader(image.bytes, image.name);
    const frames = image.wholeAnimation && animationOf(header) ? header.frames : 1;
    plans.push({ image, header, frames, ...planDecode(header, image.name, maxPixels, image.needLongSide, frames, opts.optionName) });
  }
  const total = plans.reduce((n, p) => n + p.frames * p.size.width * p.size.height, 0);
  if (total > jobMaxPixels) {
    const sizes = plans.map((p) => `${p.image.name} ${p.frames > 1 ? `${p.frames} frames of ` : ''}${p.size.width}x${p.size.height}`).join(', ');
    throw new UserError(
      `the images of this job would take ${count(total)} pixels decoded (${sizes}), over the limit of ` +
        `${count(jobMaxPixels)} for one job; use smaller images, fewer styles or a smaller output size`,
    );
  }
  const decoded: DecodedImage[] = [];
  for (const p of plans) {
    if (p.header.frames > 1 && p.frames === 1) opts.onNotice?.(firstFrameNotice(p.header, p.image.name));
    const animation = p.frames > 1 ? animationOf(p.header) : undefined;
    decoded.push(animation
      ? { ...(await decodeFrame(p.image.bytes, p.image.name, animation, 0, p.size)), format: p.header.format, source: p.header.oriented, animation }
      : await decodeAt(p.image.bytes, p.image.name, p.header, p));
  }
  return decoded;
}

async function decodeAt(bytes: Uint8Array, name: string, header: ImageHeader, { size, sourceLimit }: DecodePlan): Promise<DecodedImage> {
  const shrink = size.width !== header.oriented.width || size.height !== header.oriented.height;
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    // 'error' rejects truncated and broken data but not the harmless warnings some cameras' JPEGs raise.
    let image = sharp(bytes, { failOn: 'error', limitInputPixels: sourceLimit }).autoOrient();
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
  return { ...unpackPixels(decoded.data, width, height, channels), format: header.format, source: header.oriented };
}

export async function readImage(path: string, opts: ReadOptions = {}): Promise<DecodedImage> {
  return readImageFromBuffer(await readImageBytes(path), path, opts);
}
