import { promises as fs } from 'fs';
import { UserError, errorMessage, nameNotUtf8 } from '../../common/errors';
import type { ConvLayer } from '../../common/vgg19-layers';

/** Kernel in Keras' HWIO layout (3 x 3 x in x out) and bias, as stored in the file. */
export interface ConvWeights {
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

export type VggWeights = ReadonlyMap<string, ConvWeights>;

import type H5Default from 'h5wasm/node' with { 'resolution-mode': 'import' };
import type { Group as H5Group } from 'h5wasm/node' with { 'resolution-mode': 'import' };

type H5 = typeof H5Default;

let h5: Promise<H5> | undefined;

/** h5wasm is ESM-only; loading it once, lazily, keeps it out of processes that never read weights. */
function loadH5(): Promise<H5> {
  h5 ??= import('h5wasm/node').then(async (m) => {
    const module = await m.default.ready;
    // HDF5's default handler prints a diagnostic stack on stderr and returns garbage; make it throw instead.
    module.activate_throwing_error_handler();
    return m.default;
  });
  return h5;
}

/** The first line of an HDF5 diagnostic names the failing call; the rest is the library's internals. */
function hdf5Reason(e: unknown): string {
  const lines = errorMessage(e).split('\n').map((l) => l.trim());
  const minor = lines.find((l) => l.startsWith('minor:'));
  return minor ? minor.slice('minor:'.length).trim() : lines[0];
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return [value];
  return [];
}

/**
 * Reads the conv layers `layers` from a Keras HDF5 weights file, the way Keras' `load_weights` does: the root
 * attribute `layer_names` lists the layers, each layer group's `weight_names` lists its datasets (kernel, then
 * bias), and the dataset is looked up by that name inside the group. Both the legacy names
 * (`block1_conv1_W_1:0`) and the newer nested ones (`block1_conv1/kernel:0`) resolve this way.
 */
export async function loadVggWeights(path: string, layers: readonly ConvLayer[]): Promise<VggWeights> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch {
    throw new UserError(`weights file not found: ${path}${nameNotUtf8(path)}`);
  }
  if (!stat.isFile()) throw new UserError(`weights file is not a file: ${path}`);
  const lib = await loadH5();
  let file;
  try {
    file = new lib.File(path, 'r');
  } catch (e) {
    throw new UserError(`cannot read weights file ${path}: ${hdf5Reason(e)} (is it a complete Keras .h5 file?)`);
  }
  try {
    const names = stringList(file.attrs['layer_names']?.value);
    if (names.length === 0) {
      throw new UserError(`weights file ${path} has no "layer_names" attribute: not a Keras weights file`);
    }
    const out = new Map<string, ConvWeights>();
    for (const layer of layers) {
      if (!names.includes(layer.name)) {
        const deepest = layers[layers.length - 1].name;
        const needed = deepest === layer.name ? '' : `, which ${deepest} is computed through`;
        throw new UserError(
          `weights file ${path} has no layer ${layer.name}${needed} (it holds ${names[0]} .. ${names[names.length - 1]}); ` +
            'choose layers it has or use the full VGG19 weights',
        );
      }
      out.set(layer.name, readLayer(file, layer, path));
    }
    return out;
  } finally {
    file.close();
  }
}

function readLayer(file: H5Group, layer: ConvLayer, path: string): ConvWeights {
  const where = `${path}: layer ${layer.name}`;
  const group = file.get(layer.name);
  if (!group || !(group instanceof Object) || !('attrs' in group)) throw new UserError(`${where} is missing`);
  const weightNames = stringList((group as H5Group).attrs['weight_names']?.value);
  if (weightNames.length !== 2) {
    throw new UserError(`${where} lists ${weightNames.length} weights, a conv layer has 2 (kernel, bias)`);
  }
  const read = (name: string, shape: number[]): Float32Array => {
    let ds;
    try {
      ds = (group as H5Group).get(name);
    } catch (e) {
      throw new UserError(`${where}: cannot read ${name}: ${hdf5Reason(e)}`);
    }
    if (!ds || !('shape' in ds) || !('value' in ds)) throw new UserError(`${where}: dataset ${name} is missing`);
    const got = ds.shape ?? [];
    if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      throw new UserError(`${where}: ${name} has shape [${got.join(', ')}], expected [${shape.join(', ')}]`);
    }
    let value;
    try {
      value = ds.value;
    } catch (e) {
      throw new UserError(`${where}: cannot read ${name}: ${hdf5Reason(e)} (is the file truncated?)`);
    }
    if (value instanceof Float32Array) return value;
    if (value instanceof Float64Array) return Float32Array.from(value);
    throw new UserError(`${where}: ${name} is not a float array`);
  };
  return {
    kernel: read(weightNames[0], [3, 3, layer.inChannels, layer.outChannels]),
    bias: read(weightNames[1], [layer.outChannels]),
  };
}
