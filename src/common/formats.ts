/** The formats results are written in, and their file extensions (no Node modules: the webview uses these too). */

/** The encoder's formats (src/image/encode.ts, which loads sharp, takes them from here). */
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** File extensions of each format, the one used for new names first. */
const EXTENSIONS: Record<OutputFormat, readonly string[]> = { png: ['png'], jpeg: ['jpg', 'jpeg'], webp: ['webp'] };

export function extensionOf(format: OutputFormat): string {
  return EXTENSIONS[format][0];
}

/** The format a file name asks for by its extension (any letter case), if it names one. */
export function formatOfName(file: string): OutputFormat | undefined {
  const ext = /\.([^./\\]*)$/.exec(file)?.[1].toLowerCase() ?? '';
  return OUTPUT_FORMATS.find((f) => EXTENSIONS[f].includes(ext));
}
