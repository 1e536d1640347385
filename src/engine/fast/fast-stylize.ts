import { createRaster, type Raster } from '../../image/raster';
import { atSize, resample } from '../../image/resize';
import { colorMatched, withContentColors } from '../colors';
import { composite, type Mask } from '../../image/mask';
import { STYLE_OPTION_DEFS, type ColorMode } from '../../common/options';
import type { FastNets, PreparedContent } from './fast-nets';
import type { Size } from '../plan';
import { paintSize } from './paint-size';
import { blendStyleVectors, withStrength } from './style-vectors';

/**
 * Fast mode in two parts, so that a panel can keep the first and repeat the second as its controls move: the
 * predictor's vectors (once per style image and colour mode: fastVectors, or fastStyleVector for one style), then
 * the picture from them (one transformer pass per style shown: fastPicture). A FastSession
 * (src/pipeline/fast-session.ts) keeps the first and repeats the second.
 */

export interface FastVectors {
  /** Each style image's vector, in order. */
  readonly styles: readonly Float32Array[];
  /** The content's own vector: what strength 0 renders. */
  readonly content: Float32Array;
}

/** What a picture is made with besides the vectors: the panel's controls, each a setting and a flag. */
export interface FastControls {
  /** 0 (the content's own style) to 1 (the styles'). */
  readonly strength: number;
  /** Stroke size: the picture is painted at its size divided by this, then resized to it (see paintSize). */
  readonly styleScale: number;
  readonly colors: ColorMode;
  /** Relative weights of the styles, in order; empty means equal. Unused when a mask places two styles. */
  readonly blend: readonly number[];
}

export interface FastPictureRequest {
  /** The content at any size: it is resized to the size painted at, and to `size`. */
  readonly content: Raster;
  /** The picture's size. */
  readonly size: { readonly width: number; readonly height: number };
  readonly vectors: FastVectors;
  readonly controls: FastControls;
  /**
   * At `size`: with one style, white is styled and black the content; with two, white the first style and black the
   * second (blend weights are then unused).
   */
  readonly mask?: Mask;
  /** How errors name the content (its file name, say). */
  readonly contentName?: string;
  /**
   * The content as paintedContent makes it for size `at`, prepared: a caller that paints the same content again
   * keeps it (see FastCanvas). Default: prepared for this picture alone.
   */
  readonly prepared?: (at: Size) => Promise<PreparedContent>;
  /** The last pictures painted, kept by a caller that paints the same content again (see KeptPictures). */
  readonly kept?: KeptPictures;
}

/**
 * The last pictures a content was painted to (before any mask), by what each was painted from: the vector, the size
 * painted at and the colours. A picture whose mask alone changed, as a panel's brush changes it, blends them again
 * without a transformer pass. Two are kept, as many as a mask places.
 */
export class KeptPictures {
  private entries: { readonly key: string; readonly picture: Promise<Raster>; bytes: number }[] = [];

  /** The picture kept under `key`, else the one `paint` makes, kept in place of the least recent. */
  get(key: string, paint: () => Promise<Raster>): Promise<Raster> {
    const found = this.entries.find((e) => e.key === key);
    if (found) {
      this.entries = [found, ...this.entries.filter((e) => e !== found)];
      return found.picture;
    }
    const entry = { key, picture: paint(), bytes: 0 };
    this.entries = [entry, ...this.entries].slice(0, 2);
    entry.picture.then(
      (r) => {
        entry.bytes = r.data.byteLength;
      },
      () => {
        this.entries = this.entries.filter((e) => e !== entry); // painted again next time
      },
    );
    return entry.picture;
  }

  /** Bytes of memory the pictures kept hold. */
  get bytes(): number {
    return this.entries.reduce((n, e) => n + e.bytes, 0);
  }
}

/**
 * The predictor run on each style image and on the content. In "histogram" colour mode each style image is first
 * recoloured to the content's colour statistics (colorMatched), so the vectors depend on the colour mode: another
 * mode than "histogram" gives the same vectors as "style".
 */
export async function fastVectors(nets: FastNets, content: Raster, styles: readonly Raster[], colors: ColorMode): Promise<FastVectors> {
  const vectors: Float32Array[] = [];
  for (const style of styles) vectors.push(await fastStyleVector(nets, style, content, colors));
  return { styles: vectors, content: await nets.styleVector(content) };
}

/** One style image's vector, as fastVectors makes it for `content` in colour mode `colors`. */
export function fastStyleVector(nets: FastNets, style: Raster, content: Raster, colors: ColorMode): Promise<Float32Array> {
  return nets.styleVector(colors === 'histogram' ? colorMatched(style, content) : style);
}

/** The picture for `controls` from vectors already made: no predictor run, one transformer pass per style shown. */
export async function fastPicture(nets: FastNets, req: FastPictureRequest): Promise<Raster> {
  const { vectors, controls, mask, kept } = req;
  const contentAtSize = atSize(req.content, req.size);
  const at = paintSize(req.size, controls.styleScale);
  const paint = (style: Float32Array) => {
    const vector = withStrength(style, vectors.content, controls.strength);
    const make = () => painted(nets, req, contentAtSize, at, vector);
    return kept ? kept.get(JSON.stringify([at.width, at.height, controls.colors, Array.from(vector)]), make) : make();
  };
  if (!mask) return paint(blendStyleVectors(vectors.styles, controls.blend));
  if (vectors.styles.length > 2) throw new Error(`a mask places one or two styles, not ${vectors.styles.length}`);
  const white = await paint(vectors.styles[0]);
  const black = vectors.styles.length === 2 ? await paint(vectors.styles[1]) : contentAtSize;
  // Pictures that are kept are blended into a raster of their own; one painted for this picture alone, over itself.
  return composite(white, black, mask, kept ? createRaster(white.width, white.height) : white);
}

/** One transformer pass with `vector` at size `at` (the stroke size's), brought to the picture's size and colours. */
async function painted(nets: FastNets, req: FastPictureRequest, contentAtSize: Raster, at: Size, vector: Float32Array): Promise<Raster> {
  const { size } = req;
  const source = req.prepared ? await req.prepared(at) : paintedContent(req.content, contentAtSize, at);
  const image = await nets.transfer(source, vector, req.contentName);
  const resized = resample(image, size);
  return req.controls.colors === 'luminance' ? withContentColors(resized, contentAtSize) : resized;
}

/** The content painted for a picture of `contentAtSize`'s size at size `at` (see paintSize): `content` resized to it. */
export function paintedContent(content: Raster, contentAtSize: Raster, at: Size): Raster {
  return at.width === contentAtSize.width && at.height === contentAtSize.height ? contentAtSize : atSize(content, at);
}

/** The controls' defaults, which are the option table's. */
export const DEFAULT_CONTROLS: FastControls = {
  strength: STYLE_OPTION_DEFS.styleStrength.default,
  styleScale: STYLE_OPTION_DEFS.styleScale.default,
  colors: STYLE_OPTION_DEFS.colors.default,
  blend: STYLE_OPTION_DEFS.styleBlendWeights.default,
};
