import type { FastJob, FastOutcome } from './protocol';
import type { SheetRun } from './sheet';
import { CHANGE_KINDS, CHANGES, type StudioSize } from './studio';

/** Everything one run of the fast-mode benchmark measured. */
export interface FastRun {
  readonly date: string;
  readonly machine: string;
  readonly rounds: number;
  /** 1-minute load averages at the start and the end: other work on the machine skews everything. */
  readonly load: readonly [number, number];
  /** The panel's changes, as the product makes them (see studio.ts); absent from runs made before it was measured. */
  readonly studio?: readonly StudioSize[];
  /** The engine alone, each configuration in its own process (none in a run of the panel's part only). */
  readonly outcomes: ReadonlyArray<{
    readonly round: number;
    /** Share of the cores other programs kept busy in the second before this configuration ran. */
    readonly busyBefore: number;
    readonly outcome: FastOutcome;
  }>;
  /** The style gallery at once (runs from before it was measured have none). */
  readonly sheet?: SheetRun;
}

type Measured = Extract<FastOutcome, { readonly detail: string }>;

/** A configuration's runs over all rounds together. */
interface Row extends Omit<Measured, 'loadMs'> {
  readonly loadMs: readonly number[];
}

const key = (j: FastJob) => `${j.engine} ${j.threads} ${j.width}x${j.height}`;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const median = (values: readonly number[]) => quantile(values, 0.5);
const seconds = (ms: number) => (ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(3));
const cell = (values: readonly number[]) => (values.length ? `${seconds(median(values))} s` : '-');

function rows(run: FastRun): Row[] {
  const byKey = new Map<string, Row>();
  for (const { outcome: o } of run.outcomes) {
    if ('skipped' in o) continue;
    const r = byKey.get(key(o.job));
    const more = (k: 'predictorMs' | 'contentVectorMs' | 'transformerMs' | 'repaintMs') => [...(r?.[k] ?? []), ...(o[k] ?? [])];
    byKey.set(key(o.job), {
      ...o,
      predictorMs: more('predictorMs'),
      contentVectorMs: more('contentVectorMs'),
      transformerMs: more('transformerMs'),
      repaintMs: more('repaintMs'),
      loadMs: [...(r?.loadMs ?? []), o.loadMs],
      peakRssMB: Math.max(r?.peakRssMB ?? 0, o.peakRssMB),
      repaintPeakRssMB: Math.max(r?.repaintPeakRssMB ?? 0, o.repaintPeakRssMB ?? 0),
    });
  }
  const pixels = (r: Row) => r.job.width * r.job.height;
  return [...byKey.values()].sort((a, b) => pixels(a) - pixels(b) || a.job.engine.localeCompare(b.job.engine) || a.job.threads - b.job.threads);
}

export function markdown(run: FastRun): string {
  const lines = [
    `Measured ${run.date.slice(0, 10)} on ${run.machine}; load average ${run.load[0].toFixed(1)} at the start, ${run.load[1].toFixed(1)} at the end.`,
    '',
  ];
  if (run.studio) lines.push(...studioMarkdown(run.studio), '');
  if (run.outcomes.length > 0) lines.push(...engineMarkdown(run), '');
  if (run.sheet) lines.push(sheetMarkdown(run.sheet));
  return lines.join('\n');
}

const worst = (values: readonly number[]) => Math.max(...values);
const pair = (values: readonly number[]) => `${seconds(median(values))} / ${seconds(worst(values))} s`;

/** The panel's part: from a change handed to the extension's studio to the encoded picture back from the worker. */
function studioMarkdown(sizes: readonly StudioSize[]): string[] {
  const busy = sizes.map((s) => `${(s.busyBefore * 100).toFixed(0)}%`).join(', ');
  const at = (width: number) => sizes.find((s) => s.width === width);
  const lines = [
    '### A panel\'s controls, as the product renders them',
    '',
    `From a change handed to the extension's FastStudio to the encoded picture back on the extension's side: the worker ` +
      `process renders it from the job's session (through the real WorkerClient, over IPC) and encodes it. ${CHANGES} changes of ` +
      `each kind in a row, each after the last one's picture (one untimed change first); median / worst. While a control moves the ` +
      'picture comes as a JPEG of at most 1024 px (q85); let go, as the whole PNG. Content: the dog, cropped to 4:3 and resized; ' +
      `style: Kandinsky. Other programs kept the cores busy ${busy} in the second before each size.`,
    '',
    `| change | ${sizes.map((s) => `${s.width}x${s.height}`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
    ...CHANGE_KINDS.map((kind) => `| ${kind} | ${sizes.map((s) => pair(s.ms[kind])).join(' | ')} |`),
    '',
  ];
  const targets: Array<[string, string, boolean]> = [];
  const small = at(512);
  const big = at(2048);
  if (small) targets.push(['a control dragged, 512 px: median at most 0.1 s', seconds(median(small.ms['strength, dragged'])) + ' s', median(small.ms['strength, dragged']) <= 100]);
  if (big) targets.push(['a control dragged, 2048x1536: median at most 0.5 s', seconds(median(big.ms['strength, dragged'])) + ' s', median(big.ms['strength, dragged']) <= 500]);
  lines.push('| target | measured | met |', '|---|---:|---|', ...targets.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? 'yes' : 'no'} |`));
  return lines;
}

/** The engine's part: the nets alone, each configuration in a process of its own, and TFLite beside them. */
function engineMarkdown(run: FastRun): string[] {
  const all = rows(run);
  const find = (engine: FastJob['engine'], threads: number, width: number, height = width) =>
    all.find((r) => key(r.job) === key({ engine, threads, width, height, runs: 0 }));
  const busy = run.outcomes.map((o) => o.busyBefore);
  const lines = [
    '### The nets alone',
    '',
    `Content: a generated pattern image of each size; style: a generated 256x256 image. Each configuration runs in its own process ` +
      `(its peak RSS is its own), ${run.rounds} rounds in changing order (4096x3072 once); medians of all timed runs, after one untimed run per process. ` +
      'Transformer: one pass at the size (mirrored out to a multiple of 4 and cropped back). Repaint: the transformer\'s part after the ' +
      'style vector enters, from the content prepared once, as a panel\'s controls run it. Content vector: the predictor on the content ' +
      `(its centre square resized to 256 px). Other programs (niced ones included) kept the cores busy ${(median(busy) * 100).toFixed(0)}% ` +
      `(median; largest ${(Math.max(...busy) * 100).toFixed(0)}%) in the second before each configuration ran.`,
    '',
    '| size | runtime | threads | transformer | middle half | repaint | content vector | predictor (256 px) | peak RSS | runs |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...all.map((r) => {
      const t = r.transformerMs;
      const runtime = r.job.engine === 'onnx' ? 'onnxruntime' : r.detail.includes('wasm') ? 'TFLite wasm' : 'TFLite native';
      return (
        `| ${r.job.width}x${r.job.height} | ${runtime} | ${r.job.threads} | ${cell(t)} | ${seconds(quantile(t, 0.25))}-${seconds(quantile(t, 0.75))} s | ${cell(r.repaintMs ?? [])} | ` +
        `${cell(r.contentVectorMs)} | ${(median(r.predictorMs)).toFixed(0)} ms | ${(r.peakRssMB / 1024).toFixed(2)} GB | ${t.length} |`
      );
    }),
    '',
    `Runtimes: ${[...new Set(all.map((r) => r.detail.replace(/, \d threads?$/, '')))].join('; ')}. ` +
      // The ONNX conversion moved from the load to the build on 2026-12-03: a run before includes it.
      `Loading both nets (reading${run.date < '2026-12-03' ? ' and, for onnxruntime, converting them to ONNX' : ''}, opening the sessions): ${[...new Set(all.map((r) => r.job.engine))]
        .map((e) => `${e} ${seconds(median(all.filter((r) => r.job.engine === e).flatMap((r) => r.loadMs)))} s`)
        .join(', ')} (median).`,
  ];
  const repainted = all.filter((r) => r.repaintPeakRssMB);
  if (repainted.length) {
    lines.push(
      '',
      'Peak RSS once the process has also repainted (the transformer\'s two parts open beside the whole one, as in a worker ' +
        `that has made a panel's pictures and a whole job's): ${repainted.map((r) => `${r.job.width}x${r.job.height} ${r.job.threads}t ${((r.repaintPeakRssMB ?? 0) / 1024).toFixed(2)} GB`).join(', ')}.`,
    );
  }
  const pairs = all.flatMap((ours) => {
    const peer = ours.job.engine === 'onnx' && find('tflite', ours.job.threads, ours.job.width, ours.job.height);
    return peer && !peer.detail.includes('wasm') ? [[ours, peer] as const] : [];
  });
  if (pairs.length) {
    const ratio = (a: readonly number[], b: readonly number[]) => `${(median(a) / median(b)).toFixed(2)}x`;
    lines.push(
      '',
      'Against native TFLite, same size and threads (time over TFLite\'s: below 1x is faster):',
      '',
      '| size | threads | transformer: onnxruntime / TFLite | ratio | predictor (int8): onnxruntime / TFLite | ratio |',
      '|---|---:|---:|---:|---:|---:|',
      ...pairs.map(([o, t]) =>
        `| ${o.job.width}x${o.job.height} | ${o.job.threads} | ${cell(o.transformerMs)} / ${cell(t.transformerMs)} | ${ratio(o.transformerMs, t.transformerMs)} | ` +
        `${median(o.predictorMs).toFixed(1)} / ${median(t.predictorMs).toFixed(1)} ms | ${ratio(o.predictorMs, t.predictorMs)} |`,
      ),
    );
  }
  const slowerOnTwo = all.filter((r) => {
    const one = r.job.engine === 'onnx' && r.job.threads === 2 && find('onnx', 1, r.job.width, r.job.height);
    return one && median(one.transformerMs) < median(r.transformerMs);
  });
  if (slowerOnTwo.length) {
    lines.push(
      '',
      `1 thread beat 2 at ${slowerOnTwo.map((r) => `${r.job.width}x${r.job.height}`).join(', ')}: with the cores shared, a second ` +
        'thread that has to wait for a core holds up every operator it takes part in, and the transformer is some 240 of them, most on few channels.',
    );
  }
  const skipped = run.outcomes.filter((o) => 'skipped' in o.outcome);
  if (skipped.length) lines.push('', `Failed: ${skipped.map((o) => `${key(o.outcome.job)} (${'skipped' in o.outcome ? o.outcome.skipped : ''})`).join('; ')}.`);

  const targets: Array<[string, string, boolean]> = [];
  const at512 = find('onnx', 2, 512);
  if (at512) targets.push(['transformer at 512 px on 2 threads: at most 0.15 s', cell(at512.transformerMs), median(at512.transformerMs) <= 150]);
  for (const threads of [2, 1]) {
    const ours = find('onnx', threads, 384);
    const tflite = find('tflite', threads, 384);
    const plural = threads > 1 ? 's' : '';
    if (ours && tflite?.detail.includes('wasm')) {
      const ratio = median(tflite.transformerMs) / median(ours.transformerMs);
      targets.push([`transformer at 384 px, ${threads} thread${plural}: at least 5x faster than TFLite (wasm, 1 thread)`, `${ratio.toFixed(1)}x`, ratio >= 5]);
    } else if (ours && tflite) {
      const transformer = median(ours.transformerMs) / median(tflite.transformerMs);
      const predictor = median(ours.predictorMs) / median(tflite.predictorMs);
      targets.push([`transformer at 384 px, ${threads} thread${plural}: no slower than native TFLite`, `${transformer.toFixed(2)}x its time`, transformer <= 1]);
      targets.push([`predictor (int8), ${threads} thread${plural}: no slower than native TFLite's`, `${predictor.toFixed(2)}x its time`, predictor <= 1]);
    }
  }
  const big = find('onnx', 2, 2048, 1536);
  if (big) targets.push(['2048x1536: under 1 GB peak RSS', `${(big.peakRssMB / 1024).toFixed(2)} GB`, big.peakRssMB < 1024]);
  lines.push('', '| target | measured | met |', '|---|---:|---|', ...targets.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? 'yes' : 'no'} |`));
  return lines;
}

/** The gallery's sheet (CLI) and grid (the extension's worker), with their targets. */
export function sheetMarkdown(s: SheetRun): string {
  const ratio = median(s.sheetMs) / median(s.singleMs);
  const targets: Array<[string, string, boolean]> = [
    ['the grid of the whole gallery, worker not yet started: at most 1.5 s', cell(s.gridColdAllMs), median(s.gridColdAllMs) <= 1500],
    ['the grid with the worker running: at most 0.7 s', cell(s.gridWarmAllMs), median(s.gridWarmAllMs) <= 700],
    ['the CLI\'s sheet: at most 2x one `stylize --method fast`', `${ratio.toFixed(2)}x`, ratio <= 2],
  ];
  return [
    `### The gallery at once (${s.tiles} paintings, ${s.rounds} rounds, medians)`,
    '',
    'CLI: each command as its own process, wall time from its start to its exit (the sheet written). Content: samples/dog.jpg; ' +
      'the single run: in samples/kandinsky.jpg at the default 512 px; the sheet: every painting in 256 px tiles. Grid: what Try All ' +
      'Styles asks of the worker (src/extension/tile-renderer.ts): a 256 px fast job per painting, two at a time, from the first request ' +
      '(the webview that shows them is not part of it).',
    '',
    '| what | median | range |',
    '|---|---:|---:|',
    ...([
      ['`neural-style stylize dog.jpg kandinsky.jpg --method fast`', s.singleMs],
      ['`neural-style sheet dog.jpg --size 256` (whole gallery)', s.sheetMs],
      ['grid, worker not yet started: first tile', s.gridColdFirstMs],
      ['grid, worker not yet started: all tiles', s.gridColdAllMs],
      ['grid, worker running: all tiles', s.gridWarmAllMs],
    ] as const).map(([what, ms]) => `| ${what} | ${cell(ms)} | ${seconds(Math.min(...ms))}-${seconds(Math.max(...ms))} s |`),
    '',
    '| target | measured | met |', '|---|---:|---|', ...targets.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? 'yes' : 'no'} |`), '',
  ].join('\n');
}
