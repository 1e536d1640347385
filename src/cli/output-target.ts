import { constants, promises as fs } from 'fs';
import * as path from 'path';
import { UserError, fileProblem } from '../common/errors';
import {
  OUTPUT_FORMATS, animationFormat, animationFormatOfName, extensionOf, formatOfName, type AnimationFormat, type OutputFormat, type ResultFormat,
} from '../common/formats';
import { maskFileOf } from '../output/mask-file';
import { DEFAULT_NAME_PATTERN, NAME_MAX_BYTES, outputFileName } from '../output/name';
import type { WriteMode } from '../output/write';

/** Where a result goes, in what format, and whether its name may be numbered or replaced. */
export interface OutputTarget {
  readonly path: string;
  readonly format: ResultFormat;
  readonly mode: WriteMode;
}

export interface OutputFlags {
  readonly output?: string;
  readonly format?: OutputFormat;
  readonly overwrite?: boolean;
}

const code = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * The output of `stylize`, checked before minutes of work rather than after: `-o FILE` (its extension decides the
 * format; a --format that disagrees is refused; a name too long is refused), `-o FOLDER/` or an existing folder
 * (the default name inside it), or the default name beside the content image (shortened if too long), numbered at
 * write time if taken. With `masked`, the mask is saved beside the file (see maskFileOf), which must not exist either.
 * An animated content whose own format is `animation` is written as an animation: GIF or WebP, its own by default.
 */
export async function outputTarget(
  flags: OutputFlags, content: string, styles: readonly string[], masked = false, animation?: AnimationFormat,
): Promise<OutputTarget> {
  if (animation && flags.format && flags.format !== 'webp') {
    throw new UserError(`${content} is an animation, which --format ${flags.format} cannot hold; leave --format out (${animation.toUpperCase()}) or use webp`);
  }
  const given = flags.output;
  const intoFolder = given !== undefined && (/[/\\]$/.test(given) || (await isFolder(given)));
  if (given !== undefined && !intoFolder) {
    const format = animation ? animationFormatFromName(given, flags.format, content, animation) : formatFromName(given, flags.format);
    const target = path.resolve(given);
    const length = Buffer.byteLength(path.basename(target));
    if (length > NAME_MAX_BYTES) {
      throw new UserError(`the file name of -o is ${length} bytes long, over the ${NAME_MAX_BYTES} a file system takes; choose a shorter name`);
    }
    await checkFolder(path.dirname(target));
    for (const file of masked ? [target, maskFileOf(path, target)] : [target]) {
      if (!flags.overwrite && (await lstat(file))) throw new UserError(`${file} already exists; choose another name or pass --overwrite`);
    }
    return { path: target, format, mode: flags.overwrite ? 'overwrite' : 'exact' };
  }
  const format = animation ? animationFormat(flags.format, animation) : (flags.format ?? 'png');
  const folder = path.resolve(intoFolder ? given! : path.dirname(content));
  await checkFolder(folder);
  const target = path.join(folder, outputFileName(DEFAULT_NAME_PATTERN, content, styles, format));
  // A file system may take shorter names than most (eCryptfs, say): asking about the name tells.
  await lstat(target);
  return { path: target, format, mode: flags.overwrite ? 'overwrite' : 'next-free' };
}

function formatFromName(file: string, flag: OutputFormat | undefined): OutputFormat {
  const ext = path.extname(file);
  if (ext === '') return flag ?? 'png';
  const named = formatOfName(file);
  if (!named) {
    const known = OUTPUT_FORMATS.map((f) => `.${extensionOf(f)}`).join(', ');
    throw new UserError(`cannot write ${ext} images (${file}); name the output ${known} or pass a folder`);
  }
  if (flag && flag !== named) throw new UserError(`-o ${file} names a ${named.toUpperCase()} file but --format is ${flag}`);
  return named;
}

function animationFormatFromName(file: string, flag: OutputFormat | undefined, content: string, own: AnimationFormat): AnimationFormat {
  if (path.extname(file) === '') return animationFormat(flag, own);
  const named = animationFormatOfName(file);
  if (!named) throw new UserError(`${content} is an animation: name the output .gif or .webp, not ${path.basename(file)}`);
  if (flag && flag !== named) throw new UserError(`-o ${file} names a ${named.toUpperCase()} file but --format is ${flag}`);
  return named;
}

async function lstat(p: string) {
  try {
    return await fs.lstat(p);
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined;
    throw new UserError(`cannot use ${p} as the output: ${fileProblem(e)}`);
  }
}

async function isFolder(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** The folder exists, is a folder, and this process may create files in it. */
async function checkFolder(folder: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(folder);
  } catch (e) {
    if (code(e) === 'ENOENT') throw new UserError(`output folder does not exist: ${folder}`);
    throw new UserError(`cannot write into ${folder}: ${fileProblem(e)}`);
  }
  if (!stat.isDirectory()) throw new UserError(`cannot write into ${folder}: it is not a folder`);
  try {
    await fs.access(folder, constants.W_OK);
  } catch (e) {
    throw new UserError(`cannot write into ${folder}: ${fileProblem(e)}`);
  }
}
