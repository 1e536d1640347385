import type { Backend } from '../engine/backend';
import type { BackendName } from '../common/backends';
import { errorMessage, UserError } from '../common/errors';
import { composite, resizeMask, type Mask } from '../image/mask';
import { fastControlsOf, settingName, type OptionName, type StyleOptions } from '../common/options';
import { planBackend, planOptimization, type OptimizePlan } from '../engine/plan';
import type { FrameProgress, ImagesResult, Progress } from '../common/report';
import { stylize } from '../engine/run';
import { backendCandidates } from '../engine/select-backend';
import type { Animation } from '../common/animation';
import { animationOf } from '../image/animation';
import { readImageHeader, type DecodedImage } from '../image/decode';
import { encodePreview } from '../image/encode';
import type { OutputFormat, ResultFormat } from '../common/formats';
import { atSize } from '../image/resize';
import { encodeResult, stillFormat } from './encode-result';
import { loadEngine, releaseEngine } from './engine-cache';
import { FastSession } from './fast-session';
import { jobMask, jobNotice, namedSize, noticeFlattened, readJobInputs } from './job-inputs';

/** An image handed over as bytes: the extension reads through vscode.workspace.fs, so it may not be a local file. */
export interface ImageInput {
  /** Path or name, for messages and the recorded settings. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface StylizeImagesRequest {
  readonly content: ImageInput;
  readonly styles: readonly ImageInput[];
  /**
   * Where the picture is styled (see Mask): an image resized to the picture. `label` names it in messages as the
   * user knows it (`--mask regions.png`; default "mask <name>").
   */
  readonly mask?: ImageInput & { readonly label?: string };
  /** Resolved options (defaults, preset, then the user's), already checked together (crossOptionProblems, with the mask). */
  readonly options: StyleOptions;
  /** The local VGG19 weights file (see resolveWeightsFile), asked for once the inputs have passed their checks. */
  readonly weights: () => Promise<string>;
  /** An animation's is this if it holds animations (GIF or WebP), else its own (see animationFormat). */
  readonly format: ResultFormat;
  readonly quality?: number;
  readonly maxPixels?: number;
  /** Longer side of preview images (default 256). */
  readonly previewSize?: number;
  readonly signal?: AbortSignal;
  readonly onBackend?: (name: BackendName, detail: string) => void;
  readonly onProgress?: (p: Progress) => void;
  /** An animation's progress, frame by frame (the fast method). */
  readonly onFrame?: (p: FrameProgress) => void;
  readonly onPreview?: (png: Uint8Array, p: Progress) => void;
  /**
   * Things the user should know that do not stop the run (a backend that failed and was replaced, an animation's
   * frames left out, transparency that the format cannot keep).
   */
  readonly onNotice?: (message: string) => void;
  /** How messages spell an option: a flag on the command line (default: a setting, as in VS Code). */
  readonly optionName?: OptionName;
  /** Given a fast job's session once its picture is made, for renders with other controls (see FastSession). */
  readonly onSession?: (session: FastSession) => void;
}

/**
 * The animation the job's content is, if it is one (read from its header alone), after refusing it to the
 * optimisation: that makes one picture in minutes, a clip would take hours; the fast method makes every frame.
 */
export async function contentAnimation(req: Pick<StylizeImagesRequest, 'content' | 'options' | 'optionName'>): Promise<Animation | undefined> {
  const animation = animationOf(await readImageHeader(req.content.bytes, req.content.name));
  if (animation && req.options.method !== 'fast') {
    throw new UserError(
      `${req.content.name} is an animation of ${animation.frames} frames, which the optimisation does not make; ` +
        `use ${(req.optionName ?? settingName)('method')} fast, which makes every frame`,
    );
  }
  return animation;
}

/**
 * Decode, stylize, encode: the whole job of the CLI's `stylize` and of the extension's worker, by either method.
 * For the optimisation, a backend that fails while running (not a user error) is replaced by the next candidate of
 * the user's choice, with a notice, and the run starts again on it.
 */
export async function stylizeImages(req: StylizeImagesRequest): Promise<ImagesResult> {
  const o = req.options;
  if (o.method === 'fast') return fastImages(req);
  await contentAnimation(req);
  const format = stillFormat(req.format);
  const notice = jobNotice(req);
  const { content, styles } = await readJobInputs(req, req.styles, notice);
  noticeFlattened(content, req.content, format, notice);
  const sizes = [namedSize(content, req.content), styles.map((s, i) => namedSize(s, req.styles[i]))] as const;
  // Planned before anything loads, so that images too small for the method are refused at once.
  const plan = planOptimization(o, ...sizes);
  const mask = req.mask && (await jobMask(req, 'optimize', plan.stages[plan.stages.length - 1]));

  const backendPlan = planBackend(o);
  const weightsPath = await req.weights();
  const failed: BackendName[] = [];
  for (;;) {
    const backend = await loadEngine(weightsPath, backendPlan, notice, failed);
    req.onBackend?.(backend.name, backend.detail);
    // Planned again with what the backend can hold, which only ever shrinks the scales.
    const fitted = planOptimization(o, ...sizes, backend);
    try {
      return await runOn(backend, fitted, { ...req, format }, content, styles, mask);
    } catch (e) {
      const next = backendCandidates(backendPlan.backend).filter((n) => n !== backend.name && !failed.includes(n));
      if (e instanceof UserError || req.signal?.aborted || next.length === 0) throw e;
      failed.push(backend.name);
      releaseEngine();
      notice(`backend ${backend.name} failed while running (${errorMessage(e).split('\n')[0]}); starting again on ${next[0]}`);
    }
  }
}

/** The fast method: a session (see FastSession) opened and rendered once with the job's options as its controls. */
async function fastImages(req: StylizeImagesRequest): Promise<ImagesResult> {
  const t0 = performance.now();
  const session = await FastSession.open({ ...req, repainted: req.onSession !== undefined });
  const result = await session.output(fastControlsOf(req.options), { format: req.format, quality: req.quality }, { onFrame: req.onFrame, signal: req.signal });
  req.onSession?.(session);
  return { ...result, elapsedMs: performance.now() - t0 };
}

async function runOn(
  backend: Backend,
  plan: OptimizePlan,
  req: StylizeImagesRequest & { readonly format: OutputFormat },
  content: DecodedImage,
  styles: DecodedImage[],
  mask: Mask | undefined,
): Promise<ImagesResult> {
  const previewSize = req.previewSize ?? 256;
  const previews: Promise<void>[] = [];
  // A preview is only a look at the run: one that fails stops the previews with a notice, never the run.
  let previewsStopped = false;
  const stopPreviews = (e: unknown) => {
    if (previewsStopped) return;
    previewsStopped = true;
    req.onNotice?.(`previews stopped: ${errorMessage(e).split('\n')[0]}`);
  };
  const { image, ...report } = await stylize({
    backend,
    content: content.raster,
    styles: styles.map((s) => s.raster),
    plan,
    signal: req.signal,
    onProgress: req.onProgress,
    onPreview: req.onPreview && ((picture, p) => {
      if (previewsStopped) return;
      previews.push(encodePreview(picture, previewSize).then((png) => req.onPreview!(png, p)).catch(stopPreviews));
    }),
  });
  await Promise.all(previews);
  // A run stopped early may have stopped at a smaller scale.
  const masked = mask ? composite(image, atSize(content.raster, image), resizeMask(mask, image.width, image.height)) : image;
  const recorded = {
    options: req.options,
    inputs: { content: req.content.name, styles: req.styles.map((s) => s.name), mask: req.mask?.name },
    backend: backend.name,
    report,
  };
  return { ...report, ...(await encodeResult(masked, content, req, recorded, mask)), backend: backend.name };
}
