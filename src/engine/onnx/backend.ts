import * as os from 'os';
import type * as Ort from 'onnxruntime-node';
import type { Raster } from '../../image/raster';
import type { Backend, Evaluation, Evaluator, FeatureMap, LossProblem } from '../backend';
import { errorMessage } from '../../common/errors';
import type { VggWeights } from '../weights/keras-h5';
import { buildFeatureModel, featureOutput, gramOutput, type FeatureRequest } from './feature-graph';
import { GraphBuilder } from './graph-builder';
import { buildLossModel, LOSS_OUTPUTS } from './loss-graph';
import { createSession, loadOnnxRuntime, type OnnxRuntime } from './session';
import { IMAGE_INPUT } from './vgg-forward';

/**
 * VGG19 and its losses as ONNX models built here from the weights, run by onnxruntime-node on `threads` threads
 * (default: every core). Throws, saying why, when onnxruntime cannot run on this machine.
 */
export async function createOnnxBackend(weights: VggWeights, opts: { threads?: number } = {}): Promise<Backend> {
  const ort = await loadOnnxRuntime();
  const threads = opts.threads ?? os.availableParallelism();
  await checkRuns(ort, threads);
  return new OnnxBackend(ort, weights, threads);
}

/** Loading the package proves little about the native library; one tiny session and run proves it works. */
async function checkRuns(ort: OnnxRuntime, threads: number): Promise<void> {
  const g = new GraphBuilder('check');
  g.output('y', g.op('Relu', [g.input('x', [1])]), [1]);
  let session: Ort.InferenceSession | undefined;
  try {
    session = await createSession(ort, g.encode(), threads);
    await session.run({ x: new ort.Tensor('float32', Float32Array.of(1), [1]) });
  } catch (e) {
    throw new Error(`onnxruntime-node does not run here: ${errorMessage(e).split('\n')[0]}`);
  } finally {
    await session?.release();
  }
}

class OnnxBackend implements Backend {
  readonly name = 'onnx';
  readonly detail: string;

  constructor(
    private readonly ort: OnnxRuntime,
    private readonly weights: VggWeights,
    private readonly threads: number,
  ) {
    this.detail = `onnxruntime ${ort.env.versions.node}, ${threads} thread${threads === 1 ? '' : 's'}`;
  }

  async features(image: Raster, layers: readonly string[], raw = false): Promise<Map<string, FeatureMap>> {
    const wanted = unique(layers);
    const out = await this.runFeatures({ raw, features: wanted, grams: [] }, image);
    return new Map(
      wanted.map((layer) => {
        const t = out[featureOutput(layer)];
        const [, height, width, channels] = t.dims;
        return [layer, { height, width, channels, data: t.data as Float32Array }];
      }),
    );
  }

  async grams(image: Raster, layers: readonly string[]): Promise<Map<string, Float32Array>> {
    const wanted = unique(layers);
    const out = await this.runFeatures({ raw: false, features: [], grams: wanted }, image);
    return new Map(wanted.map((layer) => [layer, out[gramOutput(layer)].data as Float32Array]));
  }

  async createEvaluator(problem: LossProblem): Promise<Evaluator> {
    const session = await createSession(this.ort, buildLossModel(problem, this.weights), this.threads, { spin: false });
    return new OnnxEvaluator(this.ort, session, problem.height, problem.width);
  }

  /** Nothing is held between calls: evaluators own their sessions. */
  dispose(): void {}

  /**
   * A forward session lives for one call: keeping it would hold another copy of the weights (~0.15 GB for the
   * tutorial's layers) through the whole run, for the ~0.3 s it takes to build again at the next scale.
   */
  private async runFeatures(request: FeatureRequest, image: Raster): Promise<Ort.InferenceSession.ReturnType> {
    const session = await createSession(this.ort, buildFeatureModel(request, this.weights), this.threads);
    try {
      return await session.run({ [IMAGE_INPUT]: imageTensor(this.ort, image.data, image.height, image.width) });
    } finally {
      await session.release();
    }
  }
}

class OnnxEvaluator implements Evaluator {
  private released = false;

  constructor(
    private readonly ort: OnnxRuntime,
    private readonly session: Ort.InferenceSession,
    private readonly height: number,
    private readonly width: number,
  ) {}

  async evaluate(image: Float32Array): Promise<Evaluation> {
    const out = await this.session.run({ [IMAGE_INPUT]: imageTensor(this.ort, image, this.height, this.width) });
    const scalar = (name: string) => (out[name].data as Float32Array)[0];
    return {
      losses: {
        total: scalar(LOSS_OUTPUTS.total),
        style: scalar(LOSS_OUTPUTS.style),
        content: scalar(LOSS_OUTPUTS.content),
        tv: scalar(LOSS_OUTPUTS.tv),
      },
      grad: out[LOSS_OUTPUTS.grad].data as Float32Array,
    };
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    // Async in signature only: the native session is freed before the promise settles.
    void this.session.release();
  }
}

function imageTensor(ort: OnnxRuntime, data: Float32Array, height: number, width: number): Ort.Tensor {
  if (data.length !== height * width * 3) {
    throw new Error(`image has ${data.length} values, ${width}x${height}x3 needs ${height * width * 3}`);
  }
  return new ort.Tensor('float32', data, [height, width, 3]);
}

function unique(layers: readonly string[]): string[] {
  return [...new Set(layers)];
}
