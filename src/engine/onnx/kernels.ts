import type { ConvLayer } from '../../common/vgg19-layers';
import type { ConvWeights, VggWeights } from '../weights/keras-h5';

/**
 * A 3x3 kernel of `layer` in ONNX's OIHW layout, from Keras' HWIO. `inputGradient` gives the kernel of the conv
 * that computes the layer's input gradient instead: reversed on both spatial axes with in/out channels swapped,
 * so that a plain 'same' Conv of dy with it equals the transposed convolution (and runs 1.3-1.45x faster than
 * ORT's ConvTranspose, see docs/backends.md).
 */
export function oihwKernel(weights: VggWeights, layer: ConvLayer, inputGradient: boolean): Float32Array {
  const kernel = convWeights(weights, layer).kernel;
  const { inChannels: ci, outChannels: co } = layer;
  const out = new Float32Array(kernel.length);
  for (let kh = 0; kh < 3; kh++) {
    for (let kw = 0; kw < 3; kw++) {
      for (let i = 0; i < ci; i++) {
        const src = ((kh * 3 + kw) * ci + i) * co;
        for (let o = 0; o < co; o++) {
          const dst = inputGradient ? ((i * co + o) * 3 + 2 - kh) * 3 + 2 - kw : ((o * ci + i) * 3 + kh) * 3 + kw;
          out[dst] = kernel[src + o];
        }
      }
    }
  }
  return out;
}

export function convWeights(weights: VggWeights, layer: ConvLayer): ConvWeights {
  const w = weights.get(layer.name);
  if (!w) throw new Error(`weights for ${layer.name} were not loaded`);
  return w;
}
