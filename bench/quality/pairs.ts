import * as path from 'path';
import type { StyleOptions } from '../../src/engine/options';

/** The shared test data, read in place (never copied into the repository). */
const DATA = process.env.NEURAL_STYLE_SHARED_DATA ?? path.resolve(__dirname, '../../../shared/data');

export const WEIGHTS = path.join(DATA, 'vgg19/vgg19_partial_blocks1-3_notop.h5');

export const PAIRS: Record<string, { content: string; style: string }> = {
  'dog-kandinsky': {
    content: path.join(DATA, 'images/content/YellowLabradorLooking_new.jpg'),
    style: path.join(DATA, 'images/style/kandinsky_composition_7.jpg'),
  },
  'bridge-starry': {
    content: path.join(DATA, 'images/content/golden_gate.jpg'),
    style: path.join(DATA, 'images/style/starry_night.jpg'),
  },
};

/** Layers the partial weights hold, with the content weight that balances them (docs/algorithm.md, "Runs on the weights of blocks 1-3 only"). */
export const BLOCKS_1_3: Partial<StyleOptions> = {
  styleLayers: ['block1_conv1', 'block2_conv1', 'block3_conv1'],
  contentLayers: ['block3_conv2'],
  contentWeight: 1e2,
  styleWeight: 1e-2,
  tvWeight: 30,
};
