/** The formats results are written in, and their file extensions (no Node modules: the webview uses these too). */

/** The encoder's formats (src/image/encode.ts, which loads sharp, takes them from here). */
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * The formats an animation is written in. An animation keeps its own format (GIF or WebP) unless the one asked for
 * can hold an animation too (see animationFormat): a still format asked for (a setting's PNG, say) does not turn it
 * into a still.
 */
export const ANIMATION_FORMATS = ['gif', 'webp'] as const;
export type AnimationFormat = (typeof ANIMATION_FORMATS)[number];

/** The format of any result file: a still's or an animation's. */
export type ResultFormat = OutputFormat | AnimationFormat;

/** File extensions of each format, the one used for new names first. */
const EXTENSIONS: Record<ResultFormat, readonly string[]> = { png: ['png'], jpeg: ['jpg', 'jpeg'], webp: ['webp'], gif: ['gif'] };

export function extensionOf(format: ResultFormat): string {
  return EXTENSIONS[format][0];
}

/** The format an animation whose own format is `own` is written in when `asked` is asked for. */
export function animationFormat(asked: ResultFormat | undefined, own: AnimationFormat): AnimationFormat {
  return ANIMATION_FORMATS.find((f) => f === asked) ?? own;
}

/** The animation format a file name asks for by its extension (any letter case), if it names one. */
export function animationFormatOfName(file: string): AnimationFormat | undefined {
  const ext = nameExtension(file);
  return ANIMATION_FORMATS.find((f) => EXTENSIONS[f].includes(ext));
}

/** A file name's extension, lower case, without its dot; empty when it has none. */
function nameExtension(file: string): string {
  return /\.([^./\\]*)$/.exec(file)?.[1].toLowerCase() ?? '';
}

/** The format a file name asks for by its extension (any letter case), if it names one. */
export function formatOfName(file: string): OutputFormat | undefined {
  const ext = nameExtension(file);
  return OUTPUT_FORMATS.find((f) => EXTENSIONS[f].includes(ext));
}
