import { fastRender } from '../engine/fast/fast-stylize';
import type { FastNets } from '../engine/fast/fast-nets';
import { blendStyleVectors } from '../engine/fast/style-vectors';
import type { StyleOptions } from '../engine/options';
import { planFast, planInputs, type FastPlan } from '../engine/plan';
import type { ImagesResult, RunReport } from '../engine/report';
import { readJobImages, type DecodedImage } from '../image/decode';
import type { Raster } from '../image/raster';
import { atSize } from '../image/resize';
import { encodeResult } from './encode-result';
import { loadFastEngine } from './engine-cache';
import { computeStyleVector, knownStyleVector } from './fast-style-vectors';
import type { ImageInput, StylizeImagesRequest } from './stylize-images';

/**
 * The fast method: one pass of the shipped nets, on ONNX Runtime. Styles whose vector is known (the gallery's, or
 * one used before in this process) are not decoded at all.
 */
export async function fastImages(req: StylizeImagesRequest): Promise<ImagesResult> {
  const t0 = performance.now();
  const o = req.options;
  const sides = planInputs(o);
  const known = req.styles.map((s) => knownStyleVector(s.bytes));
  const unknown = req.styles.filter((_, i) => !known[i].vector);
  const [content, ...decoded] = await readJobImages(
    [{ ...req.content, needLongSide: sides.content }, ...unknown.map((s) => ({ ...s, needLongSide: sides.style }))],
    { maxPixels: req.maxPixels },
  );
  // Planned before anything loads, so that images too small for the method are refused at once.
  const plan = planContent(o, content, req.content, req.styles.length);
  const nets = await loadFastEngine();
  req.onBackend?.('onnx', nets.detail);
  const rasters = decoded.values();
  const styles: Float32Array[] = [];
  for (const k of known) styles.push(k.vector ?? (await computeStyleVector(nets, k.key, rasters.next().value!.raster)));
  const image = await paint(await fastCanvas(nets, plan, content.raster, req.content.name), styles);
  const report: RunReport = { outcome: 'done', steps: 1, stepEquivalents: 0, elapsedMs: performance.now() - t0, width: image.width, height: image.height };
  return { ...report, bytes: await encodeResult(image, content, req, 'onnx', report), backend: 'onnx' };
}

/** The fast plan for a decoded content image (a style's size does not matter to the fast method). */
export function planContent(o: StyleOptions, content: DecodedImage, input: ImageInput, styleCount: number): FastPlan {
  return planFast(o, { name: input.name, width: content.raster.width, height: content.raster.height }, styleCount);
}

/** One style image's vector: known, or its image decoded as fast mode needs it and run through the predictor. */
export async function styleVectorOf(nets: FastNets, o: StyleOptions, style: ImageInput, maxPixels?: number): Promise<Float32Array> {
  const k = knownStyleVector(style.bytes);
  return k.vector ?? computeStyleVector(nets, k.key, await decodeStyle(o, style, maxPixels));
}

/** A style image decoded as the fast method needs it (shrunk on load when it is much larger). */
export async function decodeStyle(o: StyleOptions, style: ImageInput, maxPixels?: number): Promise<Raster> {
  const [decoded] = await readJobImages([{ ...style, needLongSide: planInputs(o).style }], { maxPixels });
  return decoded.raster;
}

/** One content ready to be painted in style after style: at the plan's size, with its own style vector if needed. */
export interface FastCanvas {
  readonly nets: FastNets;
  readonly plan: FastPlan;
  readonly content: Raster;
  /** What strength 0 renders; at strength 1 it plays no part and is not computed. */
  readonly contentVector?: Float32Array;
  readonly contentName: string;
}

export async function fastCanvas(nets: FastNets, plan: FastPlan, content: Raster, contentName: string): Promise<FastCanvas> {
  const sized = atSize(content, plan);
  return { nets, plan, content: sized, contentVector: plan.strength < 1 ? await nets.styleVector(sized) : undefined, contentName };
}

/** The content in the styles (vectors, blended as the plan says): how every fast picture is made. */
export function paint(c: FastCanvas, styles: readonly Float32Array[]): Promise<Raster> {
  const styleVector = blendStyleVectors(styles, c.plan.blend);
  return fastRender(c.nets, {
    content: c.content, styleVector, contentVector: c.contentVector ?? styleVector,
    strength: c.plan.strength, preserveColors: c.plan.preserveColors, contentName: c.contentName,
  });
}
