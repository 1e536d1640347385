import { createHash } from 'crypto';
import * as os from 'os';
import * as path from 'path';
import type * as Ort from 'onnxruntime-node';
import { intoBox, type Raster } from '../../image/raster';
import { resizeBilinear } from '../../image/resize';
import { UserError } from '../../common/errors';
import { installedAssetsDir } from '../installed-assets';
import { createSession, loadOnnxRuntime, type OnnxRuntime } from '../onnx/session';
import { readRegularFile, type FileKind } from '../../image/regular-file';
import { crop } from '../tiles';
import { MIN_CONTENT_SIDE, STYLE_SIDE } from '../../common/fast-limits';
import { reflectPadToMultiple } from './reflect-pad';
import { readTfliteModel } from './tflite-model';
import { tfliteToOnnx, type NetPort, type OnnxNet } from './tflite-to-onnx';

/** The two nets fast mode ships (Magenta's arbitrary image stylization, TF Lite edition), by role. */
export const FAST_NET_FILES = {
  predictor: { file: 'style_predict_quantized_256.tflite', sha256: '203dbd6a09da1091ab7e48e8b101aef8c2d81438ad047a5cb150747a977134c1' },
  transformer: { file: 'style_transfer_f16_384.tflite', sha256: 'c60cff7395544eda1f0915d6dddaedd8ed868cefe8ec6c5ed220ba801f120303' },
} as const;

export const STYLE_VECTOR_LENGTH = 100;
/**
 * The transformer halves the image twice and doubles it back, so it returns sides rounded up to a multiple of 4;
 * content is mirrored out to one and cropped back.
 */
const SIDE_MULTIPLE = 4;

export interface FastNets {
  /** The style vector of an image: the predictor run on its styleInput. */
  styleVector(image: Raster): Promise<Float32Array>;
  /**
   * `content` stylized by `style` (STYLE_VECTOR_LENGTH numbers), at its own size, in [0, 1]. A side under
   * MIN_CONTENT_SIDE is a UserError naming `name`.
   */
  transfer(content: Raster, style: Float32Array, name?: string): Promise<Raster>;
  /** What runs the nets, e.g. "onnxruntime 1.30.0, 2 threads". */
  readonly detail: string;
  dispose(): void;
}

export interface FastNetsOptions {
  /** The folder holding FAST_NET_FILES (default: the installation's assets/fast). */
  readonly dir?: string;
  /** Intra-op threads of each session (default: every core). */
  readonly threads?: number;
}

/** The ONNX forms of the nets, made once per folder and process: sessions come and go, the conversion stays. */
const converted = new Map<string, Promise<{ predictor: OnnxNet; transformer: OnnxNet }>>();

/**
 * Loads the two nets from `dir`, checking each file's sha256 first (a file that differs is a UserError: fast mode
 * was tested on these bytes only), and opens an onnxruntime session on each.
 */
export async function loadFastNets(opts: FastNetsOptions = {}): Promise<FastNets> {
  const dir = path.resolve(opts.dir ?? installedAssetsDir('fast', 'fast mode\'s nets'));
  let nets = converted.get(dir);
  if (!nets) {
    nets = Promise.all([convertNet(dir, FAST_NET_FILES.predictor), convertNet(dir, FAST_NET_FILES.transformer)]).then(
      ([predictor, transformer]) => ({ predictor, transformer }),
    );
    converted.set(dir, nets);
    nets.catch(() => converted.delete(dir)); // a file put right can then be tried again
  }
  const { predictor, transformer } = await nets;
  const ort = await loadOnnxRuntime();
  const threads = opts.threads ?? os.availableParallelism();
  const [p, t] = await Promise.all([createSession(ort, predictor.model, threads), createSession(ort, transformer.model, threads)]);
  return new OnnxFastNets(ort, threads, { session: p, net: predictor }, { session: t, net: transformer });
}

/**
 * A net is read as an image is, a regular file of bounded size: a pipe or a device put in its place would block
 * or stream forever before its sha256 could refuse it. The two nets weigh 3.2 MB together.
 */
const NET_FILE: FileKind = {
  name: "fast mode's net", maxBytes: 16 * 1024 * 1024, advice: 'reinstall Neural Style to restore the nets it ships',
};

async function convertNet(dir: string, spec: { readonly file: string; readonly sha256: string }): Promise<OnnxNet> {
  const file = path.join(dir, spec.file);
  const bytes = await readRegularFile(file, NET_FILE);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== spec.sha256) {
    throw new UserError(`${file} is not the net fast mode ships: its sha256 is ${sha256}, not ${spec.sha256} (damaged or replaced)`);
  }
  return tfliteToOnnx(readTfliteModel(bytes, file), file);
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

interface Net {
  readonly session: Ort.InferenceSession;
  readonly net: OnnxNet;
}

class OnnxFastNets implements FastNets {
  readonly detail: string;
  private readonly styleInput: NetPort;
  private readonly contentInput: NetPort;
  private readonly vectorInput: NetPort;

  constructor(
    private readonly ort: OnnxRuntime,
    threads: number,
    private readonly predictor: Net,
    private readonly transformer: Net,
  ) {
    this.detail = `onnxruntime ${ort.env.versions.node}, ${threads} thread${threads === 1 ? '' : 's'}`;
    // The nets' inputs are told apart by their channels: 3 for an image, 100 for a style vector.
    this.styleInput = onlyPort(predictor.net.inputs, 3);
    this.contentInput = onlyPort(transformer.net.inputs, 3);
    this.vectorInput = onlyPort(transformer.net.inputs, STYLE_VECTOR_LENGTH);
  }

  async styleVector(image: Raster): Promise<Float32Array> {
    const out = await this.run(this.predictor, { [this.styleInput.name]: this.image(styleInput(image)) });
    if (out.data.length !== STYLE_VECTOR_LENGTH) throw new Error(`the style predictor gave ${out.data.length} numbers`);
    return out.data;
  }

  async transfer(content: Raster, style: Float32Array, name = 'the content image'): Promise<Raster> {
    if (style.length !== STYLE_VECTOR_LENGTH) throw new Error(`a style vector has ${STYLE_VECTOR_LENGTH} numbers, not ${style.length}`);
    if (Math.min(content.width, content.height) < MIN_CONTENT_SIDE) {
      throw new UserError(
        `${name} is ${content.width}x${content.height} px: fast mode needs at least ${MIN_CONTENT_SIDE} px on each side`,
      );
    }
    const padded = reflectPadToMultiple(content, SIDE_MULTIPLE);
    const out = await this.run(this.transformer, {
      [this.contentInput.name]: this.image(padded),
      [this.vectorInput.name]: new this.ort.Tensor('float32', style, [1, 1, 1, STYLE_VECTOR_LENGTH]),
    });
    const [, height, width] = out.dims;
    if (height !== padded.height || width !== padded.width) {
      throw new Error(`the transformer made ${width}x${height} px of ${padded.width}x${padded.height}`);
    }
    const image = padded === content ? { width, height, data: out.data } : crop({ width, height, data: out.data }, { x: 0, y: 0, width: content.width, height: content.height });
    for (let i = 0; i < image.data.length; i++) image.data[i] = intoBox(image.data[i]);
    return image;
  }

  dispose(): void {
    // Async in signature only: the native sessions are freed before the promises settle.
    void this.predictor.session.release();
    void this.transformer.session.release();
  }

  private image(r: Raster): Ort.Tensor {
    return new this.ort.Tensor('float32', r.data, [1, r.height, r.width, 3]);
  }

  private async run(net: Net, feeds: Record<string, Ort.Tensor>): Promise<{ data: Float32Array; dims: readonly number[] }> {
    const out = (await net.session.run(feeds))[net.net.outputs[0].name];
    return { data: out.data as Float32Array, dims: out.dims };
  }
}

function onlyPort(ports: readonly NetPort[], channels: number): NetPort {
  const found = ports.filter((p) => p.shape[3] === channels);
  if (found.length !== 1) throw new Error(`the net has ${found.length} inputs of ${channels} channels`);
  return found[0];
}
