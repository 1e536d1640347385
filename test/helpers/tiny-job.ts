import * as path from 'path';
import sharp from 'sharp';
import { defaultOptions, type StyleOptions } from '../../src/common/options';
import { randomVggWeights, writeKerasWeights } from './random-vgg-weights';

/**
 * The inputs of a job small enough to run hundreds of times: a 60x40 content, a 32x32 style, VGG19 weights of
 * blocks 1-2 (random, written into `dir`) and optimisation options that use only those blocks, at 48 px.
 */
export async function tinyJob(dir: string, steps: number) {
  const weightsPath = path.join(dir, 'weights.h5');
  await writeKerasWeights(weightsPath, randomVggWeights(9, 'block2_conv2'));
  const flat = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
  const optimize: StyleOptions = {
    ...defaultOptions(), styleLayers: ['block1_conv1', 'block2_conv1'], contentLayers: ['block2_conv1'], maxSize: 48, steps,
  };
  return {
    weightsPath,
    content: { name: 'content.png', bytes: await flat(60, 40, '#3070b0') },
    style: { name: 'style.png', bytes: await flat(32, 32, '#b04020') },
    optimize,
  };
}
