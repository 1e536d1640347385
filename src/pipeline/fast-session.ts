import { printable, UserError } from '../common/errors';
import { crossOptionProblems, settingName, withFastControls, type FastControlOptions, type StyleOptions } from '../common/options';
import type { ImagesResult, RunReport } from '../common/report';
import type { FastNets } from '../engine/fast/fast-nets';
import { fastPicture, fastVectors, type FastVectors } from '../engine/fast/fast-stylize';
import { planInputs, planRun, type FastPlan, type NamedSize } from '../engine/plan';
import { readImageFromBuffer, readJobImages, type DecodedImage } from '../image/decode';
import { decodeSize } from '../image/decode-size';
import { encodePreview, encodeQuickPreview } from '../image/encode';
import type { Mask } from '../image/mask';
import type { Raster } from '../image/raster';
import { atSize } from '../image/resize';
import { encodeResult, type ResultEncoding } from './encode-result';
import { loadFastEngine } from './engine-cache';
import { jobMask } from './job-mask';
import type { ImageInput, StylizeImagesRequest } from './stylize-images';

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
const MAX_VECTOR_SETS = 4;

/**
 * A fast job kept between renders: its images decoded, the style vectors made (once per colour family), the mask in
 * use and the last picture. A render then runs the transformer only, with the controls given (strength, stroke
 * size, colours, blend: FAST_CONTROL_KEYS), so that a panel's controls answer while they move. The CLI's and the
 * worker's whole fast jobs are a session opened and rendered once, so a picture made in a panel and one made from
 * the flags it records are the same.
 */
export class FastSession {
  private readonly decodes = new Map<string, DecodedImage>();
  private readonly vectorSets = new Map<string, FastVectors>();
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
    private readonly styles: readonly DecodedImage[],
    private readonly sizes: { readonly content: NamedSize; readonly styles: readonly NamedSize[] },
    /** The picture's size: the content at the longer side asked for. */
    readonly size: { readonly width: number; readonly height: number },
  ) {
    this.decodes.set(sizeKey(content.raster), content);
  }

  /**
   * Reads the job's images and mask (checked as a whole job's are, notices included) and loads the nets. The first
   * picture is made by the first render.
   */
  static async open(req: FastSessionRequest): Promise<FastSession> {
    const o = req.options;
    if (o.method !== 'fast') throw new Error(`a fast session of a job whose method is ${o.method}`);
    const notice = (message: string) => req.onNotice?.(printable(message));
    const sides = planInputs(o);
    const [content, ...styles] = await readJobImages(
      [{ ...req.content, needLongSide: sides.content }, ...req.styles.map((s) => ({ ...s, needLongSide: sides.style }))],
      { maxPixels: req.maxPixels, onNotice: notice },
    );
    const sizeOf = (image: DecodedImage, input: ImageInput): NamedSize => ({
      name: input.name, width: image.raster.width, height: image.raster.height, source: image.source,
    });
    const sizes = { content: sizeOf(content, req.content), styles: styles.map((s, i) => sizeOf(s, req.styles[i])) };
    // Planned before anything loads, so that images too small for the method are refused at once.
    const plan = planRun(o, sizes.content, sizes.styles, req.optionName ?? settingName) as FastPlan;
    const size = { width: plan.width, height: plan.height };
    const mask = req.mask && (await jobMask({ ...req, onNotice: notice }, 'fast', size));
    const nets = await loadFastEngine();
    req.onBackend?.('onnx', nets.detail);
    const session = new FastSession(nets, req, content, styles, sizes, size);
    if (mask) {
      session.mask = mask;
      session.maskLabel = req.mask!.label ?? `mask ${req.mask!.name}`;
      session.maskFile = req.mask!.name;
    }
    return session;
  }

  /** Bytes of memory the session holds (pictures, masks, decoded images), for the worker's budget. */
  get bytes(): number {
    const raster = (r: Raster) => r.data.byteLength;
    let n = this.req.content.bytes.byteLength + (this.mask?.data.byteLength ?? 0) + (this.last ? raster(this.last.image) : 0);
    for (const d of [...this.decodes.values(), ...this.styles]) n += raster(d.raster) + (d.alpha?.byteLength ?? 0);
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
    const plan = planRun(options, this.sizes.content, this.sizes.styles, name) as FastPlan;
    const content = await this.contentFor(options);
    const image = await fastPicture(this.nets, {
      content: content.raster, size: this.size, vectors: await this.vectorsFor(content, plan), mask: this.mask, contentName: this.req.content.name,
      controls: { strength: plan.strength, styleScale: plan.styleScale, colors: plan.colors, blend: plan.blend },
    });
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
    if (this.content.alpha && encoding.format === 'jpeg') {
      this.req.onNotice?.(printable(`${this.req.content.name} is transparent, and JPEG cannot be: the picture is flattened onto white (PNG and WebP keep the transparency)`));
    }
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
  private async contentFor(options: StyleOptions): Promise<DecodedImage> {
    const needLongSide = planInputs(options).content;
    const key = sizeKey(decodeSize(this.content.source, needLongSide));
    const known = this.decodes.get(key);
    if (known) return known;
    const decoded = await readImageFromBuffer(this.req.content.bytes, this.req.content.name, { needLongSide, maxPixels: this.req.maxPixels });
    // The decode for the picture's own size stays; another one gives way to the newest.
    const other = [...this.decodes.keys()].find((k) => k !== sizeKey(this.content.raster));
    if (other !== undefined && this.decodes.size >= MAX_DECODES) {
      this.decodes.delete(other);
      for (const k of this.vectorSets.keys()) if (k.startsWith(`${other}|`)) this.vectorSets.delete(k);
    }
    this.decodes.set(key, decoded);
    return decoded;
  }

  /** The predictor's vectors for this decode of the content: they change only with it and to or from histogram colours. */
  private async vectorsFor(content: DecodedImage, plan: FastPlan): Promise<FastVectors> {
    const key = `${sizeKey(content.raster)}|${plan.colors === 'histogram' ? 'histogram' : 'style'}`;
    const known = this.vectorSets.get(key);
    if (known) return known;
    const vectors = await fastVectors(this.nets, atSize(content.raster, this.size), this.styles.map((s) => s.raster), plan.colors);
    if (this.vectorSets.size >= MAX_VECTOR_SETS) this.vectorSets.delete(this.vectorSets.keys().next().value!);
    this.vectorSets.set(key, vectors);
    return vectors;
  }
}

function sizeKey(s: { readonly width: number; readonly height: number }): string {
  return `${s.width}x${s.height}`;
}
