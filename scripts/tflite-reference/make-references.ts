// The reference outputs fast mode's tests compare with, from the real TensorFlow Lite runtime (see
// tflite-runtime.cjs): TFLite's style vector of each reference image, and its transformer output for the reference
// content (stored subsampled), with fast mode's own results on the same inputs compared over the whole image.
// Run with `node scripts/tflite-reference/run.mjs make-references` from the repository root.
import { existsSync, promises as fs } from 'fs';
import * as path from 'path';
import { loadFastNets, styleInput } from '../../src/engine/fast/fast-nets';
import { readTfliteModel } from '../../src/engine/fast/tflite-model';
import { readImage } from '../../src/image/decode';
import type { Raster } from '../../src/image/raster';
import * as ref from '../../test/unit/fast/references';
import { tfliteRuntime } from './reference-runtime';

/** This script runs bundled into out/tflite-reference/. */
const REPO = path.resolve(__dirname, '../..');
const ASSETS = path.join(REPO, 'assets/fast');
const OUT = path.join(REPO, 'test/fixtures/fast');

async function main(): Promise<void> {
  const predictorBytes = await fs.readFile(path.join(ASSETS, 'style_predict_quantized_256.tflite'));
  const { loadTflite } = tfliteRuntime(REPO);
  const predictor = await loadTflite(predictorBytes);
  const transformer = await loadTflite(await fs.readFile(path.join(ASSETS, 'style_transfer_f16_384.tflite')));
  const nets = await loadFastNets({ dir: ASSETS });

  const images: Record<string, Raster> = Object.fromEntries(Object.entries(ref.REFERENCE_STYLES).map(([name, make]) => [name, make()]));
  for (const [name, file] of Object.entries(ref.REFERENCE_PHOTOS)) {
    if (existsSync(file)) images[name] = (await readImage(file)).raster;
    else console.log(`(no ${file}: no reference for ${name})`);
  }
  const styleVectors: Record<string, number[]> = {};
  const measured: Record<string, number> = {};
  const step = outputStep(predictorBytes);
  for (const [name, image] of Object.entries(images)) {
    const input = styleInput(image);
    const reference = predictor.run([{ data: input.data, shape: [1, input.height, input.width, 3] }]);
    styleVectors[name] = Array.from(reference);
    const ours = await nets.styleVector(image);
    measured[`predictor ${name}: max |difference| in output steps`] = ref.maxAbsDiff(ours, reference) / step;
  }

  const content = ref.REFERENCE_TRANSFER.content();
  const vector = Float32Array.from(styleVectors[ref.REFERENCE_TRANSFER.style]);
  const reference = transformer.run([
    { data: content.data, shape: [1, content.height, content.width, 3] },
    { data: vector, shape: [1, 1, 1, vector.length] },
  ]);
  const ours = await nets.transfer(content, vector);
  measured['transformer: max |difference| over the whole image'] = ref.maxAbsDiff(ours.data, reference);
  const endToEnd = await nets.transfer(content, await nets.styleVector(images[ref.REFERENCE_TRANSFER.style]));
  measured['end to end (our predictor and transformer): PSNR over the whole image, dB'] = ref.psnr(endToEnd.data, reference);
  nets.dispose();

  const stored = ref.subsample({ width: content.width, height: content.height, data: reference }, ref.REFERENCE_TRANSFER.stride);
  await fs.mkdir(OUT, { recursive: true });
  await fs.writeFile(path.join(OUT, ref.REFERENCE_TRANSFER.file), Buffer.from(stored.data.buffer));
  const references: ref.References = {
    about:
      'Outputs of the real TensorFlow Lite runtime (@tensorflow/tfjs-tflite 0.0.1-alpha.10, XNNPACK, wasm) for the inputs of ' +
      'test/unit/fast/references.ts; made by scripts/tflite-reference/make-references.ts. ' +
      `${ref.REFERENCE_TRANSFER.file}: float32 HWC, ${stored.width}x${stored.height}, the pixels whose row and column are ` +
      `multiples of ${ref.REFERENCE_TRANSFER.stride}.`,
    predictorStep: step,
    styleVectors,
    measured,
  };
  await fs.writeFile(path.join(OUT, ref.REFERENCE_FILE), `${JSON.stringify(references, null, 1)}\n`);
  console.log(JSON.stringify(measured, null, 2));
}

/** The scale of the int8 tensor the predictor dequantizes into its output: one step of its output. */
function outputStep(bytes: Uint8Array): number {
  const model = readTfliteModel(bytes, 'the predictor');
  const last = model.operators[model.operators.length - 1];
  const scale = model.tensors[last.inputs[0]].quantization?.scale;
  if (last.op !== 'DEQUANTIZE' || scale?.length !== 1) throw new Error('the predictor does not end in a DEQUANTIZE of one scale');
  return scale[0];
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
