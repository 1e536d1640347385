import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../common/errors';
import { GALLERY_PREFIX, closestGalleryIds, galleryStyle, paintingLabel, type GalleryStyle } from '../gallery/paintings';
import { readPainting } from '../gallery/read-painting';
import { readImageBytes } from '../image/input-file';

/** A style argument: an image file, or a painting of the gallery. */
export interface StyleSource {
  /** The file's path, or the painting's id: what the output's name and the recorded settings call it. */
  readonly name: string;
  readonly painting?: GalleryStyle;
  read(): Promise<Buffer>;
}

function unknownId(id: string, also = ''): UserError {
  return new UserError(
    `${also}the gallery has no style "${id}"; the closest are ${closestGalleryIds(id).join(', ')} (neural-style styles lists them all)`,
  );
}

const exists = (file: string) => fs.stat(file).then(() => true, () => false);

function painting(style: GalleryStyle): StyleSource {
  return { name: style.id, painting: style, read: () => readPainting(style) };
}

/**
 * What a style argument names: `gallery:ID` a painting of the gallery; anything else a file, or, when no file of
 * that name exists, the painting of that id (with a note, since a file of that name would win). An unknown id
 * names the closest ones.
 */
export async function styleSource(arg: string, note: (message: string) => void): Promise<StyleSource> {
  if (arg.startsWith(GALLERY_PREFIX)) {
    const id = arg.slice(GALLERY_PREFIX.length);
    const style = galleryStyle(id);
    if (!style) throw unknownId(id);
    return painting(style);
  }
  const file = { name: arg, read: () => readImageBytes(arg) };
  if (await exists(arg)) return file;
  const style = galleryStyle(arg);
  if (style) {
    note(`no file ${arg} here: using the gallery's ${paintingLabel(style)} (write ${GALLERY_PREFIX}${arg} to say so)`);
    return painting(style);
  }
  // A bare word with no file behind it was meant as an id, more likely than not.
  if (path.extname(arg) === '' && !/[/\\]/.test(arg)) throw unknownId(arg, `image file not found: ${arg}, and `);
  return file;
}
