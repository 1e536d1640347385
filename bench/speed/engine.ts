// One engine of the speed benchmark in its own process (so that its peak RSS is its own): reads a Job as JSON on
// stdin, writes an Outcome as one JSON line on stdout. Started by bench/speed/run.ts.
import { promises as fs } from 'fs';
import type { Backend, LossProblem } from '../../src/engine/backend';
import { errorMessage } from '../../src/common/errors';
import { loadBackend } from '../../src/engine/select-backend';
import { layersUpTo } from '../../src/engine/vgg19';
import { loadVggWeights } from '../../src/engine/weights/keras-h5';
import { createRaster, type Raster } from '../../src/image/raster';
import { isPeer, type Job, type MemorySample, type Outcome } from './protocol';

async function readRaster(path: string, size: number): Promise<Raster> {
  const bytes = await fs.readFile(path);
  return createRaster(size, size, new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice());
}

const mb = (bytes: number) => bytes / 2 ** 20;

async function run(job: Job): Promise<Outcome> {
  if (isPeer(job.engine)) throw new Error(`${job.engine} runs in its own Python script`);
  const t0 = performance.now();
  const { style, content, tvWeight } = job.problem;
  const weights = await loadVggWeights(job.weights, layersUpTo([...style, ...content].map((t) => t.layer)));
  let backend: Backend;
  try {
    backend = await loadBackend(job.engine, weights);
  } catch (e) {
    return { engine: job.engine, skipped: errorMessage(e).split('\n')[0] };
  }
  const [styleImage, contentImage, start] = await Promise.all(
    [job.images.style, job.images.content, job.images.start].map((p) => readRaster(p, job.size)),
  );
  const grams = await backend.grams(styleImage, style.map((s) => s.layer));
  const features = await backend.features(contentImage, content.map((c) => c.layer));
  const problem: LossProblem = {
    height: job.size,
    width: job.size,
    style: style.map((s) => ({ ...s, gram: grams.get(s.layer)! })),
    content: content.map((c) => ({ ...c, features: features.get(c.layer)! })),
    tvWeight,
  };
  const t1 = performance.now();
  const evaluator = await backend.createEvaluator(problem);
  const t2 = performance.now();

  const stepMs: number[] = [];
  const memory: MemorySample[] = [];
  let losses;
  for (let i = 0; i < job.warmup + job.steps; i++) {
    const t = performance.now();
    const evaluation = await evaluator.evaluate(start.data);
    if (i >= job.warmup) stepMs.push(performance.now() - t);
    losses ??= evaluation.losses;
    if (job.sampleEvery && (i + 1) % job.sampleEvery === 0) {
      const m = process.memoryUsage();
      memory.push({ step: i + 1, rssMB: mb(m.rss), jsMB: mb(m.heapUsed + m.arrayBuffers) });
    }
  }
  evaluator.dispose();
  const detail = backend.detail;
  backend.dispose();
  return {
    engine: job.engine,
    detail,
    setupMs: t1 - t0,
    sessionMs: t2 - t1,
    stepMs,
    losses: losses!,
    // maxRSS is in kilobytes.
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    ...(job.sampleEvery ? { memory } : {}),
  };
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const outcome = await run(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Job);
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
