import * as tf from '@tensorflow/tfjs-core';
import type { Raster } from '../../image/raster';
import type { Backend, Evaluation, Evaluator, FeatureMap, LossProblem } from '../backend';
import { layersUpTo } from '../vgg19';
import type { ConvLayer } from '../../common/vgg19-layers';
import type { VggWeights } from '../weights/keras-h5';
import { activateTfjs, type TfjsBackendName } from './setup';
import { convRelu, gram, maxPool2, preprocess, totalVariation, uploadConv, type ConvTensors } from './ops';

/** VGG19 (and the losses built on it) in TensorFlow.js, on whichever tfjs backend loads. */
export async function createTfjsBackend(weights: VggWeights, name: TfjsBackendName): Promise<Backend> {
  const detail = await activateTfjs(name);
  return new TfjsBackend(name, detail, weights);
}

class TfjsBackend implements Backend {
  private readonly convs = new Map<string, ConvTensors>();
  /**
   * The wasm heap stops at 4 GB, ~10 KB a pixel for VGG19's forward and backward: 640x640 is its ceiling, so 512 px
   * leaves room for the style targets and the optimizer's arrays.
   */
  readonly maxSide: number | undefined;

  constructor(
    readonly name: TfjsBackendName,
    readonly detail: string,
    private readonly weights: VggWeights,
  ) {
    this.maxSide = name === 'wasm' ? 512 : undefined;
  }

  async features(image: Raster, layers: readonly string[], raw = false): Promise<Map<string, FeatureMap>> {
    const acts = tf.tidy(() => this.forward(toTensor(image.data, image.height, image.width), layers, raw));
    const out = new Map<string, FeatureMap>();
    for (const [layer, t] of Object.entries(acts)) {
      const [, height, width, channels] = t.shape;
      out.set(layer, { height, width, channels, data: (await t.data()) as Float32Array });
    }
    tf.dispose(acts);
    return out;
  }

  async grams(image: Raster, layers: readonly string[]): Promise<Map<string, Float32Array>> {
    const gs = tf.tidy(() => {
      const acts = this.forward(toTensor(image.data, image.height, image.width), layers, false);
      return Object.fromEntries(Object.entries(acts).map(([l, a]) => [l, gram(a)]));
    });
    const out = new Map<string, Float32Array>();
    for (const [layer, g] of Object.entries(gs)) out.set(layer, (await g.data()) as Float32Array);
    tf.dispose(gs);
    return out;
  }

  async createEvaluator(problem: LossProblem): Promise<Evaluator> {
    return new TfjsEvaluator(this, problem);
  }

  dispose(): void {
    for (const c of this.convs.values()) tf.dispose([c.kernel, c.bias, c.flipped]);
    this.convs.clear();
  }

  /** Activations of `wanted` (ReLU outputs), computing only up to the deepest of them. */
  forward(image: tf.Tensor4D, wanted: readonly string[], raw: boolean): Record<string, tf.Tensor4D> {
    const out: Record<string, tf.Tensor4D> = {};
    if (wanted.length === 0) return out;
    let x = preprocess(image, raw);
    for (const layer of layersUpTo(wanted)) {
      x = convRelu(x, this.conv(layer));
      if (wanted.includes(layer.name)) out[layer.name] = x;
      if (layer.poolAfter) x = maxPool2(x);
    }
    return out;
  }

  private conv(layer: ConvLayer): ConvTensors {
    let c = this.convs.get(layer.name);
    if (!c) {
      const w = this.weights.get(layer.name);
      if (!w) throw new Error(`weights for ${layer.name} were not loaded`);
      // Uploaded lazily from inside callers' tidy scopes, so kept explicitly; dispose() frees them.
      c = uploadConv(w, layer.inChannels, layer.outChannels);
      tf.keep(c.kernel);
      tf.keep(c.bias);
      tf.keep(c.flipped);
      this.convs.set(layer.name, c);
    }
    return c;
  }
}

class TfjsEvaluator implements Evaluator {
  private readonly styleTargets: tf.Tensor2D[];
  private readonly contentTargets: tf.Tensor4D[];
  private readonly layers: string[];

  constructor(
    private readonly backend: TfjsBackend,
    private readonly problem: LossProblem,
  ) {
    this.styleTargets = problem.style.map((s) => {
      const c = Math.round(Math.sqrt(s.gram.length));
      return tf.tensor2d(s.gram, [c, c]);
    });
    this.contentTargets = problem.content.map((c) =>
      toTensor(c.features.data, c.features.height, c.features.width, c.features.channels),
    );
    this.layers = [...new Set([...problem.style.map((s) => s.layer), ...problem.content.map((c) => c.layer)])];
  }

  async evaluate(image: Float32Array): Promise<Evaluation> {
    const { height, width } = this.problem;
    const x = toTensor(image, height, width);
    const { value, grad, parts } = tf.tidy(() => {
      let kept: tf.Scalar[] = [];
      const vg = tf.valueAndGrad((img: tf.Tensor4D) => {
        const terms = this.terms(img);
        // valueAndGrad keeps only the total; the parts are reported too, so they must survive its tidy.
        kept = terms.map((t) => tf.keep(t));
        return tf.addN(terms) as tf.Scalar;
      });
      return { ...vg(x), parts: kept };
    });
    const [total, style, content, tv] = await Promise.all([value, ...parts].map(async (t) => (await t.data())[0]));
    const g = (await grad.data()) as Float32Array;
    tf.dispose([x, value, grad, ...parts]);
    return { losses: { total, style, content, tv }, grad: g };
  }

  dispose(): void {
    tf.dispose([...this.styleTargets, ...this.contentTargets]);
  }

  /** style, content and tv terms, each a scalar with its coefficient applied. */
  private terms(img: tf.Tensor4D): tf.Scalar[] {
    const acts = this.backend.forward(img, this.layers, false);
    const { style, content, tvWeight } = this.problem;
    const zero = tf.scalar(0);
    const styleTerms = style.map((s, i) =>
      tf.mul(meanOfRows(tf.squaredDifference(gram(acts[s.layer]), this.styleTargets[i])), s.weight),
    );
    const contentTerms = content.map((c, i) =>
      tf.mul(meanOfRows(tf.squaredDifference(acts[c.layer], this.contentTargets[i])), c.weight),
    );
    const sum = (ts: tf.Tensor[]) => (ts.length === 0 ? zero : (tf.addN(ts) as tf.Scalar));
    const tv = tvWeight === 0 ? zero : (tf.mul(totalVariation(img), tvWeight) as tf.Scalar);
    return [sum(styleTerms), sum(contentTerms), tv];
  }
}

/**
 * The mean of all values, summed per row (last axis) first: a single float32 sum over 512x512 values drifts by
 * 1e-4 relative, which would let the backends' losses disagree; two stages keep it near 1e-7.
 */
function meanOfRows(t: tf.Tensor): tf.Scalar {
  const channels = t.shape[t.shape.length - 1];
  return tf.mean(tf.mean(tf.reshape(t, [-1, channels]), -1));
}

function toTensor(data: Float32Array, height: number, width: number, channels = 3): tf.Tensor4D {
  return tf.tensor4d(data, [1, height, width, channels]);
}
