import { UserError } from '../common/errors';
import { crossOptionProblems, settingName, withFastControls, type ColorMode, type FastControlOptions, type StyleOptions } from '../common/options';
import type { ImagesResult, RunReport } from '../common/report';
import type { FastNets } from '../engine/fast/fast-nets';
import { planFast, planInputs, type NamedSize } from '../engine/plan';
import { readImageFromBuffer, type DecodedImage } from '../image/decode';
import { decodeSize } from '../image/decode-size';
import { encodePreview, encodeQuickPreview } from '../image/encode';
import type { Mask } from '../image/mask';
import type { Raster } from '../image/raster';
import { encodeResult, type ResultEncoding } from './encode-result';
import { loadFastEngine } from './engine-cache';
import { decodeStyle, fastCanvas, paint, styleVectorOf, type FastCanvas } from './fast-images';
import { knownStyleVector } from './fast-style-vectors';
import { jobMask, jobNotice, namedSize, noticeFlattened, readJobInputs } from './job-inputs';
import type { StylizeImagesRequest } from './stylize-images';

/** What a session is opened from: a fast job's inputs and options, as a whole job's. */
export type FastSessionRequest = Pick<
  StylizeImagesRequest, 'content' | 'styles' | 'mask' | 'options' | 'maxPixels' | 'onBackend' | 'onNotice' | 'optionName'
>;

/** A quick preview's longer side: the panel shows a picture at most 512 CSS pixels wide, twice that on a dense screen. */
export const PREVIEW_SIDE = 1024;
const PREVIEW_QUALITY = 85;

/** How a mask painted in a panel is named in messages. */
const PAINTED_MASK = 'the painted mask';

/** The rendered picture for one set of controls (and mask), kept so that encoding it again costs no transformer pass. */
interface Picture {
  readonly key: string;
  readonly image: Raster;
  readonly options: StyleOptions;
  readonly elapsedMs: number;
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
 */
export class FastSession {
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
    this.canvases.set(sizeKey(content.raster), fastCanvas(nets, content.raster, size, req.content.name));
  }

  /**
   * Reads the job's images and mask (checked as a whole job's are, notices included) and loads the nets. The first
   * picture is made by the first render.
   */
  static async open(req: FastSessionRequest): Promise<FastSession> {
    const o = req.options;
    if (o.method !== 'fast') throw new Error(`a fast session of a job whose method is ${o.method}`);
    const notice = jobNotice(req);
    const known = req.styles.map((s) => knownStyleVector(s.bytes, o.colors).vector !== undefined);
    const { content, styles } = await readJobInputs(req, req.styles.filter((_, i) => !known[i]), notice);
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

  /** Bytes of memory the session holds (pictures, masks, decoded images), for the worker's budget. */
  get bytes(): number {
    const raster = (r: Raster | undefined) => r?.data.byteLength ?? 0;
    let n = this.req.content.bytes.byteLength + (this.content.alpha?.byteLength ?? 0) + (this.mask?.data.byteLength ?? 0) + raster(this.last?.image);
    for (const c of this.canvases.values()) n += raster(c.content) + (c.contentAtSize === c.content ? 0 : raster(c.contentAtSize));
    for (const s of this.styles) n += raster(s);
    return n;
  }

  /** The mask in use as a panel paints it (one byte per pixel of the picture), or undefined. */
  maskBytes(): Uint8Array | undefined {
    if (!this.mask) return undefined;
    return Uint8Array.from(this.mask.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  }

  /**
   * Uses a mask painted in a panel from now on (one byte per pixel of the picture, 255 white), or none. A painted
   * mask has no file: an output names it as its encoding says.
   */
  paint(mask: { readonly width: number; readonly height: number; readonly bytes: Uint8Array } | 'none'): void {
    if (mask !== 'none' && (mask.width !== this.size.width || mask.height !== this.size.height)) {
      throw new Error(`a ${mask.width}x${mask.height} mask painted over a ${this.size.width}x${this.size.height} picture`);
    }
    this.mask = mask === 'none' ? undefined : { width: mask.width, height: mask.height, data: Float32Array.from(mask.bytes, (b) => b / 255) };
    this.maskLabel = mask === 'none' ? undefined : PAINTED_MASK;
    this.maskFile = undefined;
    this.maskVersion++;
  }

  /** The picture with these controls (the transformer only; none at all when they are those of the last picture). */
  async picture(controls: FastControlOptions): Promise<Picture> {
    const options = this.optionsWith(controls);
    const key = JSON.stringify([controls, options.styleBlendWeights, this.maskVersion]);
    if (this.last?.key === key) return this.last;
    const t0 = performance.now();
    const name = this.req.optionName ?? settingName;
    const [problem] = crossOptionProblems(options, this.styles.length, name, this.maskLabel);
    if (problem) throw new UserError(problem);
    const plan = planFast(options, this.contentSize, this.styles.length, name);
    const canvas = await this.canvasFor(options);
    const image = await paint(canvas, plan, await this.styleVectors(canvas, plan.colors), this.mask);
    this.last = { key, image, options, elapsedMs: performance.now() - t0 };
    return this.last;
  }

  /** A quick look at the picture with these controls: a JPEG at most PREVIEW_SIDE on its longer side. */
  async preview(controls: FastControlOptions): Promise<Uint8Array> {
    return encodeQuickPreview((await this.picture(controls)).image, PREVIEW_SIDE, PREVIEW_QUALITY);
  }

  /** The picture with these controls, whole, as a PNG (no settings recorded: see output). */
  async png(controls: FastControlOptions): Promise<Uint8Array> {
    const { image } = await this.picture(controls);
    return encodePreview(image, Math.max(image.width, image.height));
  }

  /**
   * The picture with these controls as the job's output: encoded as asked, every option recorded inside, and the
   * mask's PNG. `maskName` names the mask in the recorded settings (the file it is saved as), else the mask file
   * the session was opened with.
   */
  async output(controls: FastControlOptions, encoding: ResultEncoding & { readonly maskName?: string }): Promise<ImagesResult> {
    const { image, options, elapsedMs } = await this.picture(controls);
    noticeFlattened(this.content, this.req.content, encoding.format, jobNotice(this.req));
    const report: RunReport = { outcome: 'done', steps: 1, stepEquivalents: 0, elapsedMs, width: image.width, height: image.height };
    const inputs = {
      content: this.req.content.name,
      styles: this.req.styles.map((s) => s.name),
      mask: this.mask ? (encoding.maskName ?? this.maskFile) : undefined,
    };
    const encoded = await encodeResult(image, this.content, encoding, { options, inputs, backend: 'onnx', report }, this.mask);
    return { ...report, ...encoded, backend: 'onnx' };
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
    const key = sizeKey(decodeSize(this.content.source, needLongSide));
    const known = this.canvases.get(key);
    if (known) return known;
    const decoded = await readImageFromBuffer(this.req.content.bytes, this.req.content.name, { needLongSide, maxPixels: this.req.maxPixels });
    // The decode for the picture's own size stays; another one gives way to the newest.
    const other = [...this.canvases.keys()].find((k) => k !== sizeKey(this.content.raster));
    if (other !== undefined && this.canvases.size >= MAX_DECODES) {
      this.vectorSets.delete(histogramKey(this.canvases.get(other)!));
      this.canvases.delete(other);
    }
    const canvas = fastCanvas(this.nets, decoded.raster, this.size, this.req.content.name);
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

function sizeKey(s: { readonly width: number; readonly height: number }): string {
  return `${s.width}x${s.height}`;
}

function histogramKey(canvas: FastCanvas): string {
  return `histogram ${sizeKey(canvas.content)}`;
}
