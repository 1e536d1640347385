import { CAFFE_MEAN_BGR } from '../vgg19';
import type { ConvLayer } from '../../common/vgg19-layers';
import type { VggWeights } from '../weights/keras-h5';
import type { GraphBuilder } from './graph-builder';
import { convWeights, oihwKernel } from './kernels';

/** The image input of every model: the Raster's HWC RGB values in [0, 1]. */
export const IMAGE_INPUT = 'image';

/** BGR <-> RGB on the channel axis of an NCHW tensor (its own inverse). */
export const SWAP_RGB_BGR = [2, 1, 0] as const;

/**
 * [H, W, 3] image -> [1, 3, H, W] network input: Keras' "caffe" preprocessing (x255, RGB -> BGR, minus the BGR
 * mean) or, when `raw`, only the x255 (how the tutorial printed its first feature table).
 */
export function networkInput(g: GraphBuilder, image: string, raw: boolean): string {
  const nchw = g.op('Unsqueeze', [g.op('Transpose', [image], { perm: [2, 0, 1] }), g.ints([0])], {}, 'nchw');
  const scaled = g.op('Mul', [nchw, g.scalar(255)], {}, 'x255');
  if (raw) return scaled;
  const bgr = g.op('Gather', [scaled, g.ints(SWAP_RGB_BGR)], { axis: 1 }, 'bgr');
  return g.op('Sub', [bgr, g.floats(Float32Array.from(CAFFE_MEAN_BGR), [1, 3, 1, 1], 'caffe_mean_bgr')], {}, 'preprocessed');
}

/** What the backward pass needs of one layer, kept from the forward pass. */
export interface Saved {
  /** Where the layer's ReLU output is positive (bool, the layer's shape). Absent for a pooled layer no loss reads. */
  readonly mask?: string;
  /** For a layer whose pool feeds a later layer: the argmax indices and where the pooled values are positive. */
  readonly pool?: { readonly indices: string; readonly mask: string };
}

export interface Forward {
  /** ReLU output of each conv layer, [1, C, h, w], by layer name. */
  readonly activations: ReadonlyMap<string, string>;
  /** With `backward`: what each layer's gradient needs, by layer name. */
  readonly saved: ReadonlyMap<string, Saved>;
}

/**
 * VGG19's `layers` (a prefix of the network) on `input`: 3x3 'same' conv + bias + ReLU, and a 2x2 stride-2 max
 * pool closing each block ('valid', so odd sizes drop their last row or column, as Keras does). A pool after the
 * last layer is left out: nothing reads it.
 *
 * With `backward`, it also keeps what the backward pass needs (see Saved), computed right here: onnxruntime frees
 * a tensor after its last reader, so a layer's float activation is released during the forward pass (unless a
 * loss in `backward.lossLayers` reads it) while its 1-byte masks and the pools' indices wait for the backward
 * pass. A pooled layer's gradient reaches only each window's argmax, where the activation is the pooled value, so
 * unless a loss also reads the layer, the pooled size's mask is all its ReLU backward needs.
 */
export function vggForward(
  g: GraphBuilder,
  input: string,
  layers: readonly ConvLayer[],
  weights: VggWeights,
  backward?: { readonly lossLayers: ReadonlySet<string> },
): Forward {
  const activations = new Map<string, string>();
  const saved = new Map<string, Saved>();
  const positive = (t: string, hint: string) => g.op('Greater', [t, g.scalar(0)], {}, hint);
  let x = input;
  layers.forEach((layer, i) => {
    const kernel = g.floats(oihwKernel(weights, layer, false), [layer.outChannels, layer.inChannels, 3, 3], `${layer.name}_kernel`);
    const bias = g.floats(convWeights(weights, layer).bias, [layer.outChannels], `${layer.name}_bias`);
    const z = g.op('Conv', [x, kernel, bias], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, `${layer.name}_z`);
    const a = g.op('Relu', [z], {}, layer.name);
    activations.set(layer.name, a);
    const pooled = layer.poolAfter && i < layers.length - 1;
    const pool = { kernel_shape: [2, 2], strides: [2, 2] };
    if (!backward) {
      x = pooled ? g.op('MaxPool', [a], pool, `${layer.name}_pool`) : a;
      return;
    }
    const mask = !pooled || backward.lossLayers.has(layer.name) ? positive(a, `${layer.name}_mask`) : undefined;
    if (pooled) {
      const [values, indices] = g.opOutputs('MaxPool', [a], 2, pool, `${layer.name}_pool`);
      saved.set(layer.name, { mask, pool: { indices, mask: positive(values, `${layer.name}_pool_mask`) } });
      x = values;
    } else {
      saved.set(layer.name, { mask });
      x = a;
    }
  });
  return { activations, saved };
}

/** G = F^T F / (H*W) with F the (H*W) x C activations: from the C x (H*W) matrix `flat` and the count `n`. */
export function gramMatrix(g: GraphBuilder, flat: string, n: string, hint: string): string {
  return g.op('Div', [g.op('Gemm', [flat, flat], { transB: 1 }), n], {}, hint);
}
