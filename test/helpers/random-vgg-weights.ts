import { seededRandom } from '../../src/engine/random';
import { layersUpTo } from '../../src/engine/vgg19';
import { VGG19 } from '../../src/common/vgg19-layers';
import type { ConvWeights, VggWeights } from '../../src/engine/weights/keras-h5';

import type H5Default from 'h5wasm/node' with { 'resolution-mode': 'import' };

/**
 * VGG19 conv weights with the real shapes and He-normal kernels (std sqrt(2 / (9 * in))), so activations keep
 * their scale through all 16 layers as the trained ones do; small random biases so that the bias path is tested.
 * Seeded: the same `seed` gives the same weights. Layers up to `deepest` (default: the whole network).
 */
export function randomVggWeights(seed: number, deepest = 'block5_conv4'): Map<string, ConvWeights> {
  const uniform = seededRandom(seed);
  // Box-Muller; 1 - u keeps the logarithm finite.
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const out = new Map<string, ConvWeights>();
  for (const layer of layersUpTo([deepest])) {
    const std = Math.sqrt(2 / (9 * layer.inChannels));
    const kernel = new Float32Array(9 * layer.inChannels * layer.outChannels);
    for (let i = 0; i < kernel.length; i++) kernel[i] = normal() * std;
    const bias = Float32Array.from({ length: layer.outChannels }, () => normal() * 0.05);
    out.set(layer.name, { kernel, bias });
  }
  return out;
}

/**
 * Writes `weights` as a Keras HDF5 weights file in the legacy layout of the official VGG19 file
 * (`layer_names` at the root, one group per conv layer with `weight_names`, datasets `<layer>_W_1:0` (HWIO) and
 * `<layer>_b_1:0`), which `loadVggWeights` and h5py read.
 */
export async function writeKerasWeights(path: string, weights: VggWeights): Promise<void> {
  const h5: typeof H5Default = (await import('h5wasm/node')).default;
  await h5.ready;
  const file = new h5.File(path, 'w');
  try {
    const layers = VGG19.filter((l) => weights.has(l.name));
    file.create_attribute('layer_names', layers.map((l) => l.name));
    for (const layer of layers) {
      const w = weights.get(layer.name)!;
      const group = file.create_group(layer.name);
      const names = [`${layer.name}_W_1:0`, `${layer.name}_b_1:0`];
      group.create_attribute('weight_names', names);
      group.create_dataset({ name: names[0], data: w.kernel, shape: [3, 3, layer.inChannels, layer.outChannels], dtype: '<f' });
      group.create_dataset({ name: names[1], data: w.bias, shape: [layer.outChannels], dtype: '<f' });
    }
  } finally {
    file.close();
  }
}
