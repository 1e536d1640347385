import { createHash } from 'crypto';
import * as path from 'path';
import { UserError } from '../common/errors';
import { installedDir } from '../engine/installed-assets';
import { readImageBytes } from '../image/input-file';
import { paintingLabel, type GalleryStyle } from './paintings';

/** assets/gallery of the installation. */
export function galleryDir(): string {
  return installedDir(path.join('assets', 'gallery'), "the style gallery's paintings");
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Refuses bytes that are not the painting the gallery ships (a damaged or replaced file), naming the file as
 * `where` says: the gallery was tested on these bytes, and fast mode's stored style vectors are theirs.
 */
export function checkPainting(style: GalleryStyle, bytes: Uint8Array, where: string): void {
  const actual = sha256Hex(bytes);
  if (actual !== style.sha256) {
    throw new UserError(
      `${where} is not the gallery's ${paintingLabel(style)}: its sha256 is ${actual}, not ${style.sha256} (damaged or replaced; reinstall)`,
    );
  }
}

/** A gallery painting's bytes, read from the installation (or `dir`) and checked. */
export async function readPainting(style: GalleryStyle, dir = galleryDir()): Promise<Buffer> {
  const file = path.join(dir, style.file);
  const bytes = await readImageBytes(file);
  checkPainting(style, bytes, file);
  return bytes;
}
