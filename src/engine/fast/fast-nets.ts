import { createHash } from 'crypto';
import * as os from 'os';
import * as path from 'path';
import type * as Ort from 'onnxruntime-node';
import type { Raster } from '../../image/raster';
import { resizeBilinear } from '../../image/resize';
import { UserError } from '../../common/errors';
import { installedDir } from '../installed-assets';
import { createSession, loadOnnxRuntime, type OnnxRuntime } from '../onnx/session';
import { readRegularFile, type FileKind } from '../../image/regular-file';
import { crop } from '../tiles';
import { MIN_CONTENT_SIDE, STYLE_SIDE } from '../../common/fast-limits';
import { reflectPadToMultiple } from './reflect-pad';
import { readTfliteModel } from './tflite-model';
import { tfliteToOnnx, tfliteToOnnxParts } from './tflite-to-onnx';

/**
 * The two nets fast mode is made of (Magenta's arbitrary image stylization, TF Lite edition), by role: the .tflite
 * files in assets/fast, and the ONNX models the build converts them to (scripts/build.mjs), which an installation
 * ships and loads: the predictor whole; the transformer whole (for a picture painted once) and in two parts, split where
 * the style vector enters (tfliteToOnnxParts: for a content painted again and again, see FastNets.prepare). Each is
 * checked against its sha256 before it is used: fast mode was tested on these bytes only.
 */
export const FAST_NET_FILES = {
  predictor: {
    file: 'style_predict_quantized_256.tflite', sha256: '203dbd6a09da1091ab7e48e8b101aef8c2d81438ad047a5cb150747a977134c1',
    onnx: [{ file: 'style_predict.onnx', sha256: 'd40a024ca28fe7679607bc4c42294e3688e0de507cd0f57de0cfc965906fe6bf' }],
  },
  transformer: {
    file: 'style_transfer_f16_384.tflite', sha256: 'c60cff7395544eda1f0915d6dddaedd8ed868cefe8ec6c5ed220ba801f120303',
    onnx: [
      { file: 'style_transfer.onnx', sha256: 'bdf9356f07ed7ad733f3f0bc3ebddadd3a48df35ffe818eabbc1633634b602b7' },
      { file: 'style_transfer_content.onnx', sha256: '7913e598b3276bf284a6253ad4c8203a5f8c4e12aa459e224c13e9b37a97f83b' },
      { file: 'style_transfer_style.onnx', sha256: '40c294a0472ccbe17b9357ce90da58c15e36443bbda2876c8dedb6ec9c99a36c' },
    ],
  },
} as const;

type NetRole = keyof typeof FAST_NET_FILES;
const ROLES = Object.keys(FAST_NET_FILES) as NetRole[];

/** Where an installation keeps the converted nets, below its root. */
export const SHIPPED_NETS_DIR = path.join('dist', 'fast');

export const STYLE_VECTOR_LENGTH = 100;
/**
 * The transformer halves the image twice and doubles it back, so it returns sides rounded up to a multiple of 4;
 * content is mirrored out to one and cropped back.
 */
const SIDE_MULTIPLE = 4;

/**
 * A content image as far as the transformer computes it before the style vector enters: made once (by prepare),
 * painted in any number of styles (by transfer) at the cost of the transformer's rest only.
 */
export interface PreparedContent {
  readonly width: number;
  readonly height: number;
  /** Bytes of memory it holds. */
  readonly bytes: number;
}

export interface FastNets {
  /** The style vector of an image: the predictor run on its styleInput. */
  styleVector(image: Raster): Promise<Float32Array>;
  /** `content` prepared for transfer. A side under MIN_CONTENT_SIDE is a UserError naming `name`. */
  prepare(content: Raster, name?: string): Promise<PreparedContent>;
  /**
   * `content` (a raster, or one prepared by these nets) stylized by `style` (STYLE_VECTOR_LENGTH numbers), at its
   * own size, in [0, 1]. A raster's side under MIN_CONTENT_SIDE is a UserError naming `name`.
   */
  transfer(content: Raster | PreparedContent, style: Float32Array, name?: string): Promise<Raster>;
  /** What runs the nets, e.g. "onnxruntime 1.30.0, 2 threads". */
  readonly detail: string;
  dispose(): void;
}

export interface FastNetsOptions {
  /**
   * A folder holding the .tflite files of FAST_NET_FILES, converted here (once per folder and process); default:
   * the installation's ONNX models, converted when it was built.
   */
  readonly dir?: string;
  /** Intra-op threads of each session (default: every core). */
  readonly threads?: number;
}

/** Each net's ONNX models, in FAST_NET_FILES' order. */
type Models = Record<NetRole, Uint8Array[]>;

/** The ONNX forms of the nets, made once per folder and process: sessions come and go, the conversion stays. */
const converted = new Map<string, Promise<Models>>();

/** Loads the two nets (see FastNetsOptions), each file checked against its sha256, and opens an onnxruntime session on each. */
export async function loadFastNets(opts: FastNetsOptions = {}): Promise<FastNets> {
  const models = opts.dir === undefined ? await shippedModels() : await convertedModels(path.resolve(opts.dir));
  const ort = await loadOnnxRuntime();
  const threads = opts.threads ?? os.availableParallelism();
  const [predictor, transformer] = await Promise.all([createSession(ort, models.predictor[0], threads), createSession(ort, models.transformer[0], threads)]);
  return new OnnxFastNets(ort, threads, predictor, transformer, models.transformer.slice(1));
}

/** The .tflite files of `dir` converted to ONNX (FAST_NET_FILES' order), as the build does for an installation. */
export function convertedModels(dir: string): Promise<Models> {
  let models = converted.get(dir);
  if (!models) {
    models = Promise.all(ROLES.map((role) => convertNet(dir, FAST_NET_FILES[role]))).then(([predictor, transformer]) => ({ predictor, transformer }));
    converted.set(dir, models);
    models.catch(() => converted.delete(dir)); // a file put right can then be tried again
  }
  return models;
}

/** The installation's converted nets (SHIPPED_NETS_DIR). */
async function shippedModels(): Promise<Models> {
  const dir = installedDir(SHIPPED_NETS_DIR, "fast mode's nets");
  const [predictor, transformer] = await Promise.all(
    ROLES.map((role) => Promise.all(FAST_NET_FILES[role].onnx.map((part) => checkedNet(path.join(dir, part.file), part.sha256)))),
  );
  return { predictor, transformer };
}

/**
 * A net is read as an image is, a regular file of bounded size: a pipe or a device put in its place would block
 * or stream forever before its sha256 could refuse it. The .tflite files weigh 3.2 MB together, the ONNX ones 10 MB.
 */
const NET_FILE: FileKind = {
  name: "fast mode's net", maxBytes: 16 * 1024 * 1024, advice: 'reinstall Neural Style to restore the nets it ships',
};

/** The bytes of `file`, if their sha256 is `sha256`; a UserError naming the file otherwise. */
async function checkedNet(file: string, sha256: string): Promise<Uint8Array> {
  const bytes = await readRegularFile(file, NET_FILE);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) {
    throw new UserError(`${file} is not the net fast mode ships: its sha256 is ${actual}, not ${sha256} (damaged or replaced)`);
  }
  return bytes;
}

/** A net's ONNX models: the net whole, and for the transformer its two parts, split at its style vector input. */
async function convertNet(dir: string, spec: { readonly file: string; readonly sha256: string }): Promise<Uint8Array[]> {
  const file = path.join(dir, spec.file);
  const model = readTfliteModel(await checkedNet(file, spec.sha256), file);
  const styleInputs = model.inputs.filter((i) => model.tensors[i].shape[3] === STYLE_VECTOR_LENGTH);
  const whole = tfliteToOnnx(model, file).model;
  return styleInputs.length === 0 ? [whole] : [whole, ...tfliteToOnnxParts(model, file, styleInputs).map((net) => net.model)];
}

/** What the predictor sees of an image: its centre square, resized bilinearly to STYLE_SIDE unless it is that size. */
export function styleInput(image: Raster): Raster {
  const side = Math.min(image.width, image.height);
  const square =
    image.width === side && image.height === side
      ? image
      : crop(image, { x: Math.floor((image.width - side) / 2), y: Math.floor((image.height - side) / 2), width: side, height: side });
  return side === STYLE_SIDE ? square : resizeBilinear(square, STYLE_SIDE, STYLE_SIDE);
}

/** What OnnxFastNets prepares: the values the transformer's first part passes to its second (see tfliteToOnnxParts). */
class OnnxPreparedContent implements PreparedContent {
  readonly bytes: number;

  constructor(
    readonly width: number,
    readonly height: number,
    /** The size the transformer computes at: the content mirrored out to a multiple of SIDE_MULTIPLE. */
    readonly padded: { readonly width: number; readonly height: number },
    readonly features: Readonly<Record<string, Ort.Tensor>>,
  ) {
    this.bytes = Object.values(features).reduce((n, t) => n + (t.data as Float32Array).byteLength, 0);
  }
}

class OnnxFastNets implements FastNets {
  readonly detail: string;
  private readonly styleInput: string;
  private readonly contentInput: string;
  private readonly vectorInput: string;
  /** The transformer's two parts (see FAST_NET_FILES), opened when a content is first prepared. */
  private parts?: Promise<{ readonly content: Ort.InferenceSession; readonly painter: Ort.InferenceSession }>;

  constructor(
    private readonly ort: OnnxRuntime,
    private readonly threads: number,
    private readonly predictor: Ort.InferenceSession,
    private readonly transformer: Ort.InferenceSession,
    /** The ONNX models of the transformer's parts: up to where the style vector enters, and from there. */
    private readonly partModels: readonly Uint8Array[],
  ) {
    this.detail = `onnxruntime ${ort.env.versions.node}, ${threads} thread${threads === 1 ? '' : 's'}`;
    // The nets' inputs (NHWC) are told apart by their channels: 3 for an image, 100 for a style vector.
    this.styleInput = onlyInput(predictor, 3);
    this.contentInput = onlyInput(transformer, 3);
    this.vectorInput = onlyInput(transformer, STYLE_VECTOR_LENGTH);
  }

  async styleVector(image: Raster): Promise<Float32Array> {
    const out = await this.run(this.predictor, { [this.styleInput]: this.image(styleInput(image)) });
    if (out.data.length !== STYLE_VECTOR_LENGTH) throw new Error(`the style predictor gave ${out.data.length} numbers`);
    return out.data;
  }

  async prepare(content: Raster, name?: string): Promise<PreparedContent> {
    const padded = this.padded(content, name);
    const { content: part } = await this.openParts();
    const features = await part.run({ [this.contentInput]: this.image(padded) });
    return new OnnxPreparedContent(content.width, content.height, { width: padded.width, height: padded.height }, features);
  }

  async transfer(content: Raster | PreparedContent, style: Float32Array, name?: string): Promise<Raster> {
    if (style.length !== STYLE_VECTOR_LENGTH) throw new Error(`a style vector has ${STYLE_VECTOR_LENGTH} numbers, not ${style.length}`);
    const vector = new this.ort.Tensor('float32', style, [1, 1, 1, STYLE_VECTOR_LENGTH]);
    let size: { readonly width: number; readonly height: number };
    let out: { data: Float32Array; dims: readonly number[] };
    if ('data' in content) {
      const padded = this.padded(content, name);
      out = await this.run(this.transformer, { [this.contentInput]: this.image(padded), [this.vectorInput]: vector });
      size = padded;
    } else {
      if (!(content instanceof OnnxPreparedContent)) throw new Error('a content prepared by other nets');
      out = await this.run((await this.openParts()).painter, { ...content.features, [this.vectorInput]: vector });
      size = content.padded;
    }
    const [, height, width] = out.dims;
    if (height !== size.height || width !== size.width) throw new Error(`the transformer made ${width}x${height} px of ${size.width}x${size.height}`);
    // The transformer ends in a sigmoid: its values are in [0, 1] as they come.
    const image = { width, height, data: out.data };
    return width === content.width && height === content.height ? image : crop(image, { x: 0, y: 0, width: content.width, height: content.height });
  }

  dispose(): void {
    // Async in signature only: the native sessions are freed before the promises settle.
    void this.predictor.release();
    void this.transformer.release();
    void this.parts?.then((p) => Promise.all([p.content.release(), p.painter.release()]), () => {});
  }

  /** `content` mirrored out to a multiple of SIDE_MULTIPLE; a side under MIN_CONTENT_SIDE is a UserError naming `name`. */
  private padded(content: Raster, name = 'the content image'): Raster {
    if (Math.min(content.width, content.height) < MIN_CONTENT_SIDE) {
      throw new UserError(
        `${name} is ${content.width}x${content.height} px: fast mode needs at least ${MIN_CONTENT_SIDE} px on each side`,
      );
    }
    return reflectPadToMultiple(content, SIDE_MULTIPLE);
  }

  /**
   * The first part runs once per content prepared, then waits: its threads sleep rather than spin, or they would take
   * the cores from the second part's first run (that made a 1024x768 picture's two parts 1.5x the whole pass's time),
   * and it gives its memory back after each run: kept in an arena of its own it would add 0.5 GB to a worker's memory
   * at 2048x1536 (a fresh arena's first run costs as much as running without one: 0.30-0.34 against 0.36-0.41 s).
   */
  private openParts() {
    this.parts ??= (async () => {
      const [content, painter] = this.partModels;
      return { content: await createSession(this.ort, content, this.threads, { spin: false, arena: false }), painter: await createSession(this.ort, painter, this.threads) };
    })();
    return this.parts;
  }

  private image(r: Raster): Ort.Tensor {
    return new this.ort.Tensor('float32', r.data, [1, r.height, r.width, 3]);
  }

  private async run(session: Ort.InferenceSession, feeds: Record<string, Ort.Tensor>): Promise<{ data: Float32Array; dims: readonly number[] }> {
    const out = (await session.run(feeds))[session.outputNames[0]];
    return { data: out.data as Float32Array, dims: out.dims };
  }
}

/** The name of the net's one input of `channels` channels. */
function onlyInput(session: Ort.InferenceSession, channels: number): string {
  const found = session.inputMetadata.filter((m) => m.isTensor && m.shape[3] === channels);
  if (found.length !== 1) throw new Error(`the net has ${found.length} inputs of ${channels} channels`);
  return found[0].name;
}
