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
