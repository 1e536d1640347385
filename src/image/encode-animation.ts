import sharp from 'sharp';
import type { AnimationFormat } from '../common/formats';
import { DEFAULT_QUALITY } from './encode';
import { insertGifXmp } from './gif-xmp';
import { checkSettings, type ImageSettings } from './metadata';
import { settingsToXmp } from './xmp';

/**
 * GIF's 256 colours without shimmer: one palette for the whole animation (the first frame's, reused whatever the
 * error: a stylized clip keeps its style's colours), and a pixel within a few levels of the previous frame's left
 * transparent so that the previous frame shows through it, which keeps dithering from crawling over still regions.
 * See bench/fast/animation.ts for what these save.
 */
export const GIF_STEADY = { interPaletteMaxError: 256, interFrameMaxError: 8 } as const;

/**
 * libwebp's effort for an animation's frames: 2 encodes a 100-frame 480x270 clip in half the time of the default 4,
 * to within 0.2% of its size (bench/fast/animation.ts).
 */
export const WEBP_ANIMATION_EFFORT = 2;

/** The frames of an animation, as the encoder takes them. */
export interface AnimationFrames {
  /** Every frame's pixels, one after the other, as 8-bit RGBA. */
  readonly rgba: Uint8Array;
  readonly width: number;
  /** One frame's height. */
  readonly height: number;
  readonly delays: readonly number[];
  /** How many times it plays: 0 for ever. */
  readonly loop: number;
  /** Whether every pixel of every frame is opaque (the alpha channel is then left out). */
  readonly opaque: boolean;
}

/** An animation encoded in `format` (WebP at `quality`), its settings recorded as XMP. */
export async function encodeAnimation(
  a: AnimationFrames,
  opts: { readonly format: AnimationFormat; readonly quality?: number; readonly metadata?: ImageSettings },
): Promise<Buffer> {
  const frames = a.delays.length;
  let image = sharp(a.rgba, { raw: { width: a.width, height: a.height * frames, channels: 4, pageHeight: a.height } });
  if (a.opaque) image = image.removeAlpha();
  const timing = { delay: [...a.delays], loop: a.loop };
  // A GIF keeps frames equal to the one before (a still clip steadied), so that it has as many frames as its input;
  // libwebp has no such option and merges them into one frame shown as long (the same playback, fewer frames).
  image = opts.format === 'gif'
    ? image.gif({ ...timing, ...GIF_STEADY, keepDuplicateFrames: true })
    : image.webp({ ...timing, quality: opts.quality ?? DEFAULT_QUALITY, effort: WEBP_ANIMATION_EFFORT });
  const settings = opts.metadata ?? {};
  checkSettings(settings);
  if (Object.keys(settings).length === 0) return image.toBuffer();
  // sharp writes XMP into a WebP but no metadata into a GIF: there the block is added to its bytes.
  if (opts.format === 'gif') return insertGifXmp(await image.toBuffer(), settingsToXmp(settings));
  return image.withXmp(settingsToXmp(settings)).toBuffer();
}
