import { BACKEND_NAMES } from './backends';
import { shownValue } from './errors';
import { FAST_MAX_SIDE, paintLongSide } from './fast-limits';
import { LAYER_NAMES } from './vgg19-layers';

/**
 * Every user-facing option of a run, described once. The same table gives the VS Code settings schema
 * (package.json `contributes.configuration`, kept in sync by `npm run gen:manifest` and a test), the CLI's
 * flags and the validation of both, so that a range or a default cannot drift between them.
 */
export type OptionSpec =
  | { kind: 'number'; min: number; max: number; integer?: boolean; default: number }
  | { kind: 'enum'; values: readonly string[]; default: string }
  | { kind: 'boolean'; default: boolean }
  | { kind: 'layers'; default: readonly string[] }
  | { kind: 'numbers'; min: number; max: number; default: readonly number[] };

export const METHODS = ['optimize', 'fast'] as const;
export type Method = (typeof METHODS)[number];

/**
 * `for`: the one method that uses the option; without it, both do. `deprecated`: what to use instead of an option
 * kept so that old settings and scripts still work (resolveOptions maps it to its successor).
 */
export type OptionDef = OptionSpec & { readonly description: string; readonly for?: Method; readonly deprecated?: string };

/** Whose colours a picture has: the style's, or the content's by luminance transfer or by colour matching. */
export const COLOR_MODES = ['style', 'luminance', 'histogram'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export const PRESETS = ['quick', 'balanced', 'best', 'tutorial'] as const;
export type PresetName = (typeof PRESETS)[number];

export const STYLE_OPTION_DEFS = {
  method: {
    kind: 'enum', values: METHODS, default: 'optimize',
    description:
      'How the picture is made: "optimize" repaints the image itself step by step against VGG19 (Gatys et al.; ' +
      'minutes), "fast" runs Magenta\'s arbitrary stylization network once (a fraction of a second; it ships with ' +
      'the extension, nothing to download).',
  },
  styleStrength: {
    kind: 'number', min: 0, max: 1, default: 1, for: 'fast',
    description: 'How much of the style the fast method applies, from 0 (the content repainted in its own style) to 1.',
  },
  preset: {
    for: 'optimize', kind: 'enum', values: PRESETS, default: 'balanced',
    description:
      'How the time is spent: "quick" for a fast preview, "balanced" for a good picture soon, "best" for the ' +
      'lowest loss, "tutorial" for the TensorFlow tutorial\'s exact recipe (1000 Adam steps at 512 px, its ' +
      'weights and layers). Options you set yourself override the preset.',
  },
  styleWeight: { for: 'optimize', kind: 'number', min: 0, max: 1e12, default: 1e-2, description: 'Weight of the style (Gram matrix) loss.' },
  contentWeight: { for: 'optimize', kind: 'number', min: 0, max: 1e12, default: 1e4, description: 'Weight of the content (feature) loss.' },
  tvWeight: {
    for: 'optimize', kind: 'number', min: 0, max: 1e9, default: 30,
    description: 'Weight of the total variation loss, which smooths out high-frequency noise.',
  },
  styleLayers: {
    for: 'optimize', kind: 'layers', default: ['block1_conv1', 'block2_conv1', 'block3_conv1', 'block4_conv1', 'block5_conv1'],
    description: 'VGG19 layers whose Gram matrices define the style (ReLU outputs, e.g. block1_conv1).',
  },
  styleLayerWeights: {
    for: 'optimize', kind: 'numbers', min: 0, max: 1e6, default: [],
    description: 'Relative weight of each style layer, in the order of the style layers; empty means all equal.',
  },
  contentLayers: {
    for: 'optimize', kind: 'layers', default: ['block5_conv2'],
    description: 'VGG19 layers whose activations define the content.',
  },
  optimizer: {
    for: 'optimize', kind: 'enum', values: ['adam', 'lbfgs'], default: 'adam',
    description: 'Adam (the tutorial\'s; its step can be decayed to 0 along a cosine) or L-BFGS (the paper\'s, with a line search).',
  },
  learningRate: { for: 'optimize', kind: 'number', min: 1e-6, max: 10, default: 0.05, description: 'Adam\'s step size (the tutorial uses 0.02).' },
  beta1: {
    for: 'optimize', kind: 'number', min: 0, max: 0.9999, default: 0.9,
    description: 'Adam\'s momentum (beta_1); the tutorial uses 0.99.',
  },
  beta2: {
    for: 'optimize', kind: 'number', min: 0, max: 0.9999, default: 0.6,
    description:
      'Adam\'s second-moment decay (beta_2). The closer to 1, the longer Adam remembers the large gradients of the ' +
      'first steps, which shrinks its step as the run settles; the tutorial uses 0.999.',
  },
  learningRateDecay: {
    for: 'optimize', kind: 'enum', values: ['none', 'cosine'], default: 'cosine',
    description: 'Keep Adam\'s step size, or lower it to 0 along a half cosine over each scale\'s steps (settles finer).',
  },
  steps: {
    for: 'optimize', kind: 'number', min: 1, max: 100000, integer: true, default: 270,
    description: 'Optimisation steps (loss and gradient evaluations) at the output size; each smaller scale of a multi-scale run takes a quarter as many.',
  },
  maxSize: {
    kind: 'number', min: 16, max: 8192, integer: true, default: 512,
    description: 'Longer side of the output in pixels.',
  },
  multiScale: {
    for: 'optimize', kind: 'boolean', default: false,
    description: 'Optimise coarse to fine: start small and grow by sqrt(2) up to the output size; most steps are cheap.',
  },
  minSize: {
    for: 'optimize', kind: 'number', min: 16, max: 8192, integer: true, default: 128,
    description: 'Longer side of the first scale of a multi-scale run.',
  },
  tileSize: {
    // 512 keeps a 2048 px run near 1.1 GB and a step (so a preview) within ~3 s on two cores; 1024 needs ~2.8 GB.
    for: 'optimize', kind: 'number', min: 128, max: 4096, integer: true, default: 512,
    description:
      'Images larger than this (longer side, pixels) are optimised whole up to this size, then refined at full ' +
      'size tile by tile: memory and the time per step depend on this, not on the output size.',
  },
  tileSteps: {
    for: 'optimize', kind: 'number', min: 1, max: 10000, integer: true, default: 50,
    description: 'Steps spent on each tile when refining an output larger than the tile size.',
  },
  init: {
    for: 'optimize', kind: 'enum', values: ['content', 'noise'], default: 'content',
    description: 'Start from the content image, or from noise (seeded).',
  },
  seed: {
    for: 'optimize', kind: 'number', min: 0, max: 2 ** 31 - 1, integer: true, default: 0,
    description: 'Seed of the random numbers (noise start); the same seed and options give the same picture.',
  },
  styleScale: {
    kind: 'number', min: 0.1, max: 4, default: 1,
    description:
      'Stroke size: larger gives larger brush strokes. The optimisation measures the style image at this size ' +
      'relative to the output; the fast method paints at the output size divided by it and resizes the picture to ' +
      'the output (so above 1 the picture is softer, and below 1 it takes longer: 0.5 paints four times the pixels).',
  },
  styleBlendWeights: {
    kind: 'numbers', min: 0, max: 1e6, default: [],
    description: 'With several style images, their relative weights, in order; empty means all equal.',
  },
  colors: {
    kind: 'enum', values: COLOR_MODES, default: 'style',
    description:
      'Whose colours the picture has: "style", the style\'s; "luminance", the content\'s, by transferring the ' +
      'style\'s light and dark only and putting the content\'s colours back (Gatys et al. 2016); "histogram", the ' +
      'content\'s, by recolouring the style image first so that its colours\' mean and covariance are the content\'s ' +
      '(Gatys et al. 2017), which keeps the style\'s own contrast of colours.',
  },
  preserveColors: {
    kind: 'boolean', default: false, deprecated: 'Use colors "luminance" instead.',
    description: 'The former name of colors "luminance": true is the same as colors "luminance".',
  },
  previewInterval: {
    for: 'optimize', kind: 'number', min: 0.5, max: 600, default: 2,
    description: 'Seconds between progress previews of the evolving image.',
  },
  backend: {
    for: 'optimize', kind: 'enum', values: ['auto', ...BACKEND_NAMES], default: 'auto',
    description:
      'Compute engine: "auto" picks tensorflow (tfjs-node, native) where it is installed, else onnx (ONNX ' +
      'Runtime, native), else wasm.',
  },
} as const satisfies Record<string, OptionDef>;

export type StyleOptionKey = keyof typeof STYLE_OPTION_DEFS;

type ValueOf<S> = S extends { kind: 'number' }
  ? number
  : S extends { kind: 'boolean' }
    ? boolean
    : S extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
      : S extends { kind: 'layers' }
        ? string[]
        : S extends { kind: 'numbers' }
          ? number[]
          : never;

export type StyleOptions = { -readonly [K in StyleOptionKey]: ValueOf<(typeof STYLE_OPTION_DEFS)[K]> };

/**
 * The options a fast picture's panel changes while it shows the picture, each re-rendered at once from what the
 * worker keeps of the job (its session): strength, stroke size, colours and the blend of two styles.
 */
export const FAST_CONTROL_KEYS = ['styleStrength', 'styleScale', 'colors', 'styleBlendWeights'] as const satisfies readonly StyleOptionKey[];
export type FastControlOptions = Pick<StyleOptions, (typeof FAST_CONTROL_KEYS)[number]>;

/** The controls of `o`. */
export function fastControlsOf(o: StyleOptions): FastControlOptions {
  return { styleStrength: o.styleStrength, styleScale: o.styleScale, colors: o.colors, styleBlendWeights: [...o.styleBlendWeights] };
}

/**
 * `o` with other controls, as flags the CLI takes: the former name of the luminance colours stays only while those
 * are the colours, and blend weights go when a mask places two styles (white the first, black the second).
 */
export function withFastControls(o: StyleOptions, controls: FastControlOptions, maskPlacesStyles: boolean): StyleOptions {
  return {
    ...o,
    ...controls,
    preserveColors: o.preserveColors && controls.colors === 'luminance',
    styleBlendWeights: maskPlacesStyles ? [] : controls.styleBlendWeights,
  };
}

/**
 * What a preset changes from the defaults, which are the balanced preset's (the schedule chosen on the quality
 * benchmark, see README "Presets"); anything the user sets explicitly wins over it.
 */
export const PRESET_VALUES: Record<PresetName, Partial<StyleOptions>> = {
  quick: { steps: 100 },
  balanced: {},
  best: { steps: 500 },
  // The TensorFlow tutorial's Adam, for reproducing it; its weights and layers are the defaults.
  tutorial: { learningRate: 0.02, beta1: 0.99, beta2: 0.999, learningRateDecay: 'none', steps: 1000 },
};

export function defaultOptions(): StyleOptions {
  const out: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(STYLE_OPTION_DEFS)) out[k] = Array.isArray(d.default) ? [...d.default] : d.default;
  return out as StyleOptions;
}

/**
 * Defaults, then the preset's values, then what the user set. `explicit` holds only the options the user gave
 * (settings they changed, flags they passed), already validated.
 */
export function resolveOptions(explicit: Partial<StyleOptions>): StyleOptions {
  const preset = (explicit.preset ?? STYLE_OPTION_DEFS.preset.default) as PresetName;
  const o = { ...defaultOptions(), ...PRESET_VALUES[preset], ...explicit, preset };
  // The one place the deprecated spelling is read: everything after reads `colors` alone.
  if (explicit.colors === undefined && o.preserveColors) o.colors = 'luminance';
  return o;
}

/**
 * Why `value` is not acceptable for `def` ("must be ..., got ..."), or undefined when it is. `shown` is how the
 * value is named in the message when it arrived as something else (the text of a command-line flag).
 */
export function optionProblem(def: OptionSpec, value: unknown, shown = show(value)): string | undefined {
  switch (def.kind) {
    case 'number':
      return numberProblem(value, def.min, def.max, def.integer, shown);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${shown}`;
    case 'enum':
      return typeof value === 'string' && def.values.includes(value) ? undefined : `must be one of ${def.values.join(', ')}, got ${shown}`;
    case 'layers': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return `must be a list of VGG19 layer names, got ${shown}`;
      const bad = value.find((v) => !LAYER_NAMES.includes(v));
      return bad !== undefined ? `has an unknown layer "${bad}" (VGG19 layers are block1_conv1 .. block5_conv4)` : undefined;
    }
    case 'numbers': {
      if (!Array.isArray(value)) return `must be a list of numbers, got ${shown}`;
      for (const v of value) {
        const p = numberProblem(v, def.min, def.max, false, show(v));
        if (p) return `has an entry that ${p} (in ${shown})`;
      }
      return undefined;
    }
  }
}

function numberProblem(value: unknown, min: number, max: number, integer: boolean | undefined, shown: string): string | undefined {
  const kind = integer ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    return `must be ${kind} from ${min} to ${max}, got ${shown}`;
  }
  return undefined;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return shownValue(v);
}

/** Of the options given (`keys`), those that `method` does not use: a run must not take them as if they did something. */
export function unusedOptions(method: Method, keys: readonly StyleOptionKey[]): StyleOptionKey[] {
  return keys.filter((k) => {
    const only = (STYLE_OPTION_DEFS[k] as OptionDef).for;
    return only !== undefined && only !== method;
  });
}

/** How messages spell an option, the way its user set it: a setting (`neuralStyle.maxSize`) or a flag (`--max-size`). */
export type OptionName = (key: StyleOptionKey) => string;

/** The prefix of every VS Code setting: the options are settings under it. */
export const SETTINGS_SECTION = 'neuralStyle';

export const settingName: OptionName = (key) => `${SETTINGS_SECTION}.${key}`;

/**
 * Checks that go across options (each one alone being valid). `name` spells an option as its user set it; `mask`
 * names the job's mask, if it has one (`--mask regions.png`).
 */
export function crossOptionProblems(o: StyleOptions, styleCount: number, name: OptionName, mask?: string): string[] {
  const problems: string[] = [];
  const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
  if (o.styleLayerWeights.length > 0 && o.styleLayerWeights.length !== o.styleLayers.length) {
    problems.push(
      `${name('styleLayerWeights')} has ${entries(o.styleLayerWeights.length)} but ${name('styleLayers')} has ${o.styleLayers.length} layers`,
    );
  }
  if (o.styleBlendWeights.length > 0 && o.styleBlendWeights.length !== styleCount) {
    const images = `${styleCount} style image${styleCount === 1 ? ' was' : 's were'} given`;
    problems.push(`${name('styleBlendWeights')} has ${entries(o.styleBlendWeights.length)} but ${images}`);
  }
  if (o.styleBlendWeights.length > 0 && o.styleBlendWeights.every((w) => w === 0)) {
    problems.push(`${name('styleBlendWeights')} are all 0`);
  }
  if (o.styleLayers.length === 0 && o.contentLayers.length === 0) {
    problems.push(`${name('styleLayers')} and ${name('contentLayers')} are both empty`);
  }
  if (o.preserveColors && o.colors !== 'luminance') {
    problems.push(`${name('preserveColors')} is the former name of ${name('colors')} "luminance" and disagrees with ${name('colors')} "${o.colors}"; leave it out`);
  }
  const paintSide = paintLongSide(o.maxSize, o.styleScale);
  if (o.method === 'fast' && o.maxSize <= FAST_MAX_SIDE && paintSide > FAST_MAX_SIDE) {
    problems.push(
      `${name('styleScale')} ${o.styleScale} has the fast method paint at ${paintSide} px (${name('maxSize')} ${o.maxSize} / ` +
        `${o.styleScale}), over its ${FAST_MAX_SIDE}; choose a style scale of at least ${Math.ceil((o.maxSize / FAST_MAX_SIDE) * 1000) / 1000}`,
    );
  }
  if (mask !== undefined) problems.push(...maskProblems(o, styleCount, name, mask));
  return problems;
}

/**
 * A mask places one style (white) over the content (black), or two: white the first, black the second. Its regions
 * take the styles whole, so blend weights have nothing to blend; the optimisation paints one style only.
 */
function maskProblems(o: StyleOptions, styleCount: number, name: (key: StyleOptionKey) => string, mask: string): string[] {
  if (styleCount > 2) return [`${mask} places one or two styles (white the first, black the second), but ${styleCount} were given`];
  if (styleCount === 2 && o.method === 'optimize') {
    return [`${mask} with two styles needs ${name('method')} fast: the optimisation applies a mask to one style`];
  }
  if (styleCount === 2 && o.styleBlendWeights.length > 0) {
    return [`${name('styleBlendWeights')} is not used with ${mask}: white takes the first style, black the second; leave it out`];
  }
  return [];
}
