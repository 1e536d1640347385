// Time from the start of a job (images as bytes, weights cached) to its first preview, and between previews, with
// the default (balanced) preset; the real block1-3 weights and layers. usage: node out/bench/first-preview.js [size]
import { readFileSync } from 'fs';
import { resolveOptions } from '../../src/engine/options';
import { stylizeImages } from '../../src/pipeline/stylize-images';
import { BLOCKS_1_3, PAIRS, WEIGHTS } from '../quality/pairs';

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 512);
  const pair = PAIRS['dog-kandinsky'];
  const t0 = performance.now();
  const previews: number[] = [];
  let backend = '';
  const abort = new AbortController();
  await stylizeImages({
    content: { name: pair.content, bytes: readFileSync(pair.content) },
    styles: [{ name: pair.style, bytes: readFileSync(pair.style) }],
    options: resolveOptions({ ...BLOCKS_1_3, maxSize: size }),
    weightsPath: WEIGHTS, format: 'png', signal: abort.signal,
    onBackend: (name) => (backend = name),
    onPreview: () => {
      previews.push(performance.now() - t0);
      // Enough to see the cadence; the rest of the run is not what is measured here.
      if (previews.length === 8) abort.abort();
    },
  });
  const gaps = previews.slice(1).map((t, i) => t - previews[i]);
  console.log(JSON.stringify({
    size, backend, firstPreviewS: +(previews[0] / 1000).toFixed(2), longestGapS: +(Math.max(...gaps) / 1000).toFixed(2),
    previewsAtS: previews.map((t) => +(t / 1000).toFixed(2)),
  }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
