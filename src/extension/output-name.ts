import * as path from 'path';
import type { OutputFormat } from '../image/encode';

/**
 * Output file names, worked out on URI paths (always '/'-separated, whatever the scheme), so that the same
 * code serves local, remote and virtual workspaces.
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
  return undefined;
}

const baseName = (p: string) => path.posix.parse(p).name;

/** The output's file name for a content image and its style images (paths or names). */
export function outputFileName(pattern: string, content: string, styles: readonly string[], format: OutputFormat): string {
  const values: Record<string, string> = {
    name: baseName(content),
    style: styles.map(baseName).join('+'),
    ext: format === 'jpeg' ? 'jpg' : format,
  };
  return pattern.replace(/\$\{([^}]*)\}/g, (_, v: string) => values[v]);
}

/**
 * The folder an output goes to: beside the content image when `folder` is empty, else `folder` itself when
 * absolute, else `folder` inside the content image's folder.
 */
export function outputFolder(contentPath: string, folder: string): string {
  const beside = path.posix.dirname(contentPath);
  const f = folder.trim().replace(/\\/g, '/');
  if (f === '') return beside;
  // A Windows drive path (C:/...) is absolute too; URI paths spell it /C:/...
  if (/^[A-Za-z]:\//.test(f)) return path.posix.normalize(`/${f}`);
  return path.posix.resolve(beside, f);
}

/** `a.png` if free, else the first free of `a-1.png`, `a-2.png`, ... (as the CLI names them). */
export async function freePath(p: string, exists: (p: string) => Promise<boolean>): Promise<string> {
  const { dir, name, ext } = path.posix.parse(p);
  let candidate = p;
  for (let n = 1; await exists(candidate); n++) candidate = path.posix.join(dir, `${name}-${n}${ext}`);
  return candidate;
}
