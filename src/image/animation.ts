import sharp from 'sharp';
import { UserError } from '../common/errors';
import type { Animation } from '../common/animation';
import { vipsReason, type ImageHeader } from './decode';
import type { Size } from './decode-size';
import { unpackPixels } from './pixels';
import { fitLongSide } from './resize';
import type { Raster } from './raster';

/**
 * The frames of an animated GIF or WebP, decoded one at a time: an animation is read as a stream, so that a job
 * holds a frame or two decoded, not the whole clip (see FastSession).
 */

/**
 * The size an animation's frames are decoded at: fitted to `needLongSide` when larger, as sharp resizes each frame
 * (the pixels a clip may hold count every frame, so it is never decoded larger than needed), else their own.
 */
export function frameSize(own: Size, needLongSide: number | undefined): Size {
  return needLongSide === undefined || Math.max(own.width, own.height) <= needLongSide
    ? { width: own.width, height: own.height }
    : fitLongSide(own.height, own.width, needLongSide);
}

/** A frame as the engine wants it: sRGB, and its opacity when it is not opaque all over. */
export interface Frame {
  readonly raster: Raster;
  readonly alpha?: Float32Array;
}

/** The animation `header` describes, or undefined for a still image (a TIFF's pages are not an animation). */
export function animationOf(header: ImageHeader): Animation | undefined {
  if (header.frames < 2 || (header.format !== 'gif' && header.format !== 'webp')) return undefined;
  const { format, frames, width, height } = header;
  // A frame without a delay of its own shows for the usual 0.1 s.
  const delays = Array.from({ length: frames }, (_, i) => header.delays?.[i] ?? 100);
  return { format, frames, delays, loop: header.loop ?? 0, width, height };
}

/** The decoder of an animation's frames (all of them, composited as a player shows them), in 8-bit RGBA. */
function frameDecoder(bytes: Uint8Array, opts: { page?: number; pages: number }): sharp.Sharp {
  // 'error' rejects broken frame data; the budget was checked before (see planDecode in decode.ts).
  return sharp(bytes, { ...opts, failOn: 'error', limitInputPixels: false }).toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' });
}

/** One frame's RGBA bytes brought to `size` and unpacked. */
async function frameAt(rgba: Uint8Array, a: Animation, size: Size): Promise<Frame> {
  const same = size.width === a.width && size.height === a.height;
  const pixels = same
    ? rgba
    : await sharp(rgba, { raw: { width: a.width, height: a.height, channels: 4 } }).resize(size.width, size.height, { fit: 'fill' }).raw().toBuffer();
  return unpackPixels(pixels, size.width, size.height, 4);
}

/**
 * The frames of animation `a` (whose file's bytes are `bytes`, named `name` in messages) at `size`, in order,
 * decoded as they are asked for. A frame whose data is broken fails with a UserError naming it (1-based).
 */
export async function* decodeFrames(bytes: Uint8Array, name: string, a: Animation, size: Size): AsyncGenerator<Frame> {
  const frameBytes = a.width * a.height * 4;
  const stream = frameDecoder(bytes, { pages: -1 });
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= frameBytes) {
        const rgba = pending.subarray(0, frameBytes);
        pending = pending.subarray(frameBytes);
        index++;
        yield await frameAt(rgba, a, size);
      }
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw await damagedFrame(bytes, name, a, index, e);
  } finally {
    stream.destroy();
  }
  if (index !== a.frames) throw new UserError(`${name} is damaged: it holds ${index} of the ${a.frames} frames its header announces`);
}

/** Frame `index` (0-based) of animation `a` alone at `size`, as decodeFrames gives it. */
export async function decodeFrame(bytes: Uint8Array, name: string, a: Animation, index: number, size: Size): Promise<Frame> {
  let rgba: Buffer;
  try {
    rgba = await frameDecoder(bytes, { page: index, pages: 1 }).toBuffer();
  } catch (e) {
    throw frameError(name, index, a, e);
  }
  return frameAt(rgba, a, size);
}

/**
 * The error of a decode that failed after `from` whole frames: libvips decodes ahead of what it hands over, so the
 * broken frame is found by decoding the following ones alone.
 */
async function damagedFrame(bytes: Uint8Array, name: string, a: Animation, from: number, e: unknown): Promise<UserError> {
  for (let i = from; i < a.frames; i++) {
    try {
      await frameDecoder(bytes, { page: i, pages: 1 }).toBuffer();
    } catch (frameProblem) {
      return frameError(name, i, a, frameProblem);
    }
  }
  return frameError(name, from, a, e);
}

function frameError(name: string, index: number, a: Animation, e: unknown): UserError {
  return new UserError(`${name}: frame ${index + 1} of ${a.frames} is damaged (${vipsReason(e)})`);
}
