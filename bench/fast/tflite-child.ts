// The real TFLite runtime (tfjs-tflite's wasm build, one thread: see scripts/tflite-reference) as the fast-mode
// benchmark's peer, in its own process: a FastJob on stdin (at the nets' fixed 384 px), a FastOutcome on stdout.
import { promises as fs } from 'fs';
import * as path from 'path';
import { FAST_NET_FILES } from '../../src/engine/fast/fast-nets';
import { patternRaster } from '../../test/unit/onnx/fixtures';
import { tfliteRuntime } from '../../scripts/tflite-reference/reference-runtime';
import type { FastJob, FastOutcome } from './protocol';
import { serve, timed } from './child-io';

/** The bundles run from out/bench/. */
const REPO = path.resolve(__dirname, '../..');

async function run(job: FastJob): Promise<FastOutcome> {
  const t0 = performance.now();
  const { loadTflite } = tfliteRuntime(REPO);
  const read = (file: string) => fs.readFile(path.join(REPO, 'assets/fast', file));
  const predictor = await loadTflite(await read(FAST_NET_FILES.predictor.file));
  const transformer = await loadTflite(await read(FAST_NET_FILES.transformer.file));
  const loadMs = performance.now() - t0;
  const style = patternRaster(256, 256, 1);
  const content = patternRaster(job.width, job.height, 2);
  const vector = predictor.run([{ data: style.data, shape: [1, 256, 256, 3] }]);
  return {
    job,
    detail: 'TensorFlow Lite (tfjs-tflite 0.0.1-alpha.10 wasm, XNNPACK), 1 thread',
    loadMs,
    predictorMs: await timed(job.runs, async () => predictor.run([{ data: style.data, shape: [1, 256, 256, 3] }])),
    contentVectorMs: [],
    transformerMs: await timed(job.runs, async () =>
      transformer.run([
        { data: content.data, shape: [1, job.height, job.width, 3] },
        { data: vector, shape: [1, 1, 1, vector.length] },
      ]),
    ),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

serve(run);
