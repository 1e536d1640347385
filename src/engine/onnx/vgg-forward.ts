import { CAFFE_MEAN_BGR, type ConvLayer } from '../vgg19';
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

export interface Forward {
  /** ReLU output of each conv layer, [1, C, h, w], by layer name. */
  readonly activations: ReadonlyMap<string, string>;
  /** With `backward`: where each layer's ReLU output is positive, the units its gradient passes through. */
  readonly reluMasks: ReadonlyMap<string, string>;
  /**
   * With `backward`: for each layer followed by a pool that feeds a later layer, the pool's argmax indices (flat
   * over the layer's activation tensor), which route its gradient back.
   */
  readonly poolIndices: ReadonlyMap<string, string>;
}

/**
 * VGG19's `layers` (a prefix of the network) on `input`: 3x3 'same' conv + bias + ReLU, and a 2x2 stride-2 max
 * pool closing each block ('valid', so odd sizes drop their last row or column, as Keras does). A pool after the
 * last layer is left out: nothing reads it.
 *
 * With `backward`, it also keeps what the backward pass needs, computed right here: onnxruntime frees a tensor
 * after its last reader, so a layer's float activation is released during the forward pass (unless a loss reads
 * it) while its 1-byte ReLU mask and the pools' indices wait for the backward pass.
 */
export function vggForward(
  g: GraphBuilder,
  input: string,
  layers: readonly ConvLayer[],
  weights: VggWeights,
  backward: boolean,
): Forward {
  const activations = new Map<string, string>();
  const reluMasks = new Map<string, string>();
  const poolIndices = new Map<string, string>();
  let x = input;
  layers.forEach((layer, i) => {
    const kernel = g.floats(oihwKernel(weights, layer, false), [layer.outChannels, layer.inChannels, 3, 3], `${layer.name}_kernel`);
    const bias = g.floats(convWeights(weights, layer).bias, [layer.outChannels], `${layer.name}_bias`);
    const z = g.op('Conv', [x, kernel, bias], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, `${layer.name}_z`);
    x = g.op('Relu', [z], {}, layer.name);
    activations.set(layer.name, x);
    if (backward) reluMasks.set(layer.name, g.op('Greater', [x, g.scalar(0)], {}, `${layer.name}_mask`));
    if (layer.poolAfter && i < layers.length - 1) {
      const pool = { kernel_shape: [2, 2], strides: [2, 2] };
      const hint = `${layer.name}_pool`;
      if (backward) {
        const [pooled, argmax] = g.opOutputs('MaxPool', [x], 2, pool, hint);
        poolIndices.set(layer.name, argmax);
        x = pooled;
      } else {
        x = g.op('MaxPool', [x], pool, hint);
      }
    }
  });
  return { activations, reluMasks, poolIndices };
}

/** G = F^T F / (H*W) with F the (H*W) x C activations: from the C x (H*W) matrix `flat` and the count `n`. */
export function gramMatrix(g: GraphBuilder, flat: string, n: string, hint: string): string {
  return g.op('Div', [g.op('Gemm', [flat, flat], { transB: 1 }), n], {}, hint);
}
