import sharp from 'sharp';
import { UserError } from '../common/errors';
import type { OptionName, StyleOptions } from '../common/options';
import { planFast, planInputs } from '../engine/plan';
import { readJobImages } from '../image/decode';
import { encoder } from '../image/encode';
import { packPixels } from '../image/pixels';
import type { Raster } from '../image/raster';
import type { OutputFormat } from '../common/formats';
import { loadFastEngine } from './engine-cache';
import { decodeStyle, fastCanvas, paint, styleVectorOf } from './fast-images';
import { namedSize } from './job-inputs';
import type { ImageInput } from './stylize-images';

/** More styles than this make no sheet anyone can read; several sheets do. */
export const MAX_SHEET_STYLES = 64;
/** The largest sheet made, in pixels (64 tiles of 880 px, say): its canvas is held whole in memory. */
export const MAX_SHEET_PIXELS = 50_000_000;

export interface SheetStyle extends ImageInput {
  /** The label's first line (a painting's title, a file's name) and second (artist and year), under the tile. */
  readonly label: string;
  readonly detail?: string;
}

export interface ContactSheetRequest {
  readonly content: ImageInput;
  readonly styles: readonly SheetStyle[];
  /** The fast method's options; each tile is the content at their maxSize, as a single run makes it. */
  readonly options: StyleOptions;
  readonly format: OutputFormat;
  readonly maxPixels?: number;
  /** How messages spell an option (the tile's size is the options' maxSize). */
  readonly optionName: OptionName;
  /** Things the user should know of an image that is used all the same (an animation's frames left out). */
  readonly onNotice?: (message: string) => void;
  /** After each tile, with its number (from 1). */
  readonly onTile?: (done: number, total: number) => void;
}

export interface ContactSheet {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
  /** False where no font could be found to draw the labels with: the tiles are there, unlabelled. */
  readonly labelled: boolean;
}

/** Where things go on a sheet of `count` tiles of width x height px (all the same: one content at one size). */
function layout(count: number, width: number, height: number) {
  const side = Math.max(width, height);
  const gap = Math.max(4, Math.round(side / 32));
  const fontSize = Math.max(9, Math.round(side / 18));
  const labelHeight = Math.round(fontSize * 2.9);
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const cellWidth = width + gap;
  const cellHeight = height + labelHeight + gap;
  return {
    tileWidth: width, tileHeight: height, gap, fontSize, width: columns * cellWidth + gap, height: rows * cellHeight + gap,
    /** The top left corner of tile `i`. */
    cell: (i: number) => ({ left: gap + (i % columns) * cellWidth, top: gap + Math.floor(i / columns) * cellHeight }),
  };
}

type SheetLayout = ReturnType<typeof layout>;

/** The layout of a sheet of `count` styles in `size` px tiles; refused when it would hold too many or be too large. */
export function checkedLayout(count: number, size: number): void {
  if (count === 0) throw new Error('a contact sheet needs at least one style');
  if (count > MAX_SHEET_STYLES) throw new UserError(`a sheet holds at most ${MAX_SHEET_STYLES} styles, got ${count}; make several sheets`);
  // At most: each tile fits a size x size square.
  const at = layout(count, size, size);
  if (at.width * at.height > MAX_SHEET_PIXELS) {
    throw new UserError(
      `a sheet of ${count} styles in ${size} px tiles would be ${at.width}x${at.height} px, over ${MAX_SHEET_PIXELS.toLocaleString('en-US')} pixels; use a smaller size or fewer styles`,
    );
  }
}

/**
 * The content in each style, side by side with labels: each tile is the picture a single fast run at the options'
 * size makes (the same pixels), decoded and rendered one style at a time.
 */
export async function contactSheet(req: ContactSheetRequest): Promise<ContactSheet> {
  const o = req.options;
  const n = req.styles.length;
  checkedLayout(n, o.maxSize);
  const decoding = { maxPixels: req.maxPixels, onNotice: req.onNotice };
  const [content] = await readJobImages([{ ...req.content, needLongSide: planInputs(o).content }], decoding);
  const plan = planFast(o, namedSize(content, req.content), 1, req.optionName);
  const at = layout(n, plan.width, plan.height);
  const canvas = fastCanvas(await loadFastEngine(), content.raster, plan, req.content.name, true);
  const tiles: sharp.OverlayOptions[] = [];
  for (const [i, style] of req.styles.entries()) {
    const picture = await paint(canvas, plan, [await styleVectorOf(canvas, plan.colors, style.bytes, () => decodeStyle(o, style, decoding))]);
    tiles.push({ ...rawInput(picture), ...at.cell(i) });
    req.onTile?.(i + 1, n);
  }
  const labelled = await labelsDrawable();
  const sheet = sharp({ create: { width: at.width, height: at.height, channels: 3, background: '#ffffff' } })
    .composite(labelled ? [...tiles, await labelOverlay(req.styles, at)] : tiles);
  const bytes = await encoder(sheet, req.format).toBuffer();
  return { bytes, width: at.width, height: at.height, labelled };
}

/** A picture as 8-bit pixels, rounded as an encoded single run's are. */
function rawInput(r: Raster): sharp.OverlayOptions {
  const { bytes, channels } = packPixels(r);
  return { input: bytes, raw: { width: r.width, height: r.height, channels } };
}

/** The family the labels ask fontconfig for: common fonts first, then whatever it has. */
const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif';

/** The labels as one transparent layer the sheet's size, drawn from SVG text (librsvg, the system's fonts). */
async function labelOverlay(styles: readonly SheetStyle[], at: SheetLayout): Promise<sharp.OverlayOptions> {
  // Bold DejaVu Sans is about 0.63 em a character on average.
  const fit = (text: string, fontSize: number) => {
    const chars = Math.max(4, Math.floor(at.tileWidth / (fontSize * 0.63)));
    return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
  };
  const small = Math.round(at.fontSize * 0.85);
  const texts = styles.map((s, i) => {
    const { left, top } = at.cell(i);
    const x = left + at.tileWidth / 2;
    const y = top + at.tileHeight + Math.round(at.fontSize * 1.25);
    return `<text x="${x}" y="${y}" font-size="${at.fontSize}" font-weight="bold">${escapeXml(fit(s.label, at.fontSize))}</text>` +
      (s.detail ? `<text x="${x}" y="${y + Math.round(at.fontSize * 1.25)}" font-size="${small}" fill="#555555">${escapeXml(fit(s.detail, small))}</text>` : '');
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${at.width}" height="${at.height}">` +
    `<g font-family="${FONT_FAMILY}" text-anchor="middle" fill="#222222">${texts.join('')}</g></svg>`;
  return { input: Buffer.from(svg), left: 0, top: 0 };
}

let fontsFound: Promise<boolean> | undefined;

/**
 * Whether librsvg finds a font to draw text with. Without one it draws every character as the same empty box, so a
 * row of "W" comes out as wide as a row of "i"; with a real font it is about three times as wide.
 */
export function labelsDrawable(): Promise<boolean> {
  fontsFound ??= (async () => {
    const line = (y: number, text: string) => `<text x="2" y="${y}" font-size="20">${text}</text>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><g font-family="${FONT_FAMILY}">${line(24, 'WWWWWWWW')}${line(54, 'iiiiiiii')}</g></svg>`;
    const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const inkWidth = (from: number, to: number) => {
      let right = 0;
      for (let y = from; y < to; y++) for (let x = 0; x < info.width; x++) if (data[(y * info.width + x) * 4 + 3] > 0) right = Math.max(right, x);
      return right;
    };
    return inkWidth(0, 30) > 1.5 * inkWidth(30, 60);
  })();
  return fontsFound;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
