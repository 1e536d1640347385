import { LAYER_NAMES, VGG19, type ConvLayer } from '../common/vgg19-layers';
import { UserError } from '../common/errors';

export function layerIndex(name: string): number {
  const i = LAYER_NAMES.indexOf(name);
  if (i < 0) {
    throw new UserError(`unknown layer "${name}": VGG19 layers are block1_conv1 .. block5_conv4`);
  }
  return i;
}

/** The prefix of VGG19 needed to compute all of `names`: nothing deeper is built or loaded. */
export function layersUpTo(names: readonly string[]): ConvLayer[] {
  if (names.length === 0) throw new UserError('no layers were asked for');
  const deepest = Math.max(...names.map(layerIndex));
  return VGG19.slice(0, deepest + 1);
}

/** Spatial size of a layer's activations for an input of h x w (each 2x2 'valid' pool floors). */
export function featureSize(name: string, height: number, width: number): { height: number; width: number; channels: number } {
  const idx = layerIndex(name);
  let h = height;
  let w = width;
  for (let i = 0; i < idx; i++) {
    if (VGG19[i].poolAfter) {
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    }
  }
  return { height: h, width: w, channels: VGG19[idx].outChannels };
}

/** Multiply-accumulates of the convolutions up to and including `deepest`, for GFLOP/s figures. */
export function convMacs(deepest: string, height: number, width: number): number {
  let macs = 0;
  for (const layer of layersUpTo([deepest])) {
    const s = featureSize(layer.name, height, width);
    macs += s.height * s.width * 9 * layer.inChannels * layer.outChannels;
  }
  return macs;
}

/** Keras' "caffe" preprocessing: x255, RGB -> BGR, minus the ImageNet mean (B, G, R). */
export const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;
