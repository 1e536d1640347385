import type { ColorMode, StyleOptions } from '../common/options';
import { KeptPictures, fastPicture, fastStyleVector, paintedContent } from '../engine/fast/fast-stylize';
import type { FastNets, PreparedContent } from '../engine/fast/fast-nets';
import { planInputs, type FastPlan, type Size } from '../engine/plan';
import { readJobImages } from '../image/decode';
import type { Mask } from '../image/mask';
import type { Raster } from '../image/raster';
import { atSize } from '../image/resize';
import { keepStyleVector, knownStyleVector } from './fast-style-vectors';
import type { ImageInput } from './stylize-images';

/**
 * The fast method's parts, shared by a job's session (fast-session.ts) and the contact sheet: one content ready to
 * be painted (a canvas), the styles' vectors found by their bytes or predicted, and the picture painted from them.
 */

/** How a style image is decoded: its pixel limit, and who is told what was done to it. */
export type DecodeOptions = Parameters<typeof readJobImages>[1];

/**
 * One style image's vector for `c` in colours `colors`: known (the gallery's, or one made before in this process),
 * or its image, `decoded` only then, run through the predictor.
 */
export async function styleVectorOf(c: FastCanvas, colors: ColorMode, bytes: Uint8Array, decoded: () => Promise<Raster>): Promise<Float32Array> {
  const known = knownStyleVector(bytes, colors);
  return known.vector ?? keepStyleVector(known, await fastStyleVector(c.nets, await decoded(), c.contentAtSize, colors));
}

/** A style image decoded as the fast method needs it (shrunk on load when it is much larger). */
export async function decodeStyle(o: StyleOptions, style: ImageInput, opts?: DecodeOptions): Promise<Raster> {
  const [decoded] = await readJobImages([{ ...style, needLongSide: planInputs(o).style }], opts);
  return decoded.raster;
}

/** One content ready to be painted in style after style, at the picture's size. */
export interface FastCanvas {
  readonly nets: FastNets;
  /** The content as decoded: a stroke size other than 1 paints it at another size than the picture's. */
  readonly content: Raster;
  /** The content at the picture's size, whose colours "histogram" matches the styles to. */
  readonly contentAtSize: Raster;
  readonly contentName: string;
  /** The content's own vector, what strength 0 renders: made once, when a strength under 1 first needs it. */
  contentVector(): Promise<Float32Array>;
  /**
   * For a canvas that is painted again and again (a panel's, a sheet's): the content as painted at size `at` (see
   * paintedContent), prepared for the transformer. The last size asked for is kept, so that a picture painted again
   * (in other styles, at another strength) runs only the transformer's second part. A canvas painted once has none:
   * one pass of the whole transformer costs less than its two parts (whose sessions hold memory of their own).
   */
  readonly prepared?: (at: Size) => Promise<PreparedContent>;
  /** For a canvas painted again and again: its last pictures, so that a mask changed alone needs no transformer pass. */
  readonly kept?: KeptPictures;
  /** Bytes of memory the content kept prepared and the pictures kept hold. */
  readonly keptBytes: number;
}

/** A canvas of `content` for pictures of `size`; `repainted` when it will be painted more than once (see prepared). */
export function fastCanvas(nets: FastNets, content: Raster, size: Size, contentName: string, repainted = false): FastCanvas {
  const contentAtSize = atSize(content, size);
  let vector: Promise<Float32Array> | undefined;
  let last: { readonly key: string; readonly prepared: Promise<PreparedContent>; bytes: number } | undefined;
  const prepared = (at: Size) => {
    const key = `${at.width}x${at.height}`;
    if (last?.key === key) return last.prepared;
    const made = nets.prepare(paintedContent(content, contentAtSize, at), contentName);
    const entry = (last = { key, prepared: made, bytes: 0 });
    made.then(
      (p) => {
        entry.bytes = p.bytes;
      },
      () => {
        if (last === entry) last = undefined; // tried again by the next picture
      },
    );
    return made;
  };
  const pictures = repainted ? new KeptPictures() : undefined;
  return {
    nets, content, contentAtSize, contentName,
    contentVector: () => (vector ??= nets.styleVector(contentAtSize)),
    prepared: repainted ? prepared : undefined,
    kept: pictures,
    get keptBytes() {
      return (last?.bytes ?? 0) + (pictures?.bytes ?? 0);
    },
  };
}

/** The content in the styles (vectors, blended or placed by `mask` as the plan says): how every fast picture is made. */
export async function paint(c: FastCanvas, plan: FastPlan, styles: readonly Float32Array[], mask?: Mask): Promise<Raster> {
  return fastPicture(c.nets, {
    content: c.content, size: plan, mask, contentName: c.contentName, prepared: c.prepared, kept: c.kept,
    // At strength 1 the content's vector is weighed 0: any vector of the same length gives the same picture.
    vectors: { styles, content: plan.strength < 1 ? await c.contentVector() : styles[0] },
    controls: { strength: plan.strength, styleScale: plan.styleScale, colors: plan.colors, blend: plan.blend },
  });
}
