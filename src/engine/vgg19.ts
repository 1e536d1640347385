import { UserError } from './errors';

/** One 3x3 conv + ReLU layer of VGG19; `poolAfter` marks the 2x2 max pool that closes its block. */
export interface ConvLayer {
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly poolAfter: boolean;
}

const BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [64, 2], [128, 2], [256, 4], [512, 4], [512, 4],
];

/** The conv layers of VGG19 without the classifier, in order (Keras names). */
export const VGG19: readonly ConvLayer[] = (() => {
  const layers: ConvLayer[] = [];
  let inChannels = 3;
  BLOCKS.forEach(([channels, count], b) => {
    for (let c = 1; c <= count; c++) {
      layers.push({ name: `block${b + 1}_conv${c}`, inChannels, outChannels: channels, poolAfter: c === count });
      inChannels = channels;
    }
  });
  return layers;
})();

export const LAYER_NAMES: readonly string[] = VGG19.map((l) => l.name);

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
