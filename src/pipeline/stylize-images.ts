import type { Backend, BackendName, Losses } from '../engine/backend';
import { errorMessage, UserError } from '../engine/errors';
import { crossOptionProblems, type StyleOptions } from '../engine/options';
import { stylize, type Outcome, type Progress } from '../engine/run';
import { styleLongSide } from '../engine/problem';
import { backendCandidates } from '../engine/select-backend';
import { readJobImages, type DecodedImage } from '../image/decode';
import { encodeImage, encodePreview, type OutputFormat } from '../image/encode';
import { resizeAlpha } from '../image/alpha';
import { loadEngine, releaseEngine } from './engine-cache';
import { runSettings } from './run-settings';

/** An image handed over as bytes: the extension reads through vscode.workspace.fs, so it may not be a local file. */
export interface ImageInput {
  /** Path or name, for messages and the recorded settings. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface StylizeImagesRequest {
  readonly content: ImageInput;
  readonly styles: readonly ImageInput[];
  /** Resolved options (defaults, preset, then the user's). */
  readonly options: StyleOptions;
  /** A local VGG19 weights file (see resolveWeightsFile). */
  readonly weightsPath: string;
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

export interface StylizeImagesResult {
  /** The encoded output image, settings recorded inside. */
  readonly bytes: Buffer;
  readonly outcome: Outcome;
  readonly message?: string;
  readonly losses?: Losses;
  readonly width: number;
  readonly height: number;
  readonly backend: BackendName;
  readonly steps: number;
  readonly elapsedMs: number;
  readonly stepEquivalents: number;
}

/**
 * Decode, optimise, encode: the whole job of the CLI's `stylize` and of the extension's worker. A backend that
 * fails while running (not a user error) is replaced by the next candidate of the user's choice, with a notice,
 * and the run starts again on it.
 */
export async function stylizeImages(req: StylizeImagesRequest): Promise<StylizeImagesResult> {
  const o = req.options;
  const problems = crossOptionProblems(o, req.styles.length);
  if (problems.length > 0) throw new UserError(problems[0]);
  if (req.styles.length === 0) throw new UserError('no style image was given');
  const styleNeed = styleLongSide(o.maxSize, o.styleScale);
  const images = [{ ...req.content, needLongSide: o.maxSize }, ...req.styles.map((s) => ({ ...s, needLongSide: styleNeed }))];
  const [content, ...styles] = await readJobImages(images, { maxPixels: req.maxPixels });

  const failed: BackendName[] = [];
  for (;;) {
    const backend = await loadEngine(req.weightsPath, o, req.onNotice ?? (() => {}), failed);
    req.onBackend?.(backend.name, backend.detail);
    try {
      return await runOn(backend, req, content, styles);
    } catch (e) {
      const next = backendCandidates(o.backend).filter((n) => n !== backend.name && !failed.includes(n));
      if (e instanceof UserError || req.signal?.aborted || next.length === 0) throw e;
      failed.push(backend.name);
      releaseEngine();
      req.onNotice?.(`backend ${backend.name} failed while running (${errorMessage(e).split('\n')[0]}); starting again on ${next[0]}`);
    }
  }
}

async function runOn(backend: Backend, req: StylizeImagesRequest, content: DecodedImage, styles: DecodedImage[]): Promise<StylizeImagesResult> {
  const previewSize = req.previewSize ?? 256;
  const previews: Promise<void>[] = [];
  const result = await stylize({
    backend,
    content: content.raster,
    styles: styles.map((s) => s.raster),
    options: req.options,
    signal: req.signal,
    onProgress: req.onProgress,
    onPreview: req.onPreview && ((image, p) => {
      previews.push(encodePreview(image, previewSize).then((png) => req.onPreview!(png, p)));
    }),
  });
  await Promise.all(previews);
  const { image } = result;
  const alpha = content.alpha && resizeAlpha(content.alpha, content.raster.width, content.raster.height, image.width, image.height);
  const bytes = await encodeImage(image, {
    format: req.format,
    quality: req.quality,
    alpha,
    metadata: runSettings(req.options, req.content.name, req.styles.map((s) => s.name), backend.name, result),
  });
  return {
    bytes, outcome: result.outcome, message: result.message, losses: result.losses, width: image.width, height: image.height,
    backend: backend.name, steps: result.steps, elapsedMs: result.elapsedMs, stepEquivalents: result.stepEquivalents,
  };
}
