import { onnx } from 'onnx-proto';
import type { ConvLayer } from '../../common/vgg19-layers';
import type { VggWeights } from '../weights/keras-h5';
import type { GraphBuilder } from './graph-builder';
import { convWeights, oihwKernel } from './kernels';
import { SWAP_RGB_BGR } from './vgg-forward';

/**
 * ReLU backward, `dy * (y > 0)` from the layer's `mask` (y > 0): a unit that output 0 passes nothing back. A Mul
 * by the mask as 0/1 floats, as tfjs computes it, runs ~2x faster in onnxruntime than the equivalent Where.
 */
export function reluBackward(g: GraphBuilder, dy: string, mask: string, hint: string): string {
  return g.op('Mul', [dy, g.op('Cast', [mask], { to: onnx.TensorProto.DataType.FLOAT })], {}, hint);
}

/**
 * d loss / d input of a 3x3 'same' conv from `dz` = d loss / d output ([1, Co, H, W]): a conv with the flipped
 * kernel (see oihwKernel), no bias, except for the image layer (see imageLayerInputGradient).
 */
export function convInputGradient(g: GraphBuilder, dz: string, layer: ConvLayer, weights: VggWeights, height: number, width: number): string {
  if (layer.inChannels === 3) return imageLayerInputGradient(g, dz, layer, weights, height, width);
  const kernel = g.floats(oihwKernel(weights, layer, true), [layer.inChannels, layer.outChannels, 3, 3], `${layer.name}_kernel_grad`);
  return g.op('Conv', [dz, kernel], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, `${layer.name}_dx`);
}

/**
 * The input gradient of the image layer, whose flipped-kernel conv would have 3 output channels: onnxruntime's
 * blocked conv pads them to 8 or 16 and runs at a fifth of its usual speed. Instead, one matrix product of the
 * HWIO kernel, read as a (9 * 3) x Co matrix, with dz (Co x H*W) gives every tap's contribution at every position,
 * and the nine taps, each shifted into place, are summed: dx[c, y, x] = sum over (kh, kw) of
 * Q[kh, kw][c, y + 1 - kh, x + 1 - kw], zero outside (about 2x faster at 256 px).
 */
function imageLayerInputGradient(g: GraphBuilder, dz: string, layer: ConvLayer, weights: VggWeights, height: number, width: number): string {
  const { inChannels: ci, outChannels: co } = layer;
  const taps = g.op('MatMul', [
    g.floats(convWeights(weights, layer).kernel, [9 * ci, co], `${layer.name}_kernel_taps`),
    g.op('Reshape', [dz, g.ints([co, height * width])]),
  ]);
  const padded = g.op('Pad', [g.op('Reshape', [taps, g.ints([9, ci, height, width])]), g.ints([0, 0, 1, 1, 0, 0, 1, 1])], {}, `${layer.name}_taps`);
  const shifted: string[] = [];
  for (let kh = 0; kh < 3; kh++) {
    for (let kw = 0; kw < 3; kw++) {
      const k = kh * 3 + kw;
      const [y, x] = [2 - kh, 2 - kw];
      shifted.push(g.op('Slice', [padded, g.ints([k, 0, y, x]), g.ints([k + 1, ci, y + height, x + width])]));
    }
  }
  return g.op('Sum', shifted, {}, `${layer.name}_dx`);
}

/**
 * d loss / d input of a 2x2 max pool, from `dy` (d loss / d pooled), the pool's argmax `indices` and the `shape`
 * of its input: MaxUnpool puts each window's gradient at the one position the forward pass took and 0 everywhere
 * else, including the row and column an odd size drops. The argmax is the first maximum in row-major order, the
 * tie rule of TensorFlow and of tfjs's cpu backend. A mask `x == upsample(pooled)` would instead copy the
 * gradient to every tied position, and positive ties are not rare: a flat region (a clipped white sky) gives
 * bitwise-equal activations across whole windows.
 */
export function maxPoolBackward(g: GraphBuilder, dy: string, indices: string, shape: string, hint: string): string {
  return g.op('MaxUnpool', [dy, indices, shape], { kernel_shape: [2, 2], strides: [2, 2] }, hint);
}

/** The inverse of networkInput's caffe preprocessing for a gradient: [1, 3, H, W] BGR -> [H, W, 3] RGB, x255. */
export function imageGradient(g: GraphBuilder, dInput: string, height: number, width: number): string {
  const rgb = g.op('Gather', [dInput, g.ints(SWAP_RGB_BGR)], { axis: 1 }, 'd_rgb');
  const scaled = g.op('Mul', [rgb, g.scalar(255)], {}, 'd_x255');
  return g.op('Transpose', [g.op('Reshape', [scaled, g.ints([3, height, width])])], { perm: [1, 2, 0] }, 'd_image');
}
