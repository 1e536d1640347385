import * as path from 'path';
import { resolveOptions, type StyleOptions } from '../../src/common/options';

/** The shared test data, read in place (never copied into the repository). */
const DATA = process.env.NEURAL_STYLE_SHARED_DATA ?? path.resolve(__dirname, '../../../shared/data');

export const WEIGHTS = path.join(DATA, 'vgg19/vgg19_partial_blocks1-3_notop.h5');

const CONTENTS = { dog: 'YellowLabradorLooking_new.jpg', bridge: 'golden_gate.jpg' };
const STYLES = {
  kandinsky: 'kandinsky_composition_7.jpg',
  starry: 'starry_night.jpg',
  shipwreck: 'shipwreck.jpg',
  scream: 'the_scream.jpg',
  wave: 'great_wave.jpg',
};

/** Each content photo with each style, named `<content>-<style>`. */
export const PAIRS: Record<string, { content: string; style: string }> = Object.fromEntries(
  Object.entries(CONTENTS).flatMap(([c, content]) =>
    Object.entries(STYLES).map(([s, style]) => [
      `${c}-${s}`,
      { content: path.join(DATA, 'images/content', content), style: path.join(DATA, 'images/style', style) },
    ]),
  ),
);

/** Also measured at 512 px: the two pairs the schedules were first tuned on, and the one hardest at 256 px. */
export const LARGE_PAIRS = ['dog-kandinsky', 'bridge-starry', 'bridge-scream'];

/** Layers the partial weights hold, with the content weight that balances them (docs/algorithm.md, "Runs on the weights of blocks 1-3 only"). */
export const BLOCKS_1_3: Partial<StyleOptions> = {
  styleLayers: ['block1_conv1', 'block2_conv1', 'block3_conv1'],
  contentLayers: ['block3_conv2'],
  contentWeight: 1e2,
  styleWeight: 1e-2,
  tvWeight: 30,
};

/** The options a run of the benchmark resolves to: the blocks 1-3 layers and weights at `size`, then `given`. */
export const benchOptions = (size: number, given: Partial<StyleOptions>): StyleOptions =>
  resolveOptions({ ...BLOCKS_1_3, maxSize: size, ...given });

/** What `npm run bench:quality` runs, in the order the report shows them: the reference, then the presets. */
export const SCHEDULES: Record<string, Partial<StyleOptions>> = {
  recipe: { preset: 'tutorial' },
  quick: { preset: 'quick' },
  balanced: { preset: 'balanced' },
  best: { preset: 'best' },
};

/**
 * Coarse-to-fine schedules tried against the presets (`npm run bench:quality -- --coarse-to-fine`): the steps at
 * half the output's side (a quarter of its pixels), at 1/sqrt(2) of it (half the pixels) and at the output size,
 * with the default preset's Adam restarting its cosine at each scale, as multiScale runs do. 0 skips a scale.
 */
export const COARSE_TO_FINE: Record<string, readonly [number, number, number]> = {
  'c2f-0-40-180': [0, 40, 180],
};

/** The options of a coarse-to-fine candidate at `size`, with the steps of its scales for measure.ts. */
export const coarseToFine = (size: number, steps: readonly number[]): Partial<StyleOptions> & { stageSteps: number[] } => ({
  multiScale: true,
  minSize: size / 2,
  stageSteps: [...steps],
});
