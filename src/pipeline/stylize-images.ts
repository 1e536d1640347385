import type { Backend, BackendName } from '../engine/backend';
import { errorMessage, UserError } from '../engine/errors';
import type { StyleOptions } from '../engine/options';
import { planBackend, planInputs, planOptimization, planRun, type OptimizePlan } from '../engine/plan';
import type { ImagesResult, Progress } from '../engine/report';
import { stylize } from '../engine/run';
import { backendCandidates } from '../engine/select-backend';
import { readJobImages, type DecodedImage } from '../image/decode';
import { encodePreview } from '../image/encode';
import type { OutputFormat } from '../output/formats';
import { encodeResult } from './encode-result';
import { loadEngine, releaseEngine } from './engine-cache';
import { fastImages } from './fast-images';

/** An image handed over as bytes: the extension reads through vscode.workspace.fs, so it may not be a local file. */
export interface ImageInput {
  /** Path or name, for messages and the recorded settings. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface StylizeImagesRequest {
  readonly content: ImageInput;
  readonly styles: readonly ImageInput[];
  /** Resolved options (defaults, preset, then the user's), already checked together (crossOptionProblems). */
  readonly options: StyleOptions;
  /** The local VGG19 weights file (see resolveWeightsFile), asked for once the inputs have passed their checks. */
  readonly weights: () => Promise<string>;
  readonly format: OutputFormat;
  readonly quality?: number;
  readonly maxPixels?: number;
  /** Longer side of preview images (default 256). */
  readonly previewSize?: number;
  readonly signal?: AbortSignal;
  readonly onBackend?: (name: BackendName, detail: string) => void;
  readonly onProgress?: (p: Progress) => void;
  readonly onPreview?: (png: Uint8Array, p: Progress) => void;
  /** Things the user should know that do not stop the run (a backend that failed and was replaced). */
  readonly onNotice?: (message: string) => void;
}

/**
 * Decode, stylize, encode: the whole job of the CLI's `stylize` and of the extension's worker, by either method.
 * For the optimisation, a backend that fails while running (not a user error) is replaced by the next candidate of
 * the user's choice, with a notice, and the run starts again on it.
 */
export async function stylizeImages(req: StylizeImagesRequest): Promise<ImagesResult> {
  const o = req.options;
  if (o.method === 'fast') return fastImages(req);
  const sides = planInputs(o);
  const [content, ...styles] = await readJobImages(
    [{ ...req.content, needLongSide: sides.content }, ...req.styles.map((s) => ({ ...s, needLongSide: sides.style }))],
    { maxPixels: req.maxPixels },
  );
  const sizeOf = (image: DecodedImage, input: ImageInput) => ({ name: input.name, width: image.raster.width, height: image.raster.height });
  const sizes = [sizeOf(content, req.content), styles.map((s, i) => sizeOf(s, req.styles[i]))] as const;
  // Planned before anything loads, so that images too small for the method are refused at once.
  planRun(o, ...sizes);

  const backendPlan = planBackend(o);
  const weightsPath = await req.weights();
  const failed: BackendName[] = [];
  for (;;) {
    const backend = await loadEngine(weightsPath, backendPlan, req.onNotice ?? (() => {}), failed);
    req.onBackend?.(backend.name, backend.detail);
    // Planned again with what the backend can hold, which only ever shrinks the scales.
    const fitted = planOptimization(o, ...sizes, backend);
    try {
      return await runOn(backend, fitted, req, content, styles);
    } catch (e) {
      const next = backendCandidates(backendPlan.backend).filter((n) => n !== backend.name && !failed.includes(n));
      if (e instanceof UserError || req.signal?.aborted || next.length === 0) throw e;
      failed.push(backend.name);
      releaseEngine();
      req.onNotice?.(`backend ${backend.name} failed while running (${errorMessage(e).split('\n')[0]}); starting again on ${next[0]}`);
    }
  }
}

async function runOn(
  backend: Backend,
  plan: OptimizePlan,
  req: StylizeImagesRequest,
  content: DecodedImage,
  styles: DecodedImage[],
): Promise<ImagesResult> {
  const previewSize = req.previewSize ?? 256;
  const previews: Promise<void>[] = [];
  const { image, ...report } = await stylize({
    backend,
    content: content.raster,
    styles: styles.map((s) => s.raster),
    plan,
    signal: req.signal,
    onProgress: req.onProgress,
    onPreview: req.onPreview && ((picture, p) => {
      previews.push(encodePreview(picture, previewSize).then((png) => req.onPreview!(png, p)));
    }),
  });
  await Promise.all(previews);
  return { ...report, bytes: await encodeResult(image, content, req, backend.name, report), backend: backend.name };
}
