import type { ConvLayer } from '../vgg19';
import type { VggWeights } from '../weights/keras-h5';
import type { GraphBuilder } from './graph-builder';
import { oihwKernel } from './kernels';
import { SWAP_RGB_BGR } from './vgg-forward';

/**
 * d loss / d input of `relu(conv(input))`, from `dy` = d loss / d output and the layer's output `activation`.
 * ReLU backward is `dy * (y > 0)` (a unit that output 0 passes nothing back; written as a Where so that it is
 * exact for any dy), then the conv's input gradient as a conv with the flipped kernel (see oihwKernel).
 */
export function convReluBackward(g: GraphBuilder, dy: string, activation: string, layer: ConvLayer, weights: VggWeights): string {
  const zero = g.scalar(0);
  const dz = g.op('Where', [g.op('Greater', [activation, zero]), dy, zero], {}, `${layer.name}_dz`);
  const kernel = g.floats(oihwKernel(weights, layer, true), [layer.inChannels, layer.outChannels, 3, 3], `${layer.name}_kernel_grad`);
  return g.op('Conv', [dz, kernel], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, `${layer.name}_dx`);
}

/**
 * d loss / d input of a 2x2 max pool, from `dy` (d loss / d pooled) and the pool's argmax `indices`: each window's
 * gradient goes to the one position the forward pass took, and every other position (including the row and
 * column an odd size drops) gets 0. The argmax is the first maximum in row-major order, the tie rule of TF and
 * tfjs. A mask `x == upsample(pooled)` would instead copy the gradient to every tied position, and positive ties
 * are not rare: a flat image region (a clipped white sky) gives bitwise-equal activations in a whole window.
 * `shape` is the pool input's static [1, C, H, W].
 */
export function maxPoolBackward(g: GraphBuilder, dy: string, indices: string, shape: readonly number[], hint: string): string {
  const flat = g.ints([-1]);
  const zeros = g.op('ConstantOfShape', [g.ints([shape.reduce((a, b) => a * b, 1)])], { value: { fill: 0 } }, `${hint}_zeros`);
  const scattered = g.op(
    'ScatterElements',
    [zeros, g.op('Reshape', [indices, flat]), g.op('Reshape', [dy, flat])],
    { axis: 0 },
    `${hint}_scatter`,
  );
  return g.op('Reshape', [scattered, g.ints(shape)], {}, hint);
}

/** The inverse of networkInput's caffe preprocessing for a gradient: [1, 3, H, W] BGR -> [H, W, 3] RGB, x255. */
export function imageGradient(g: GraphBuilder, dInput: string, height: number, width: number): string {
  const rgb = g.op('Gather', [dInput, g.ints(SWAP_RGB_BGR)], { axis: 1 }, 'd_rgb');
  const scaled = g.op('Mul', [rgb, g.scalar(255)], {}, 'd_x255');
  return g.op('Transpose', [g.op('Reshape', [scaled, g.ints([3, height, width])])], { perm: [1, 2, 0] }, 'd_image');
}
