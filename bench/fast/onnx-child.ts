// One onnxruntime configuration of the fast-mode benchmark's engine part in its own process, so that its peak RSS is its own:
// a FastJob as JSON on stdin, a FastOutcome as the last line of stdout. Started by bench/fast/run.ts.
import { loadFastNets } from '../../src/engine/fast/fast-nets';
import { fastVectors } from '../../src/engine/fast/fast-stylize';
import { patternRaster } from '../../test/unit/onnx/fixtures';
import type { FastJob, FastOutcome } from './protocol';
import { serve, timed } from './child-io';

async function run(job: FastJob): Promise<FastOutcome> {
  const t0 = performance.now();
  const nets = await loadFastNets({ threads: job.threads });
  const loadMs = performance.now() - t0;
  const style = patternRaster(256, 256, 1);
  const content = patternRaster(job.width, job.height, 2);
  const vectors = await fastVectors(nets, content, [style], 'style');
  const predictorMs = await timed(job.runs, () => nets.styleVector(style));
  const contentVectorMs = await timed(job.runs, () => nets.styleVector(content));
  const transformerMs = await timed(job.runs, () => nets.transfer(content, vectors.styles[0]));
  // A whole job's memory, before the transformer's parts open their sessions beside the whole one.
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  const prepared = await nets.prepare(content);
  const outcome: FastOutcome = {
    job, detail: nets.detail, loadMs, predictorMs, contentVectorMs, transformerMs, peakRssMB,
    repaintMs: await timed(job.runs, () => nets.transfer(prepared, vectors.styles[0])),
    repaintPeakRssMB: process.resourceUsage().maxRSS / 1024,
  };
  nets.dispose();
  return outcome;
}

serve(run);
