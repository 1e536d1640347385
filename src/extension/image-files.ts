import * as path from 'path';

/** The image types the worker decodes (sharp/libvips); menus, pickers and dialogs offer these only. */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'tif', 'tiff', 'avif'] as const;

/** For when clauses on `resourceExtname` (which keeps the file's letter case, hence the `i` flag). */
export const IMAGE_EXTNAME_REGEX = `/^\\.(${IMAGE_EXTENSIONS.join('|')})$/i`;

/** `findFiles` globs match case-sensitively: the usual spellings, lower and upper case. */
export const IMAGE_NAME_GLOB = `*.{${IMAGE_EXTENSIONS.flatMap((e) => [e, e.toUpperCase()]).join(',')}}`;

export const IMAGE_GLOB = `**/${IMAGE_NAME_GLOB}`;

export function isImagePath(p: string): boolean {
  const ext = path.posix.extname(p).slice(1).toLowerCase();
  return (IMAGE_EXTENSIONS as readonly string[]).includes(ext);
}
