import * as path from 'path';
import { UserError } from '../common/errors';
import { extensionOf, type ResultFormat } from '../common/formats';

/**
 * What a result is called and where it goes, for the CLI and the extension alike. Names are worked out on paths
 * of either flavour: the extension's are URI paths ('/'-separated whatever the scheme), the CLI's are the
 * platform's.
 */

export const DEFAULT_NAME_PATTERN = '${name}.${style}.stylized.${ext}';

const VARIABLES: Record<string, string> = {
  name: 'the content image\'s name without its extension',
  style: 'the style image\'s name without its extension (several joined by "+")',
  ext: 'the extension of the output format (png, jpg, webp)',
};

export const NAME_PATTERN_HELP = Object.entries(VARIABLES).map(([k, v]) => `\`\${${k}}\` ${v}`).join(', ');

/** Why a name pattern cannot be used ("must ..."), or undefined. */
export function namePatternProblem(pattern: string): string | undefined {
  const unknown = [...pattern.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).find((v) => !Object.hasOwn(VARIABLES, v));
  if (unknown !== undefined) return `must use only \${name}, \${style} and \${ext}, got "\${${unknown}}"`;
  if (/[/\\]/.test(pattern)) return `must be a file name without folders (use neuralStyle.output.folder), got "${pattern}"`;
  if (pattern.replace(/\$\{[^}]*\}/g, '').trim() === '' && !pattern.includes('${name}')) {
    return `must include \${name} or some fixed text, got "${pattern}"`;
  }
  if (/^\.+$/.test(pattern.trim())) return `must be a file name, got "${pattern}"`;
  // The image names cut to nothing but their mark, and the longest extension.
  if (fittedName(pattern, { name: CUT, style: CUT, ext: 'webp' }) === undefined) {
    return `must give names of at most ${PATTERN_NAME_MAX_BYTES} bytes (UTF-8) besides the image names, got "${pattern}"`;
  }
  return undefined;
}

const baseName = (p: string) => path.posix.parse(p.replace(/\\/g, '/')).name;

/** The longest file name in UTF-8 bytes (Linux, macOS; Windows counts UTF-16 units, never more than these bytes). */
export const NAME_MAX_BYTES = 255;

/** Room left in a name made from the pattern for the number a taken name gets (-1, -2, ... up to -99999). */
const NUMBER_ROOM = 6;

/** The most bytes a name made from the pattern may take. */
export const PATTERN_NAME_MAX_BYTES = NAME_MAX_BYTES - NUMBER_ROOM;

/** Marks where a part of a name was cut (as in Windows' short names, PROGRA~1). */
const CUT = '~';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const expand = (pattern: string, values: Record<string, string>) => pattern.replace(/\$\{([^}]*)\}/g, (_, v: string) => values[v]);

export const NAME_FIT_HELP =
  `A name longer than ${PATTERN_NAME_MAX_BYTES} bytes (UTF-8; file systems take ${NAME_MAX_BYTES}, and -1, -2, ... need room) is ` +
  `shortened: the longer of \`\${name}\` and \`\${style}\` loses characters at its end first, and a cut ends in ${CUT}.`;

/**
 * The pattern expanded, with the content's and the styles' names cut as NAME_FIT_HELP says (whole characters,
 * never inside one); undefined if even the pattern's own text does not fit.
 */
function fittedName(pattern: string, values: Record<string, string>): string | undefined {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const cuttable = (['name', 'style'] as const).filter((k) => pattern.includes(`\${${k}}`));
  const kept = Object.fromEntries(cuttable.map((k) => [k, Array.from(segmenter.segment(values[k]), (s) => s.segment)]));
  const shortened = { ...values };
  let name = expand(pattern, shortened);
  while (bytes(name) > PATTERN_NAME_MAX_BYTES) {
    const longest = cuttable.filter((k) => kept[k].length > 0).sort((a, b) => bytes(shortened[b]) - bytes(shortened[a]))[0];
    if (longest === undefined) return undefined;
    kept[longest].pop();
    shortened[longest] = kept[longest].join('') + CUT;
    name = expand(pattern, shortened);
  }
  return name;
}

/**
 * The output's file name for a content image and its style images (paths or names). A name too long for a file
 * system is shortened (see fittedName). A name that would not be a plain file name in the folder (".." from a
 * content image called "....png", say) is refused.
 */
export function outputFileName(pattern: string, content: string, styles: readonly string[], format: ResultFormat): string {
  const values: Record<string, string> = { name: baseName(content), style: styles.map(baseName).join('+'), ext: extensionOf(format) };
  const name = fittedName(pattern, values);
  if (name === undefined) throw new UserError(`the output name pattern ${namePatternProblem(pattern)}`);
  if (/^\.*$/.test(name.trim()) || /[/\\]/.test(name)) {
    throw new UserError(`the output name pattern "${pattern}" gives "${name}" for ${baseName(content)}, which is not a file name; change the pattern`);
  }
  return name;
}

/** Whether a file name is that of a result made with the default pattern (`*.stylized.*`, `*.stylized-2.*`). */
export function isStylizedName(p: string): boolean {
  return /\.stylized(-\d+)?\.[^./\\]+$/i.test(p);
}

/** The name of an image's result inside a folder's results (see folderResultsName): its own name, in the output format. */
export const FOLDER_ITEM_PATTERN = '${name}.${ext}';

/**
 * The folder a whole folder's results go to by default, beside it: `<folder>.<style>.stylized`, the style named as
 * in a single result's name, shortened as NAME_FIT_HELP says when too long.
 */
export function folderResultsName(folder: string, styles: readonly string[]): string {
  const name = path.posix.basename(folder.replace(/\\/g, '/').replace(/\/+$/, ''));
  const fitted = fittedName('${name}.${style}.stylized', { name, style: styles.map(baseName).join('+') });
  if (fitted === undefined || /^\.*$/.test(fitted)) throw new UserError(`cannot name a folder of results after ${folder}`);
  return fitted;
}

/**
 * The folder an output goes to (URI paths): beside the content image when `folder` is empty, else `folder` itself
 * when absolute, else `folder` inside the content image's folder.
 */
export function outputFolder(contentPath: string, folder: string): string {
  const beside = path.posix.dirname(contentPath);
  const f = folder.trim().replace(/\\/g, '/');
  if (f === '') return beside;
  // A Windows drive path (C:/...) is absolute too; URI paths spell it /C:/...
  if (/^[A-Za-z]:\//.test(f)) return path.posix.normalize(`/${f}`);
  return path.posix.resolve(beside, f);
}
