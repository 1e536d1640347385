import { readImageBytes } from './input-file';
import { readImageHeader } from './decode';
import { readGifXmp } from './gif-xmp';
import { settingsFromXmp } from './xmp';

/** Settings stored in an output image so that the run can be repeated: name -> value. */
export type ImageSettings = Readonly<Record<string, string>>;

/**
 * Keys must be valid both as PNG keywords and as XML element names; values may hold any text but the control
 * characters XML cannot carry (CR included: XML turns it into LF, so it would not round-trip).
 */
export function checkSettings(settings: ImageSettings): void {
  for (const [key, value] of Object.entries(settings)) {
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,78}$/.test(key)) throw new Error(`image metadata key "${key}" is not a simple name`);
    if (/[\0-\x08\x0b-\x1f]/.test(value)) throw new Error(`image metadata "${key}" holds control characters`);
  }
}

/**
 * The settings `encodeImage` or `encodeAnimation` stored in an image: PNG text chunks, or the XMP of a JPEG, WebP
 * or GIF (which sharp does not read in a GIF). Empty when the image has none. `source` is a path or the image's bytes; `name` stands for the bytes in messages.
 */
export async function readImageMetadata(
  source: string | Uint8Array,
  name = typeof source === 'string' ? source : 'the image data',
): Promise<Record<string, string>> {
  const bytes = typeof source === 'string' ? await readImageBytes(source) : source;
  const header = await readImageHeader(bytes, name);
  if (header.format === 'png') return Object.fromEntries(header.comments.map((c) => [c.keyword, c.text]));
  const xmp = header.format === 'gif' ? readGifXmp(bytes) : header.xmp;
  return xmp ? settingsFromXmp(xmp) : {};
}
