// Time from the start of a job (images as bytes, weights cached) to its first preview, and between previews, with
// the default (balanced) preset. usage: node out/bench/first-preview.js [size] [block1-3|full]
// block1-3: the real weights of blocks 1-3 and layers they hold; full: the default layers (to block5_conv2) on
// generated weights of the full file's shapes, as fast as the real ones (the pictures are not what is measured).
import { promises as fs, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveOptions } from '../../src/common/options';
import { stylizeImages } from '../../src/pipeline/stylize-images';
import { randomVggWeights, writeKerasWeights } from '../../test/helpers/random-vgg-weights';
import { BLOCKS_1_3, PAIRS, WEIGHTS } from '../quality/pairs';

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 512);
  const full = process.argv[3] === 'full';
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-preview-'));
  const weightsPath = full ? path.join(tmp, 'vgg19.h5') : WEIGHTS;
  if (full) await writeKerasWeights(weightsPath, randomVggWeights(7, 'block5_conv2'));
  const pair = PAIRS['dog-kandinsky'];
  const t0 = performance.now();
  const previews: number[] = [];
  let backend = '';
  let backendReadyMs = 0;
  let firstStepMs = 0;
  const abort = new AbortController();
  try {
    await stylizeImages({
      content: { name: pair.content, bytes: readFileSync(pair.content) },
      styles: [{ name: pair.style, bytes: readFileSync(pair.style) }],
      options: resolveOptions(full ? { maxSize: size } : { ...BLOCKS_1_3, maxSize: size }),
      weights: async () => weightsPath, format: 'png', signal: abort.signal,
      onBackend: (name) => {
        backend = name;
        backendReadyMs = performance.now() - t0;
      },
      onProgress: () => (firstStepMs ||= performance.now() - t0),
      onPreview: () => {
        previews.push(performance.now() - t0);
        // Enough to see the cadence; the rest of the run is not what is measured here.
        if (previews.length === 8) abort.abort();
      },
    });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  const s = (ms: number) => +(ms / 1000).toFixed(2);
  const gaps = previews.slice(1).map((t, i) => t - previews[i]);
  console.log(JSON.stringify({
    size, layers: full ? 'full' : 'block1-3', backend, backendReadyS: s(backendReadyMs), firstStepS: s(firstStepMs), firstPreviewS: s(previews[0]),
    longestGapS: s(Math.max(...gaps)), previewsAtS: previews.map(s),
  }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
