import { settingName, type OptionName, type StyleOptions } from '../common/options';
import type { ImagesResult, RunReport } from '../common/report';
import { fastPicture, fastStyleVector } from '../engine/fast/fast-stylize';
import type { FastNets } from '../engine/fast/fast-nets';
import { planFast, planInputs, type FastPlan } from '../engine/plan';
import { readJobImages, type DecodedImage } from '../image/decode';
import type { Mask } from '../image/mask';
import type { Raster } from '../image/raster';
import { atSize } from '../image/resize';
import { encodeResult } from './encode-result';
import { loadFastEngine } from './engine-cache';
import { keepStyleVector, knownStyleVector, type KnownStyleVector } from './fast-style-vectors';
import { jobMask, namedSize, readJobInputs } from './job-inputs';
import type { ImageInput, StylizeImagesRequest } from './stylize-images';

/**
 * The fast method: one pass of the shipped nets, on ONNX Runtime. Styles whose vector is known (the gallery's, or
 * one used before in this process) are not decoded at all.
 */
export async function fastImages(req: StylizeImagesRequest, notice: (message: string) => void): Promise<ImagesResult> {
  const t0 = performance.now();
  const o = req.options;
  const known = req.styles.map((s) => knownStyleVector(s.bytes, o.colors));
  const unknown = req.styles.filter((_, i) => !known[i].vector);
  const { content, styles: decoded } = await readJobInputs(req, unknown, notice);
  // Planned before anything loads, so that images too small for the method are refused at once.
  const plan = planContent(o, content, req.content, req.styles.length, req.optionName ?? settingName);
  const mask = req.mask && (await jobMask(req, 'fast', plan));
  const nets = await loadFastEngine();
  req.onBackend?.('onnx', nets.detail);
  const canvas = await fastCanvas(nets, plan, content.raster, req.content.name);
  const rasters = decoded.values();
  const styles: Float32Array[] = [];
  for (const k of known) styles.push(k.vector ?? (await predicted(canvas, k, rasters.next().value!.raster)));
  const image = await paint(canvas, styles, mask);
  const report: RunReport = { outcome: 'done', steps: 1, stepEquivalents: 0, elapsedMs: performance.now() - t0, width: image.width, height: image.height };
  return { ...report, ...(await encodeResult(image, content, req, 'onnx', report, mask)), backend: 'onnx' };
}

/** The fast plan for a decoded content image (a style's size does not matter to the fast method). */
export function planContent(o: StyleOptions, content: DecodedImage, input: ImageInput, styleCount: number, name: OptionName): FastPlan {
  return planFast(o, namedSize(content, input), styleCount, name);
}

/** How a style image is decoded: its pixel limit, and who is told what was done to it. */
export type DecodeOptions = Parameters<typeof readJobImages>[1];

/** One style image's vector for `c`: known, or its image decoded as fast mode needs it and run through the predictor. */
export async function styleVectorOf(c: FastCanvas, o: StyleOptions, style: ImageInput, opts?: DecodeOptions): Promise<Float32Array> {
  const k = knownStyleVector(style.bytes, c.plan.colors);
  return k.vector ?? predicted(c, k, await decodeStyle(o, style, opts));
}

/** A style image decoded as the fast method needs it (shrunk on load when it is much larger). */
export async function decodeStyle(o: StyleOptions, style: ImageInput, opts?: DecodeOptions): Promise<Raster> {
  const [decoded] = await readJobImages([{ ...style, needLongSide: planInputs(o).style }], opts);
  return decoded.raster;
}

/** The predictor run on a decoded style image for `c`'s content and colours; the vector is kept when it may be. */
async function predicted(c: FastCanvas, known: KnownStyleVector, style: Raster): Promise<Float32Array> {
  return keepStyleVector(known, await fastStyleVector(c.nets, style, c.contentAtSize, c.plan.colors));
}

/** One content ready to be painted in style after style, as the plan says. */
export interface FastCanvas {
  readonly nets: FastNets;
  readonly plan: FastPlan;
  /** The content as decoded: a stroke size other than 1 paints it at another size than the plan's. */
  readonly content: Raster;
  /** The content at the plan's size, whose colours "histogram" matches the styles to. */
  readonly contentAtSize: Raster;
  /** What strength 0 renders; at strength 1 it plays no part and is not computed. */
  readonly contentVector?: Float32Array;
  readonly contentName: string;
}

export async function fastCanvas(nets: FastNets, plan: FastPlan, content: Raster, contentName: string): Promise<FastCanvas> {
  const contentAtSize = atSize(content, plan);
  const contentVector = plan.strength < 1 ? await nets.styleVector(contentAtSize) : undefined;
  return { nets, plan, content, contentAtSize, contentVector, contentName };
}

/** The content in the styles (vectors, blended or placed by `mask` as the plan says): how every fast picture is made. */
export function paint(c: FastCanvas, styles: readonly Float32Array[], mask?: Mask): Promise<Raster> {
  const { plan } = c;
  return fastPicture(c.nets, {
    content: c.content, size: plan, mask, contentName: c.contentName,
    // At strength 1 the content's vector is weighed 0: any vector of the same length gives the same picture.
    vectors: { styles, content: c.contentVector ?? styles[0] },
    controls: { strength: plan.strength, styleScale: plan.styleScale, colors: plan.colors, blend: plan.blend },
  });
}
