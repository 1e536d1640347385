import { freePath, writeOutput, type OutputFs, type WriteMode } from './write';

/** Where the mask a picture was made with is saved: `<picture's name without its extension>.mask.png` beside it. */
export function maskFileOf(paths: OutputFs['paths'], picture: string): string {
  const { dir, name } = paths.parse(picture);
  return paths.join(dir, `${name}.mask.png`);
}

/** `fs` on which a picture's name counts as taken when its mask's name is. */
function bothFree(fs: OutputFs): OutputFs {
  return { ...fs, exists: async (p) => (await fs.exists(p)) || (await fs.exists(maskFileOf(fs.paths, p))) };
}

/**
 * The name `writeWithMask` would give a picture and its mask now (`next-free`): for an output that records its mask's
 * name inside, known before it is encoded.
 */
export function freePictureWithMask(fs: OutputFs, desired: string): Promise<string> {
  return freePath(bothFree(fs), desired);
}

/**
 * Writes a picture and the mask it was made with (see writeOutput), the mask under the picture's name: in
 * `next-free` mode the first name free for both is taken, so that a numbered picture gets the mask of its own
 * number. Should the mask not be written, neither is the picture (unless it replaced a file). Returns both paths.
 */
export async function writeWithMask(
  fs: OutputFs,
  desired: string,
  bytes: Uint8Array,
  mask: Uint8Array,
  mode: WriteMode = 'next-free',
): Promise<{ picture: string; mask: string }> {
  const picture = await writeOutput(bothFree(fs), desired, bytes, mode);
  const maskPath = maskFileOf(fs.paths, picture);
  try {
    await writeOutput(fs, maskPath, mask, mode === 'overwrite' ? 'overwrite' : 'exact');
  } catch (e) {
    if (mode !== 'overwrite') await fs.delete(picture).catch(() => {});
    throw e;
  }
  return { picture, mask: maskPath };
}
