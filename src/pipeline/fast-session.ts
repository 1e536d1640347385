import { UserError } from '../common/errors';
import { crossOptionProblems, settingName, withFastControls, type ColorMode, type FastControlOptions, type StyleOptions } from '../common/options';
import { animationFormat } from '../common/formats';
import type { FrameProgress, ImagesResult, RunReport } from '../common/report';
import { SteadyFrames } from '../engine/fast/steady-frames';
import type { FastNets } from '../engine/fast/fast-nets';
import { planFast, planInputs, type NamedSize } from '../engine/plan';
import { resizeAlpha } from '../image/alpha';
import type { Animation } from '../common/animation';
import { decodeFrame, decodeFrames, frameSize } from '../image/animation';
import { readImageFromBuffer, type DecodedImage } from '../image/decode';
import { decodeSize } from '../image/decode-size';
import { encodePreview, encodeQuickPreview } from '../image/encode';
import { encodeAnimation } from '../image/encode-animation';
import { encodeMask } from '../image/mask-image';
import { packPixels } from '../image/pixels';
import { maskBytes, maskFromBytes, type Mask } from '../image/mask';
import type { Raster } from '../image/raster';
import { encodeResult, stillFormat, type ResultEncoding } from './encode-result';
import { recordedSettings } from './recorded-settings';
import { loadFastEngine } from './engine-cache';
import { decodeStyle, fastCanvas, paint, styleVectorOf, type FastCanvas } from './fast-images';
import { knownStyleVector } from './fast-style-vectors';
import { jobMask, jobNotice, namedSize, noticeFlattened, readJobInputs } from './job-inputs';
import type { StylizeImagesRequest } from './stylize-images';

/** What a session is opened from: a fast job's inputs and options, as a whole job's. */
export type FastSessionRequest = Pick<
  StylizeImagesRequest, 'content' | 'styles' | 'mask' | 'options' | 'maxPixels' | 'onBackend' | 'onNotice' | 'optionName'
> & {
  /** The session is kept for a panel's renders: its content is prepared for the transformer once and repainted (see FastCanvas.prepared). */
  readonly repainted?: boolean;
};

/** A quick preview's longer side: the panel shows a picture at most 512 CSS pixels wide, twice that on a dense screen. */
export const PREVIEW_SIDE = 1024;
const PREVIEW_QUALITY = 85;

/** How a mask painted in a panel is named in messages. */
const PAINTED_MASK = 'the painted mask';

/** The rendered picture for one set of controls (and mask), kept so that encoding it again costs no transformer pass. */
export interface Picture {
  readonly key: string;
  readonly image: Raster;
  readonly options: StyleOptions;
  readonly elapsedMs: number;
}

/** An animation's frame as its output has it: steadied (see SteadyFrames), at the picture's size. */
export interface RenderedFrame {
  readonly image: Raster;
  /** Its opacity, when the frame is not opaque all over. */
  readonly alpha?: Float32Array;
}

/** What a whole animation's render is told and asked: its progress, frame by frame, and when to stop. */
export interface AnimationRun {
  readonly onFrame?: (p: FrameProgress) => void;
  /** Stops between frames: the frames made so far are the output, its outcome 'cancelled'. */
  readonly signal?: AbortSignal;
}

/** The content decoded at most this many ways at once (its size for the picture, and one larger for a small stroke size). */
const MAX_DECODES = 2;

/**
 * A fast job kept between renders: its content decoded (as a canvas, see fast-images.ts), the style vectors made
 * (once per colour family), the mask in use and the last picture. A render then runs the transformer only, with the
 * controls given (strength, stroke size, colours, blend: FAST_CONTROL_KEYS), so that a panel's controls answer
 * while they move. A style whose vector is known (a painting of the gallery, or a style used before in this process)
 * is decoded only when "histogram" colours need its pixels. The CLI's and the worker's whole fast jobs are a session
 * opened and rendered once, so a picture made in a panel and one made from the flags it records are the same.
 *
 * An animated content (GIF or WebP) is a session too: its picture is its first frame (or any other, alone, for a live
 * look), and its output the whole animation, every frame painted with the same style vectors and the content's own
 * vector of the first frame (so that the style does not wander from frame to frame), steadied (see SteadyFrames),
 * decoded one at a time and written in the format asked for if it holds animations, else its own. Its size is its
 * own, or smaller when the longer side asked for is.
 */
export class FastSession {
  /** The last frame other than the first painted alone, for renders of it while a control moves. */
  private lastFrame?: { readonly key: string; readonly picture: Picture };
  /**
   * The last whole animation's frames (8-bit RGBA, one after the other), by its controls: the panel renders it when
   * a control is let go, and Save then encodes the same frames again rather than painting them again.
   */
  private lastFrames?: { readonly key: string; readonly rgba: Buffer; readonly transparent: boolean; readonly elapsedMs: number };
  /** The content as painted, by its decoded size: the picture's own, and perhaps one larger for a small stroke size. */
  private readonly canvases = new Map<string, FastCanvas>();
  /** The styles' vectors in "histogram" colours (by the canvas they match), and in the others ("style"). */
  private readonly vectorSets = new Map<string, Float32Array[]>();
  private mask: Mask | undefined;
  /** How the mask in use is named: in messages, and in the recorded settings (the file it came from, if any). */
  private maskLabel: string | undefined;
  private maskFile: string | undefined;
  private maskVersion = 0;
  private last?: Picture;

  private constructor(
    private readonly nets: FastNets,
    private readonly req: FastSessionRequest,
    private readonly content: DecodedImage,
    /** Each style decoded, once its pixels were needed. */
    private readonly styles: (Raster | undefined)[],
    private readonly contentSize: NamedSize,
    /** The picture's size: the content at the longer side asked for. */
    readonly size: { readonly width: number; readonly height: number },
  ) {
    this.canvases.set(sizeKey(content.raster), fastCanvas(nets, content.raster, size, req.content.name, req.repainted));
  }

  /**
   * Reads the job's images and mask (checked as a whole job's are, notices included) and loads the nets. The first
   * picture is made by the first render.
   */
  static async open(req: FastSessionRequest): Promise<FastSession> {
    if (req.options.method !== 'fast') throw new Error(`a fast session of a job whose method is ${req.options.method}`);
    const notice = jobNotice(req);
    const known = req.styles.map((s) => knownStyleVector(s.bytes, req.options.colors).vector !== undefined);
    const { content, styles } = await readJobInputs(req, req.styles.filter((_, i) => !known[i]), notice);
    if (content.animation) req = { ...req, options: sizeKept(req.options, content.animation) };
    const o = req.options;
    const decoded = styles.values();
    const contentSize = namedSize(content, req.content);
    // Planned before anything loads, so that images too small for the method are refused at once.
    const plan = planFast(o, contentSize, req.styles.length, req.optionName ?? settingName);
    const size = { width: plan.width, height: plan.height };
    const mask = req.mask && (await jobMask(req, 'fast', size));
    const nets = await loadFastEngine();
    req.onBackend?.('onnx', nets.detail);
    const session = new FastSession(nets, req, content, known.map((k) => (k ? undefined : decoded.next().value!.raster)), contentSize, size);
    if (mask) {
      session.mask = mask;
      session.maskLabel = req.mask!.label ?? `mask ${req.mask!.name}`;
      session.maskFile = req.mask!.name;
    }
    return session;
  }

  /** The animation the content is, if it is one: `output` makes all its frames. */
  get animation(): Animation | undefined {
    return this.content.animation;
  }

  /** Bytes of memory the session holds (pictures, masks, decoded images), for the worker's budget. */
  get bytes(): number {
    const raster = (r: Raster | undefined) => r?.data.byteLength ?? 0;
    let n = this.req.content.bytes.byteLength + (this.content.alpha?.byteLength ?? 0) + (this.mask?.data.byteLength ?? 0) + raster(this.last?.image) +
      raster(this.lastFrame?.picture.image) + (this.lastFrames?.rgba.byteLength ?? 0);
    for (const c of this.canvases.values()) n += raster(c.content) + (c.contentAtSize === c.content ? 0 : raster(c.contentAtSize)) + c.keptBytes;
    for (const s of this.styles) n += raster(s);
    return n;
  }

  /** The mask in use as a panel paints it (one byte per pixel of the picture), or undefined. */
  maskBytes(): Uint8Array | undefined {
    if (!this.mask) return undefined;
    return maskBytes(this.mask);
  }

  /**
   * Uses a mask painted in a panel from now on (one byte per pixel of the picture, 255 white), or none. A painted
   * mask has no file: an output names it as its encoding says.
   */
  paint(mask: { readonly width: number; readonly height: number; readonly bytes: Uint8Array } | 'none'): void {
    if (mask !== 'none' && (mask.width !== this.size.width || mask.height !== this.size.height)) {
      throw new Error(`a ${mask.width}x${mask.height} mask painted over a ${this.size.width}x${this.size.height} picture`);
    }
    this.mask = mask === 'none' ? undefined : maskFromBytes(mask.width, mask.height, mask.bytes);
    this.maskLabel = mask === 'none' ? undefined : PAINTED_MASK;
    this.maskFile = undefined;
    this.maskVersion++;
  }

  /**
   * The picture with these controls (the transformer only; none at all when they are those of the last picture).
   * Of an animation, frame `frame` (0-based) alone, painted as the whole animation paints it but not steadied.
   */
  async picture(controls: FastControlOptions, frame = 0): Promise<Picture> {
    const options = this.optionsWith(controls);
    const key = JSON.stringify([controls, options.styleBlendWeights, this.maskVersion]);
    if (frame !== 0) return this.framePicture(controls, frame, key);
    if (this.last?.key === key) return this.last;
    const t0 = performance.now();
    const plan = this.plan(options);
    const canvas = await this.canvasFor(options);
    const image = await paint(canvas, plan, await this.styleVectors(canvas, plan.colors), this.mask);
    this.last = { key, image, options, elapsedMs: performance.now() - t0 };
    return this.last;
  }

  /** A quick look at the picture (or an animation's frame) with these controls: a JPEG at most PREVIEW_SIDE on its longer side. */
  async preview(controls: FastControlOptions, frame = 0): Promise<Uint8Array> {
    return encodeQuickPreview((await this.picture(controls, frame)).image, PREVIEW_SIDE, PREVIEW_QUALITY);
  }

  /** The picture (or an animation's frame) with these controls, whole, as a PNG (no settings recorded: see output). */
  async png(controls: FastControlOptions, frame = 0): Promise<Uint8Array> {
    const { image } = await this.picture(controls, frame);
    return encodePreview(image, Math.max(image.width, image.height));
  }

  /**
   * Every frame of the animation with these controls, in order, as its output has them (steadied), each made when
   * it is asked for; stops early when `signal` is aborted.
   */
  async *frames(controls: FastControlOptions, signal?: AbortSignal): AsyncGenerator<RenderedFrame> {
    const a = this.animationOrFail();
    const options = this.optionsWith(controls);
    const plan = this.plan(options);
    const first = await this.canvasFor(options);
    const vectors = await this.styleVectors(first, plan.colors);
    const steady = new SteadyFrames();
    const { width, height } = this.size;
    const decoded = frameSize(a, planInputs(options).content);
    for await (const f of decodeFrames(this.req.content.bytes, this.req.content.name, a, decoded)) {
      if (signal?.aborted) return;
      const canvas = this.frameCanvas(first, f.raster);
      const image = steady.next(canvas.contentAtSize, await paint(canvas, plan, vectors, this.mask));
      yield { image, alpha: f.alpha && resizeAlpha(f.alpha, f.raster.width, f.raster.height, width, height) };
    }
  }

  /**
   * The picture with these controls as the job's output: encoded as asked, every option recorded inside, and the
   * mask's PNG. `maskName` names the mask in the recorded settings (the file it is saved as), else the mask file
   * the session was opened with.
   */
  async output(controls: FastControlOptions, encoding: ResultEncoding & { readonly maskName?: string }, run: AnimationRun = {}): Promise<ImagesResult> {
    if (this.animation) return this.animationOutput(controls, encoding, run);
    const format = stillFormat(encoding.format);
    const { image, options, elapsedMs } = await this.picture(controls);
    noticeFlattened(this.content, this.req.content, format, jobNotice(this.req));
    const report: RunReport = { outcome: 'done', steps: 1, stepEquivalents: 0, elapsedMs, width: image.width, height: image.height };
    const encoded = await encodeResult(image, this.content, { ...encoding, format }, { options, inputs: this.inputs(encoding), backend: 'onnx', report }, this.mask);
    return { ...report, ...encoded, backend: 'onnx' };
  }

  /** The whole animation with these controls, encoded (see output), its frames' progress told to `run`. */
  private async animationOutput(controls: FastControlOptions, encoding: ResultEncoding & { readonly maskName?: string }, run: AnimationRun): Promise<ImagesResult> {
    const a = this.animationOrFail();
    const t0 = performance.now();
    const format = animationFormat(encoding.format, a.format);
    const { width, height } = this.size;
    const frameBytes = width * height * 4;
    const options = this.optionsWith(controls);
    const key = JSON.stringify([controls, options.styleBlendWeights, this.maskVersion]);
    let { rgba, transparent, elapsedMs } = this.lastFrames?.key === key ? this.lastFrames : { rgba: undefined, transparent: false, elapsedMs: 0 };
    let done = rgba ? a.frames : 0;
    if (!rgba) {
      // The output is all that is held of the frames: one frame is decoded and painted at a time.
      rgba = Buffer.alloc(a.frames * frameBytes);
      const opaque = new Float32Array(width * height).fill(1);
      for await (const f of this.frames(controls, run.signal)) {
        rgba.set(packPixels(f.image, f.alpha ?? opaque).bytes, done * frameBytes);
        transparent ||= f.alpha !== undefined;
        done++;
        run.onFrame?.({ frame: done, frames: a.frames, elapsedMs: performance.now() - t0 });
      }
      elapsedMs = performance.now() - t0;
      // Only a whole animation is kept (one stopped early is not what these controls make).
      this.lastFrames = done === a.frames ? { key, rgba, transparent, elapsedMs } : undefined;
    }
    const report: RunReport = {
      outcome: done === a.frames ? 'done' : 'cancelled', steps: done, stepEquivalents: 0, elapsedMs, width, height,
    };
    if (done === 0) return { ...report, bytes: new Uint8Array(), backend: 'onnx' };
    const settings = recordedSettings(options, this.inputs(encoding), 'onnx', report);
    const bytes = await encodeAnimation(
      { rgba: rgba.subarray(0, done * frameBytes), width, height, delays: a.delays.slice(0, done), loop: a.loop, opaque: !transparent },
      { format, quality: encoding.quality, metadata: settings },
    );
    return { ...report, bytes, backend: 'onnx', animation: { format, frames: done }, ...(this.mask && { mask: await encodeMask(this.mask) }) };
  }

  /** The inputs an output records: the files, and the mask as `encoding` names it. */
  private inputs(encoding: { readonly maskName?: string }) {
    return {
      content: this.req.content.name,
      styles: this.req.styles.map((s) => s.name),
      mask: this.mask ? (encoding.maskName ?? this.maskFile) : undefined,
    };
  }

  /** The plan of a picture with these options, after checking them with the mask in use. */
  private plan(options: StyleOptions) {
    const name = this.req.optionName ?? settingName;
    const [problem] = crossOptionProblems(options, this.styles.length, name, this.maskLabel);
    if (problem) throw new UserError(problem);
    return planFast(options, this.contentSize, this.styles.length, name);
  }

  private animationOrFail(): Animation {
    if (!this.animation) throw new Error(`${this.req.content.name} is not an animation`);
    return this.animation;
  }

  /** A frame as painted: the first frame's content vector (what strength mixes in) for every frame. */
  private frameCanvas(first: FastCanvas, frame: Raster): FastCanvas {
    return { ...fastCanvas(this.nets, frame, this.size, this.req.content.name), contentVector: first.contentVector };
  }

  /** Frame `index` (not the first) of the animation alone, painted as the whole animation paints it. */
  private async framePicture(controls: FastControlOptions, index: number, key: string): Promise<Picture> {
    const a = this.animationOrFail();
    if (!(Number.isInteger(index) && index >= 0 && index < a.frames)) throw new Error(`frame ${index} of an animation of ${a.frames}`);
    const frameKey = JSON.stringify([key, index]);
    if (this.lastFrame?.key === frameKey) return this.lastFrame.picture;
    const t0 = performance.now();
    const options = this.optionsWith(controls);
    const plan = this.plan(options);
    const first = await this.canvasFor(options);
    const vectors = await this.styleVectors(first, plan.colors);
    const decoded = await decodeFrame(this.req.content.bytes, this.req.content.name, a, index, frameSize(a, planInputs(options).content));
    const image = await paint(this.frameCanvas(first, decoded.raster), plan, vectors, this.mask);
    this.lastFrame = { key: frameKey, picture: { key: frameKey, image, options, elapsedMs: performance.now() - t0 } };
    return this.lastFrame.picture;
  }

  /** The job's options with these controls (see withFastControls). */
  private optionsWith(controls: FastControlOptions): StyleOptions {
    return withFastControls(this.req.options, controls, this.mask !== undefined && this.styles.length === 2);
  }

  /**
   * The content decoded as a whole job with these options decodes it (a stroke size under 1 paints larger than the
   * picture, so may need more of it), so that the picture is the one the CLI makes with the same flags.
   */
  private async canvasFor(options: StyleOptions): Promise<FastCanvas> {
    const needLongSide = planInputs(options).content;
    const a = this.animation;
    const size = a ? frameSize(a, needLongSide) : decodeSize(this.content.source, needLongSide);
    const key = sizeKey(size);
    const known = this.canvases.get(key);
    if (known) return known;
    const { bytes, name } = this.req.content;
    const decoded = a ? await decodeFrame(bytes, name, a, 0, size) : await readImageFromBuffer(bytes, name, { needLongSide, maxPixels: this.req.maxPixels });
    // The decode for the picture's own size stays; another one gives way to the newest.
    const other = [...this.canvases.keys()].find((k) => k !== sizeKey(this.content.raster));
    if (other !== undefined && this.canvases.size >= MAX_DECODES) {
      this.vectorSets.delete(histogramKey(this.canvases.get(other)!));
      this.canvases.delete(other);
    }
    const canvas = fastCanvas(this.nets, decoded.raster, this.size, this.req.content.name, this.req.repainted);
    this.canvases.set(key, canvas);
    return canvas;
  }

  /**
   * The styles' vectors for `canvas` in colours `colors`: in "histogram" colours they match the content's colours
   * as this canvas has them; in the others they are the style images' own.
   */
  private async styleVectors(canvas: FastCanvas, colors: ColorMode): Promise<Float32Array[]> {
    const key = colors === 'histogram' ? histogramKey(canvas) : 'style';
    const known = this.vectorSets.get(key);
    if (known) return known;
    const vectors: Float32Array[] = [];
    for (const [i, style] of this.req.styles.entries()) {
      const decoded = async () => (this.styles[i] ??= await decodeStyle(this.req.options, style, { maxPixels: this.req.maxPixels, onNotice: jobNotice(this.req) }));
      vectors.push(await styleVectorOf(canvas, colors, style.bytes, decoded));
    }
    this.vectorSets.set(key, vectors);
    return vectors;
  }
}

/**
 * An animation's options: its size kept (the longer side asked for only ever shrinks it), since a clip is made to be
 * shown at its size.
 */
function sizeKept(o: StyleOptions, a: Animation): StyleOptions {
  return { ...o, maxSize: Math.min(o.maxSize, Math.max(a.width, a.height)) };
}

function sizeKey(s: { readonly width: number; readonly height: number }): string {
  return `${s.width}x${s.height}`;
}

function histogramKey(canvas: FastCanvas): string {
  return `histogram ${sizeKey(canvas.content)}`;
}
