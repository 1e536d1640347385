import type { FeatureMap, LossProblem } from '../backend';
import { UserError } from '../../common/errors';
import { featureSize, layerIndex, layersUpTo } from '../vgg19';
import { VGG19 } from '../../common/vgg19-layers';
import type { VggWeights } from '../weights/keras-h5';
import { GraphBuilder } from './graph-builder';
import { convInputGradient, imageGradient, maxPoolBackward, reluBackward } from './vgg-backward';
import { gramMatrix, IMAGE_INPUT, networkInput, vggForward } from './vgg-forward';

/** The outputs of a loss model: the four losses (scalars) and the image gradient ([H, W, 3]). */
export const LOSS_OUTPUTS = { total: 'total', style: 'style', content: 'content', tv: 'tv', grad: 'grad' } as const;

/** A loss term's value (a scalar) and its gradient with respect to the tensor it was computed from. */
interface Term {
  readonly loss: string;
  readonly grad: string;
}

/**
 * The model of one LossProblem at its fixed size: image -> losses and d total / d image. Everything is static:
 * the targets and coefficients are initializers, so a run feeds only the image, and the backward pass is written
 * out op by op (ONNX has no autodiff): each layer's gradient is the sum of the terms read from it and the
 * gradient flowing back from deeper layers.
 */
export function buildLossModel(problem: LossProblem, weights: VggWeights): Uint8Array {
  checkProblem(problem);
  const { height, width } = problem;
  const g = new GraphBuilder('neural_style_loss');
  const image = g.input(IMAGE_INPUT, [height, width, 3]);

  const styleTerms: string[] = [];
  const contentTerms: string[] = [];
  let grad: string | undefined;
  const used = [...problem.style.map((s) => s.layer), ...problem.content.map((c) => c.layer)];
  if (used.length > 0) {
    const layers = layersUpTo(used);
    const lossLayers = new Set(used);
    const fwd = vggForward(g, networkInput(g, image, false), layers, weights, { lossLayers });
    const gradsAt = new Map<string, string[]>();
    const add = (layer: string, term: Term, into: string[]) => {
      into.push(term.loss);
      gradsAt.set(layer, [...(gradsAt.get(layer) ?? []), term.grad]);
    };
    for (const s of problem.style) {
      add(s.layer, styleTerm(g, fwd.activations.get(s.layer)!, s.layer, height, width, s.gram, s.weight), styleTerms);
    }
    for (const c of problem.content) {
      add(c.layer, contentTerm(g, fwd.activations.get(c.layer)!, c.layer, c.features, c.weight), contentTerms);
    }
    // d loss / d (what layer i passes on: its activation, or its pool's output); none above the deepest layer.
    let dy: string | undefined;
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i];
      const saved = fwd.saved.get(layer.name)!;
      const terms = gradsAt.get(layer.name) ?? [];
      const s = featureSize(layer.name, height, width);
      let dz: string;
      if (saved.pool) {
        const unpool = (d: string) =>
          maxPoolBackward(g, d, saved.pool!.indices, g.ints([1, s.channels, s.height, s.width]), `${layer.name}_dy_pool`);
        dz =
          terms.length === 0
            ? unpool(reluBackward(g, dy!, saved.pool.mask, `${layer.name}_dz_pooled`))
            : reluBackward(g, sum(g, [unpool(dy!), ...terms], `${layer.name}_dy`), saved.mask!, `${layer.name}_dz`);
      } else {
        dz = reluBackward(g, sum(g, [...(dy ? [dy] : []), ...terms], `${layer.name}_dy`), saved.mask!, `${layer.name}_dz`);
      }
      dy = convInputGradient(g, dz, layer, weights, s.height, s.width);
    }
    grad = imageGradient(g, dy!, height, width);
  }

  const tv = totalVariation(g, image, height, width, problem.tvWeight);
  const style = sum(g, styleTerms, 'style_sum');
  const content = sum(g, contentTerms, 'content_sum');
  g.output(LOSS_OUTPUTS.style, style, []);
  g.output(LOSS_OUTPUTS.content, content, []);
  g.output(LOSS_OUTPUTS.tv, tv.loss, []);
  g.output(LOSS_OUTPUTS.total, g.op('Sum', [style, content, tv.loss], {}, 'total_sum'), []);
  g.output(LOSS_OUTPUTS.grad, grad ? g.op('Add', [grad, tv.grad], {}, 'grad_sum') : tv.grad, [height, width, 3]);
  return g.encode();
}

/**
 * `weight * mean((G - target)^2)` over the C x C Gram matrix G = F^T F / n; dG = 2 weight (G - target) / C^2 and
 * dF = F (dG + dG^T) / n, the 1/n folded into dG's coefficient (a C x C multiply instead of a C x n one).
 */
function styleTerm(g: GraphBuilder, act: string, layer: string, height: number, width: number, target: Float32Array, weight: number): Term {
  const s = featureSize(layer, height, width);
  const c = s.channels;
  const flat = g.op('Reshape', [act, g.ints([c, -1])], {}, `${layer}_flat`);
  const diff = g.op('Sub', [gramMatrix(g, flat, g.scalar(s.height * s.width), `${layer}_gram`), g.floats(target, [c, c], `${layer}_gram_target`)]);
  const loss = g.op('Mul', [sumOfSquares(g, diff), g.scalar(weight / (c * c))], {}, `${layer}_style`);
  const dGram = g.op('Mul', [diff, g.scalar((2 * weight) / (c * c * s.height * s.width))]);
  const symmetric = g.op('Add', [dGram, g.op('Transpose', [dGram], { perm: [1, 0] })]);
  const dFlat = g.op('MatMul', [symmetric, flat]);
  return { loss, grad: g.op('Reshape', [dFlat, g.ints([1, c, s.height, s.width])], {}, `${layer}_dstyle`) };
}

/** `weight * mean((F - target)^2)` over all N = H*W*C values; dF = 2 weight (F - target) / N. */
function contentTerm(g: GraphBuilder, act: string, layer: string, target: FeatureMap, weight: number): Term {
  const { height: h, width: w, channels: c } = target;
  const n = h * w * c;
  const nchw = g.floats(hwcToChw(target), [1, c, h, w], `${layer}_content_target`);
  const diff = g.op('Sub', [act, nchw]);
  return {
    loss: g.op('Mul', [sumOfSquares(g, diff), g.scalar(weight / n)], {}, `${layer}_content`),
    grad: g.op('Mul', [diff, g.scalar((2 * weight) / n)], {}, `${layer}_dcontent`),
  };
}

/** The sum of `parts`, 0 for none. */
function sum(g: GraphBuilder, parts: readonly string[], hint: string): string {
  if (parts.length === 0) return g.scalar(0);
  return parts.length === 1 ? parts[0] : g.op('Sum', parts, {}, hint);
}

/** Sum of squares in two stages (rows, then their sums) to keep float32 rounding near C eps, not C^2 eps. */
function sumOfSquares(g: GraphBuilder, x: string): string {
  return g.op('ReduceSum', [g.op('ReduceSumSquare', [x], { axes: [-1], keepdims: 0 })], { keepdims: 0 });
}

/**
 * `weight * sum(|x[i,j+1] - x[i,j]| + |x[i+1,j] - x[i,j]|)` over the [0, 1] image (`tf.image.total_variation`).
 * Each difference d = x[k+1] - x[k] sends sign(d) to x[k+1] and -sign(d) to x[k], with sign(0) = 0 as in
 * TensorFlow's Abs gradient (flat and clipped regions hit d = 0 all the time).
 */
function totalVariation(g: GraphBuilder, image: string, height: number, width: number, weight: number): Term {
  const w = g.scalar(weight);
  const along = (axis: number, size: number) => {
    const slice = (from: number, to: number) => g.op('Slice', [image, g.ints([from]), g.ints([to]), g.ints([axis])]);
    const d = g.op('Sub', [slice(1, size), slice(0, size - 1)], {}, `tv_d${axis}`);
    const sign = g.op('Sign', [d]);
    const pad = (before: number) => {
      const pads = [0, 0, 0, 0, 0, 0];
      pads[before ? axis : axis + 3] = 1;
      return g.op('Pad', [sign, g.ints(pads)]);
    };
    return { sum: g.op('ReduceSum', [g.op('Abs', [d])], { keepdims: 0 }), grad: g.op('Sub', [pad(1), pad(0)]) };
  };
  const rows = along(0, height);
  const cols = along(1, width);
  return {
    loss: g.op('Mul', [g.op('Add', [rows.sum, cols.sum]), w], {}, 'tv_loss'),
    grad: g.op('Mul', [g.op('Add', [rows.grad, cols.grad]), w], {}, 'tv_grad'),
  };
}

function hwcToChw(f: FeatureMap): Float32Array {
  const { height: h, width: w, channels: c, data } = f;
  const out = new Float32Array(data.length);
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < c; k++) out[k * h * w + p] = data[p * c + k];
  }
  return out;
}

/** Targets must fit the problem's size; the image must be large enough for every pool before the deepest layer. */
function checkProblem(problem: LossProblem): void {
  const { height, width } = problem;
  for (const s of problem.style) {
    const c = featureSize(s.layer, height, width).channels;
    if (s.gram.length !== c * c) throw new Error(`style target of ${s.layer} has ${s.gram.length} values, expected ${c}x${c}`);
  }
  for (const t of problem.content) {
    const want = featureSize(t.layer, height, width);
    const got = t.features;
    if (got.height !== want.height || got.width !== want.width || got.channels !== want.channels || got.data.length !== want.height * want.width * want.channels) {
      throw new Error(
        `content target of ${t.layer} is ${got.height}x${got.width}x${got.channels}, ` +
          `the image's is ${want.height}x${want.width}x${want.channels}`,
      );
    }
  }
  const used = [...problem.style, ...problem.content].map((t) => t.layer);
  if (height < 2 || width < 2) throw new UserError(`the image is ${width}x${height}: too small`);
  if (used.length > 0) {
    const deepest = layersUpTo(used).at(-1)!.name;
    const s = featureSize(deepest, height, width);
    if (s.height < 1 || s.width < 1) {
      const pools = VGG19.slice(0, layerIndex(deepest)).filter((l) => l.poolAfter).length;
      throw new UserError(`the image is ${width}x${height}: ${deepest} needs at least ${2 ** pools} px on each side`);
    }
  }
}
