// Runs one schedule on one content/style pair and records its loss against compute, measured at the output size.
// usage: node out/bench/quality-measure.js <pair> <size> <name> '<options JSON>' [outDir]
// The options JSON may hold "stageSteps": [n, ...], the steps at each of the finest scales coarsest first (0 skips
// one), to try plans that planOptimization does not make.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { Evaluator } from '../../src/engine/backend';
import type { Losses } from '../../src/common/report';
import type { StyleOptions } from '../../src/common/options';
import { planOptimization, type OptimizePlan } from '../../src/engine/plan';
import { lossProblem, styleTargets } from '../../src/engine/problem';
import { stylize } from '../../src/engine/run';
import { loadBackend } from '../../src/engine/select-backend';
import { layersUpTo } from '../../src/engine/vgg19';
import { loadVggWeights } from '../../src/engine/weights/keras-h5';
import { readImage } from '../../src/image/decode';
import { encodeImage } from '../../src/image/encode';
import { fitLongSide, resizeBilinear } from '../../src/image/resize';
import { PAIRS, WEIGHTS, benchOptions } from './pairs';

export interface CurvePoint extends Losses {
  /** Compute so far in output-size step equivalents. */
  readonly eq: number;
  readonly wallMs: number;
}

async function main(): Promise<void> {
  const [pairName, sizeArg, name, json = '{}', outDir = 'bench/results/quality'] = process.argv.slice(2);
  const pair = PAIRS[pairName];
  if (!pair) throw new Error(`unknown pair ${pairName}: ${Object.keys(PAIRS).join(', ')}`);
  const size = Number(sizeArg);
  const { stageSteps, ...given } = JSON.parse(json) as Partial<StyleOptions> & { stageSteps?: number[] };
  const options = benchOptions(size, given);
  const weights = await loadVggWeights(WEIGHTS, layersUpTo([...options.styleLayers, ...options.contentLayers]));
  const backend = await loadBackend('onnx', weights);
  const [content, style] = await Promise.all([readImage(pair.content), readImage(pair.style)]);
  const target = fitLongSide(content.raster.height, content.raster.width, size);
  const named = (file: string, r: { width: number; height: number }) => ({ name: file, width: r.width, height: r.height });
  const planned = planOptimization(options, named(pair.content, content.raster), [named(pair.style, style.raster)], backend);
  // Every step is measured, so every step is a preview.
  const plan: OptimizePlan = {
    ...planned,
    stages: stageSteps
      ? planned.stages.slice(-stageSteps.length).map((s, i) => ({ ...s, steps: stageSteps[i] })).filter((s) => s.steps > 0)
      : planned.stages,
    previewIntervalMs: 0,
  };
  const grams = await styleTargets(backend, [style.raster], plan.styleTargets, size);
  const atTarget: Evaluator = await backend.createEvaluator(
    await lossProblem(backend, resizeBilinear(content.raster, target.width, target.height), grams, plan.loss),
  );

  await fs.mkdir(outDir, { recursive: true });
  const stem = path.join(outDir, `${pairName}-${size}-${name}`);
  const curve: CurvePoint[] = [];
  // Where a run first reaches a loss is read off these probes. At the output size every step is one (its loss is
  // free); at a smaller scale each costs an evaluation at the output size (left out of the wall time), so there
  // they come every PROBE_EVERY step equivalents: a coarse stage's loss is far above the final one anyway.
  const probeEvery = Number(process.env.PROBE_EVERY ?? 1);
  // The picture at these amounts of compute, for the contact sheet that compares schedules at equal cost.
  const snapshots = [50, 100, 200, 400, 1000];
  const saves: Promise<void>[] = [];
  let nextProbe = 0;
  let probeMs = 0;
  const t0 = performance.now();
  const result = await stylize({
    backend, content: content.raster, styles: [style.raster], plan,
    onPreview: async (image, p) => {
      while (snapshots.length > 0 && p.stepEquivalents >= snapshots[0]) {
        const shown = resizeBilinear(image, target.width, target.height);
        const file = `${stem}-eq${snapshots.shift()}.png`;
        saves.push(encodeImage(shown, { format: 'png' }).then((png) => fs.writeFile(file, png)));
      }
      const atOutput = image.width === target.width && image.height === target.height;
      if (!atOutput && p.stepEquivalents < nextProbe) return;
      nextProbe = p.stepEquivalents + probeEvery;
      // Losses at a smaller scale are not comparable: measure the image as it would be shown at the output size.
      let losses = p.losses;
      if (!atOutput) {
        const t = performance.now();
        losses = (await atTarget.evaluate(resizeBilinear(image, target.width, target.height).data)).losses;
        probeMs += performance.now() - t;
      }
      curve.push({ eq: p.stepEquivalents, wallMs: performance.now() - t0 - probeMs, ...losses });
    },
  });
  const final = (await atTarget.evaluate(result.image.data)).losses;
  curve.push({ eq: result.stepEquivalents, wallMs: performance.now() - t0 - probeMs, ...final });
  atTarget.dispose();
  backend.dispose();

  await Promise.all(saves);
  await fs.writeFile(`${stem}.png`, await encodeImage(result.image, { format: 'png' }));
  await fs.writeFile(`${stem}.json`, JSON.stringify({ pair: pairName, size, name, options, stages: plan.stages, final, curve }, null, 1));
  console.log(`${name} ${pairName} ${size}px: final ${final.total.toExponential(3)} after ${result.stepEquivalents.toFixed(1)} eq, ${(curve[curve.length - 1].wallMs / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
