import type { Losses } from '../../src/common/report';
import { convMacs } from '../../src/engine/vgg19';
import { ENGINES, isPeer, type EngineName, type Job, type MemorySample, type Outcome } from './protocol';

export interface Machine {
  readonly cpu: string;
  readonly simd: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly os: string;
  readonly node: string;
}

/** Everything one run of the benchmark measured. */
export interface BenchRun {
  readonly date: string;
  readonly machine: Machine;
  readonly rounds: number;
  /** 1-minute load averages at the start and the end: other work on the machine skews everything. */
  readonly load: readonly [number, number];
  readonly problem: Job['problem'];
  readonly deepest: string;
  readonly outcomes: ReadonlyArray<{
    readonly round: number;
    readonly size: number;
    /** Share of the cores other programs kept busy just before this run (see idle.ts). */
    readonly busyBefore: number;
    readonly outcome: Outcome;
  }>;
  /** Engines left out of the whole run, and why. */
  readonly skipped: Readonly<Record<string, string>>;
  /** The onnx evaluator's memory over many steps at one size. */
  readonly growthSize: number;
  readonly growth: Outcome;
}

export interface Cell {
  readonly engine: EngineName;
  readonly size: number;
  readonly detail: string;
  readonly steps: number;
  readonly medianMs: number;
  /** The middle half of the timed steps, for how much they varied. */
  readonly quartilesMs: readonly [number, number];
  /** medianMs over the fastest peer's at the same size. */
  readonly vsFastest?: number;
  readonly gflops: number;
  /** The largest over the rounds. */
  readonly peakRssMB: number;
  readonly sessionMs?: number;
  readonly losses: Losses;
  /** Largest relative difference of the four first-step losses from onnx's: every engine must do the same work. */
  readonly lossDiffVsOnnx?: number;
}

/**
 * Memory over the growth run, compared between the first and the second half of the steps after a warm-up tenth:
 * RSS by its largest value in each half, the JS heap by its smallest (its level after a collection: between
 * collections it saw-tooths by the gradients of the steps since the last one).
 */
export interface Growth {
  readonly steps: number;
  readonly samples: readonly MemorySample[];
  readonly rssMB: readonly [number, number];
  readonly jsMB: readonly [number, number];
}

export interface Summary {
  readonly cells: readonly Cell[];
  /** Engine or engine at a size, and why it did not run. */
  readonly notRun: ReadonlyArray<{ readonly engine: EngineName; readonly size?: number; readonly why: string }>;
  readonly growth?: Growth;
  /** Per size, the fastest peer whose losses agree with the engine's (see AGREE). */
  readonly fastest: ReadonlyArray<{ readonly size: number; readonly engine: EngineName; readonly medianMs: number }>;
  /** Peers left out of `fastest` at a size: their losses disagree. */
  readonly disagree: ReadonlyArray<{ readonly size: number; readonly engine: EngineName; readonly diff: number }>;
  readonly targets: ReadonlyArray<{ readonly what: string; readonly value: string; readonly met: boolean }>;
}

/** The q-quantile, interpolating between the nearest of the sorted values. */
const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const i = Math.floor(at);
  return i + 1 < s.length ? s[i] + (s[i + 1] - s[i]) * (at - i) : s[i];
};
const median = (xs: readonly number[]) => quantile(xs, 0.5);

/** Time per step against the speed targets: at most 0.6x the fastest peer's. */
const RATIO_TARGET = 0.6;
/**
 * A peer counts (can be the fastest) only if its first-step losses are within this of the engine's: a faster peer
 * doing other arithmetic (bf16) is not the same work. fp32 peers agree to ~1e-6.
 */
const AGREE = 1e-3;
const RSS_TARGET_MB = 1.5 * 1024;
/** RSS may move by a few pages between steps; a leak of even one image-sized buffer a step is far above this. */
const GROWTH_TOLERANCE_MB = 16;

export function summarize(run: BenchRun): Summary {
  const cells: Cell[] = [];
  const notRun: Array<{ engine: EngineName; size?: number; why: string }> = Object.entries(run.skipped).map(([engine, why]) => ({
    engine: engine as EngineName,
    why,
  }));
  const sizes = [...new Set(run.outcomes.map((o) => o.size))];
  for (const size of sizes) {
    const here = run.outcomes.filter((o) => o.size === size).map((o) => o.outcome);
    for (const engine of [...new Set(here.map((o) => o.engine))]) {
      const ran = here.filter((o) => o.engine === engine).flatMap((o) => ('skipped' in o ? [] : [o]));
      if (ran.length === 0) {
        const why = here.find((o) => o.engine === engine && 'skipped' in o);
        if (why && 'skipped' in why && !(engine in run.skipped)) notRun.push({ engine, size, why: why.skipped });
        continue;
      }
      const steps = ran.flatMap((o) => o.stepMs);
      const medianMs = median(steps);
      cells.push({
        engine,
        size,
        detail: ran[0].detail,
        steps: steps.length,
        medianMs,
        quartilesMs: [quantile(steps, 0.25), quantile(steps, 0.75)],
        gflops: (4 * convMacs(run.deepest, size, size)) / (medianMs * 1e6),
        peakRssMB: Math.max(...ran.map((o) => o.peakRssMB)),
        sessionMs: ran[0].sessionMs === undefined ? undefined : median(ran.map((o) => o.sessionMs!)),
        losses: ran[0].losses,
      });
    }
  }
  cells.sort((a, b) => a.size - b.size || ENGINES.indexOf(a.engine) - ENGINES.indexOf(b.engine));
  const withDiffs = cells.map((c) => {
    const onnx = cells.find((t) => t.engine === 'onnx' && t.size === c.size);
    return onnx && c !== onnx ? { ...c, lossDiffVsOnnx: lossDiff(c.losses, onnx.losses) } : c;
  });
  const disagree = withDiffs.flatMap((c) =>
    isPeer(c.engine) && c.lossDiffVsOnnx !== undefined && c.lossDiffVsOnnx > AGREE ? [{ size: c.size, engine: c.engine, diff: c.lossDiffVsOnnx }] : [],
  );
  const fastest = sizes.flatMap((size) => {
    const peers = withDiffs.filter((c) => c.size === size && isPeer(c.engine) && !disagree.some((d) => d.size === size && d.engine === c.engine));
    const best = peers.sort((a, b) => a.medianMs - b.medianMs)[0];
    return best ? [{ size, engine: best.engine, medianMs: best.medianMs }] : [];
  });
  const withRatios = withDiffs.map((c) => {
    const best = fastest.find((f) => f.size === c.size);
    return best ? { ...c, vsFastest: c.medianMs / best.medianMs } : c;
  });
  const growth = summarizeGrowth(run.growth);
  return { cells: withRatios, notRun, growth, fastest, disagree, targets: targets(withRatios, fastest, run.growthSize, growth) };
}

function lossDiff(a: Losses, b: Losses): number {
  return Math.max(...(['total', 'style', 'content', 'tv'] as const).map((k) => Math.abs(a[k] - b[k]) / Math.abs(b[k])));
}

function summarizeGrowth(outcome: Outcome): Growth | undefined {
  if ('skipped' in outcome || !outcome.memory) return undefined;
  const samples = outcome.memory;
  const steps = samples[samples.length - 1]?.step ?? 0;
  const warm = samples.filter((s) => s.step > steps / 10);
  const halves = [warm.slice(0, warm.length >> 1), warm.slice(warm.length >> 1)];
  if (halves[0].length === 0) return undefined;
  const [r0, r1] = halves.map((h) => Math.max(...h.map((s) => s.rssMB)));
  const [j0, j1] = halves.map((h) => Math.min(...h.map((s) => s.jsMB)));
  return { steps, samples, rssMB: [r0, r1], jsMB: [j0, j1] };
}

function targets(cells: readonly Cell[], fastest: Summary['fastest'], growthSize: number, growth: Growth | undefined): Summary['targets'] {
  const onnx = (size: number) => cells.find((c) => c.engine === 'onnx' && c.size === size);
  const out: Array<{ what: string; value: string; met: boolean }> = [];
  for (const size of [256, 512, 1024]) {
    const c = onnx(size);
    const best = fastest.find((f) => f.size === size);
    if (c?.vsFastest !== undefined && best) {
      out.push({
        what: `onnx time per step at ${size} px, vs the fastest peer (${best.engine}; at most ${RATIO_TARGET}x)`,
        value: `${c.vsFastest.toFixed(2)}x`,
        met: c.vsFastest <= RATIO_TARGET,
      });
    }
  }
  const at512 = onnx(512);
  if (at512) {
    out.push({ what: 'onnx peak RSS at 512 px (at most 1.5 GB)', value: gb(at512.peakRssMB), met: at512.peakRssMB <= RSS_TARGET_MB });
  }
  const at1024 = onnx(1024);
  out.push({ what: 'onnx at 1024 px completes', value: at1024 ? `${seconds(at1024.medianMs)} s/step, ${gb(at1024.peakRssMB)}` : 'did not run', met: !!at1024 });
  if (growth) {
    const [r0, r1] = growth.rssMB;
    const [j0, j1] = growth.jsMB;
    out.push({
      what: `onnx memory over ${growth.steps} steps at ${growthSize} px, first vs second half (no growth)`,
      value: `RSS ${r0.toFixed(0)} -> ${r1.toFixed(0)} MB, JS heap ${j0.toFixed(1)} -> ${j1.toFixed(1)} MB`,
      met: r1 - r0 <= GROWTH_TOLERANCE_MB && j1 - j0 <= GROWTH_TOLERANCE_MB,
    });
  }
  return out;
}

const seconds = (ms: number) => (ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2));
const gb = (mb: number) => `${(mb / 1024).toFixed(2)} GB`;
const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

/** The table for the README: every engine at every size, from one run. */
export function markdown(run: BenchRun, summary: Summary): string {
  const m = run.machine;
  const busy = run.outcomes.filter((o) => !('skipped' in o.outcome)).map((o) => o.busyBefore);
  const lines = [
    `Measured ${run.date.slice(0, 10)} on ${m.cpu} (${m.simd}), ${m.cores} cores, ${m.memoryGB} GB, ${m.os}, Node ${m.node}; ` +
      `load average ${run.load[0].toFixed(1)} at the start, ${run.load[1].toFixed(1)} at the end.`,
    `One step = VGG19 forward to ${run.deepest} + the image gradient of the tutorial's loss (style ` +
      `${run.problem.style.map((s) => s.layer).join(', ')}; content ${run.problem.content.map((c) => c.layer).join(', ')}; ` +
      `total variation), random VGG19 weights from one file for every engine, square images. The peers are the same step ` +
      'as a user would run it today: PyTorch eager, channels_last, torch.compile and bf16 autocast, and TensorFlow\'s ' +
      'own style-transfer tutorial (its train_step: forward, gradient, Adam update and clip), plain and with XLA. ' +
      'Every engine and peer uses 2 threads (intra-op; no inter-op parallelism). Median of all timed steps ' +
      `(after a warm-up step) over ${run.rounds} rounds that alternate the engines; each engine and size runs in its own ` +
      'process, so the peak RSS is its own. GFLOP/s counts the convolutions (forward multiply-adds x4: forward and input ' +
      'gradient).',
    '',
    `Before each run the bench waited for other programs to leave the cores idle; the share of the cores they kept ` +
      `busy just before the runs: median ${percent(median(busy))}, largest ${percent(Math.max(...busy))}.`,
    '',
    '| size | engine | s/step | middle half | vs fastest peer | GFLOP/s | peak RSS | steps timed |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...summary.cells.map(
      (c) =>
        `| ${c.size} px | ${c.engine} | ${seconds(c.medianMs)} | ${seconds(c.quartilesMs[0])}-${seconds(c.quartilesMs[1])} | ` +
        `${c.vsFastest === undefined ? '-' : `${c.vsFastest.toFixed(2)}x`} | ` +
        `${c.gflops.toFixed(0)} | ${gb(c.peakRssMB)} | ${c.steps} |`,
    ),
    '',
    'Engines: ' +
      [...new Map(summary.cells.map((c) => [c.engine, c.detail])).entries()].map(([e, d]) => `${e} = ${d}`).join('; ') +
      '.',
  ];
  if (summary.notRun.length > 0) {
    lines.push(`Not run: ${summary.notRun.map((n) => `${n.engine}${n.size ? ` at ${n.size} px` : ''} (${n.why})`).join('; ')}.`);
  }
  const sessions = summary.cells.filter((c) => c.engine === 'onnx' && c.sessionMs !== undefined);
  if (sessions.length > 0) {
    lines.push(`onnx session creation (building the loss model and its session, once per run and scale): ${sessions.map((c) => `${(c.sessionMs! / 1000).toFixed(2)} s at ${c.size} px`).join(', ')}.`);
  }
  if (summary.fastest.length > 0) {
    lines.push(`Fastest peer: ${summary.fastest.map((f) => `${f.engine} at ${f.size} px (${seconds(f.medianMs)} s)`).join(', ')}.`);
  }
  lines.push(...agreement(summary));
  lines.push('', '| target | measured | met |', '|---|---|---|');
  lines.push(...summary.targets.map((t) => `| ${t.what} | ${t.value} | ${t.met ? 'yes' : '**no**'} |`));
  return `${lines.join('\n')}\n`;
}

/** The first step's losses of every engine against onnx's, per size: whether they all do the same work. */
function agreement(summary: Summary): string[] {
  const sizes = [...new Set(summary.cells.map((c) => c.size))];
  const engines = [...new Set(summary.cells.filter((c) => c.lossDiffVsOnnx !== undefined).map((c) => c.engine))];
  if (engines.length === 0) return [];
  const diff = (engine: EngineName, size: number) => summary.cells.find((c) => c.engine === engine && c.size === size)?.lossDiffVsOnnx;
  const lines = [
    '',
    `Agreement: the largest relative difference of the first step's four losses (total, style, content, total ` +
      `variation) from onnx's. A peer further than ${AGREE} from it is not doing the same arithmetic and cannot be the fastest peer.`,
    '',
    `| engine | ${sizes.map((s) => `${s} px`).join(' | ')} |`,
    `|---|${sizes.map(() => '---:').join('|')}|`,
    ...engines.map((e) => `| ${e} | ${sizes.map((s) => diff(e, s)?.toExponential(1) ?? '-').join(' | ')} |`),
  ];
  if (summary.disagree.length > 0) {
    lines.push('', `Left out of the fastest peer: ${summary.disagree.map((d) => `${d.engine} at ${d.size} px (${d.diff.toExponential(1)})`).join(', ')}.`);
  }
  return lines;
}
