import { Command } from 'commander';
import { UserError, printable } from '../common/errors';
import { STYLE_OPTION_DEFS, type StyleOptions } from '../common/options';
import { createBackend } from '../engine/select-backend';
import { layersUpTo } from '../engine/vgg19';
import { loadVggWeights } from '../engine/weights/keras-h5';
import { readImage } from '../image/decode';
import { fitLongSide, resizeBilinear } from '../image/resize';
import { parseFlag, pathOption } from './option-flags';
import { weightsForCli } from './weights';

interface InspectFlags {
  weights?: string;
  cacheDir?: string;
  layers: string;
  maxSize: string;
  raw?: boolean;
  gram?: boolean;
  json?: boolean;
  backend: string;
}

interface LayerStats {
  layer: string;
  shape: number[];
  min: number;
  max: number;
  mean: number;
}

function stats(layer: string, shape: number[], data: Float32Array): LayerStats {
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { layer, shape, min, max, mean: sum / data.length };
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('print per-layer statistics of VGG19 activations (or Gram matrices) of IMAGE')
    .argument('<image>', 'the image, loaded as the reference does (longer side scaled to --max-size)')
    .addOption(pathOption('--weights <file>', 'VGG19 weights (.h5); else $NEURAL_STYLE_WEIGHTS, the cache, or a download', 'a weights file (.h5)'))
    .addOption(pathOption('--cache-dir <dir>', 'where downloaded weights are kept', 'a folder'))
    .option('--layers <layer,...>', 'layers to report', STYLE_OPTION_DEFS.styleLayers.default.join(','))
    .option('--max-size <int>', 'longer side of the image fed to the network', '512')
    .option('--raw', 'feed the image x255 without the caffe preprocessing (the tutorial\'s first table)')
    .option('--gram', 'report the Gram matrices instead of the activations')
    .option('--json', 'print [{"layer","shape","min","max","mean"}] as JSON')
    .option('--backend <name>', STYLE_OPTION_DEFS.backend.description, 'auto')
    .action(async (image: string, flags: InspectFlags) => {
      const layers = parseFlag('--layers', STYLE_OPTION_DEFS.styleLayers, flags.layers) as string[];
      if (layers.length === 0) throw new UserError('--layers names no layer');
      const maxSize = parseFlag('--max-size', STYLE_OPTION_DEFS.maxSize, flags.maxSize) as number;
      parseFlag('--backend', STYLE_OPTION_DEFS.backend, flags.backend);
      if (flags.raw && flags.gram) throw new UserError('--raw and --gram cannot be combined (Gram matrices use the preprocessed image)');

      const note = (m: string) => process.stderr.write(`note: ${printable(m)}\n`);
      // An image over 4x larger than needed is decoded already shrunk, as stylize does (see decode-size.ts).
      const decoded = await readImage(image, { needLongSide: maxSize, onNotice: note });
      const size = fitLongSide(decoded.raster.height, decoded.raster.width, maxSize);
      const raster = resizeBilinear(decoded.raster, size.width, size.height);
      const weights = await loadVggWeights(await weightsForCli(flags.weights, flags.cacheDir, process.stderr), layersUpTo(layers));
      const backend = await createBackend(flags.backend as StyleOptions['backend'], weights, note);
      const rows: LayerStats[] = [];
      if (flags.gram) {
        const grams = await backend.grams(raster, layers);
        for (const layer of layers) {
          const g = grams.get(layer)!;
          const c = Math.round(Math.sqrt(g.length));
          rows.push(stats(layer, [1, c, c], g));
        }
      } else {
        const feats = await backend.features(raster, layers, !!flags.raw);
        for (const layer of layers) {
          const f = feats.get(layer)!;
          rows.push(stats(layer, [1, f.height, f.width, f.channels], f.data));
        }
      }
      backend.dispose();
      if (flags.json) {
        process.stdout.write(JSON.stringify(rows) + '\n');
        return;
      }
      process.stderr.write(`${printable(image)}: ${raster.width}x${raster.height} on ${backend.name}\n`);
      for (const r of rows) {
        process.stdout.write(
          `${r.layer}\n  shape: (${r.shape.join(', ')})\n  min: ${r.min}\n  max: ${r.max}\n  mean: ${r.mean}\n`,
        );
      }
    });
}
