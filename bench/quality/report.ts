// Reads the runs measure.ts wrote and makes the quality report: the spread of each schedule over the pairs against the
// tutorial's recipe, the table per pair, a chart of loss against compute, and contact sheets of the pictures at equal
// compute. Runs under other names than the presets' (schedules tried by hand) get the spread and a table of their own.
// usage: node out/bench/quality-report.js [dir]
import { existsSync, promises as fs } from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { StyleOptions } from '../../src/common/options';
import type { Stage } from '../../src/engine/schedule';
import type { CurvePoint } from './measure';
import { SCHEDULES } from './pairs';

interface RunFile {
  readonly pair: string;
  readonly size: number;
  readonly name: string;
  readonly options: StyleOptions;
  /** The scales as run, coarsest first (with the steps of each, which a hand-made plan sets itself). */
  readonly stages: readonly Stage[];
  readonly final: { total: number };
  readonly curve: CurvePoint[];
}

/** What `npm run bench:quality` runs: the reference and the presets. */
const PRESET_ROWS = Object.keys(SCHEDULES);
const SNAPSHOTS = [50, 100, 200, 400, 1000];

export interface Row {
  readonly pair: string;
  readonly size: number;
  readonly schedule: string;
  readonly options: StyleOptions;
  readonly stages: readonly Stage[];
  readonly spent: number;
  readonly final: number;
  /** Step equivalents at which the run first reached the recipe's final loss, if it did. */
  readonly reached?: number;
  /** Step equivalents the recipe spent to first get as low as this run's final loss, if it did. */
  readonly recipeNeeds?: number;
  /** Step equivalents between the probes of the curve: where a loss was reached is known to this much. */
  readonly probeEvery: number;
  readonly wallS: number;
}

export function rows(runs: readonly RunFile[]): Row[] {
  const out: Row[] = [];
  for (const recipe of runs.filter((r) => r.name === 'recipe')) {
    for (const r of runs.filter((x) => x.pair === recipe.pair && x.size === recipe.size)) {
      const last = r.curve[r.curve.length - 1];
      const at = r.curve.findIndex((p) => p.total <= recipe.final.total);
      // Coarse scales are probed more sparsely than the output size: the spacing that counts is the one where the
      // loss was reached (or, when it was not, at the end).
      const probe = at > 0 ? at : r.curve.length - 2;
      out.push({
        pair: r.pair, size: r.size, schedule: r.name, options: r.options, stages: r.stages, spent: last.eq, final: r.final.total,
        reached: at >= 0 ? r.curve[at].eq : undefined,
        recipeNeeds: recipe.curve.find((p) => p.total <= r.final.total)?.eq,
        probeEvery: r.curve[probe].eq - r.curve[probe - 1].eq, wallS: last.wallMs / 1000,
      });
    }
  }
  return out.sort((a, b) => a.pair.localeCompare(b.pair) || a.size - b.size || order(a.schedule, b.schedule));
}

/** The reference and the presets first, in their order, then the schedules tried by hand by name. */
function order(a: string, b: string): number {
  const rank = (s: string) => (PRESET_ROWS.includes(s) ? PRESET_ROWS.indexOf(s) : PRESET_ROWS.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

const gapPercent = (r: Row, recipe: Row) => (r.final / recipe.final - 1) * 100;
const signed = (percent: number) => `${percent > 0 ? '+' : ''}${percent.toFixed(2)}%`;

function settings(o: StyleOptions, stages: readonly Stage[]): string {
  const optimizer = o.optimizer === 'adam'
    ? `Adam ${o.learningRate}, β1 ${o.beta1}, β2 ${o.beta2}${o.learningRateDecay === 'cosine' ? ', cosine' : ''}`
    : 'L-BFGS';
  const steps = stages.length > 1 ? `steps ${stages.map((s) => `${s.steps} at ${s.longSide} px`).join(', ')}` : `${stages[0].steps} steps`;
  return `${optimizer}, ${steps}`;
}

/** Middle of the sorted values (the mean of the two middle ones for an even count); Infinity stands for "not reached". */
function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length / 2;
  return v.length % 2 === 1 ? v[Math.floor(m)] : (v[m - 1] + v[m]) / 2;
}

/**
 * Per schedule and size, over the pairs: the compute at which the recipe's final loss is reached (a pair where it is
 * not counts as the worst) and the final loss against the recipe's.
 */
function spread(table: readonly Row[], recipeOf: (r: Row) => Row): string {
  const lines = [
    '| size | schedule | settings | pairs | reached the recipe\'s final loss at: median | worst | final loss vs the recipe\'s: median | worst | probed every |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  const groups = new Map<string, Row[]>();
  for (const r of table.filter((x) => x.schedule !== 'recipe')) {
    const key = `${r.size} ${r.schedule}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const sorted = [...groups.values()].sort((a, b) => a[0].size - b[0].size || order(a[0].schedule, b[0].schedule));
  for (const group of sorted) {
    const { size, schedule, options, stages } = group[0];
    const reached = group.map((r) => r.reached ?? Infinity);
    const gaps = group.map((r) => gapPercent(r, recipeOf(r)));
    const missed = reached.filter((e) => e === Infinity).length;
    const at = (eq: number) => (eq === Infinity ? 'not reached' : `${eq.toFixed(0)} eq. (${((eq / recipeOf(group[0]).spent) * 100).toFixed(1)}%)`);
    lines.push(
      `| ${size} px | ${schedule} | ${settings(options, stages)} | ${group.length} | ${at(median(reached))} | ` +
        `${missed > 0 ? `not reached on ${missed}` : at(Math.max(...reached))} | ${signed(median(gaps))} | ${signed(Math.max(...gaps))} | ` +
        `${Math.max(...group.map((r) => r.probeEvery)).toFixed(0)} eq. |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Schedules tried by hand, one row each, a column per pair: the final loss against the recipe's, and where it reached it. */
function triedTable(table: readonly Row[], recipeOf: (r: Row) => Row): string {
  const tried = table.filter((r) => !PRESET_ROWS.includes(r.schedule));
  const pairs = [...new Set(tried.map((r) => r.pair))].sort();
  const lines = [`| size | schedule | ${pairs.join(' | ')} |`, `|---|---|${pairs.map(() => '---:|').join('')}`];
  const keys = [...new Set(tried.map((r) => `${r.size} ${r.schedule}`))];
  for (const [size, schedule] of keys.map((k) => k.split(' ')).sort((a, b) => Number(a[0]) - Number(b[0]) || order(a[1], b[1]))) {
    const cells = pairs.map((pair) => {
      const r = tried.find((x) => x.pair === pair && x.size === Number(size) && x.schedule === schedule);
      return r ? `${signed(gapPercent(r, recipeOf(r)))}${r.reached !== undefined ? ` @${r.reached.toFixed(0)}` : ''}` : '';
    });
    lines.push(`| ${size} px | ${schedule} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

function markdown(table: readonly Row[]): string {
  const recipeOf = (r: Row) => table.find((x) => x.pair === r.pair && x.size === r.size && x.schedule === 'recipe')!;
  const presets = table.filter((r) => PRESET_ROWS.includes(r.schedule));
  const tried = table.some((r) => !PRESET_ROWS.includes(r.schedule));
  return [
    '# Schedules against the tutorial\'s recipe\n',
    'Compute is in step equivalents: each loss-and-gradient evaluation weighted by its pixels over the output\'s. Every ' +
      'loss is the total loss of the image at the output size. "Reached at" is the first probe at or below the recipe\'s ' +
      'final loss; a pair where it is not reached counts as the worst.\n',
    '## Spread over the pairs\n',
    spread(table, recipeOf),
    '## Per pair\n',
    perPair(presets, recipeOf),
    ...(tried
      ? ['## Schedules tried by hand, per pair\n\nThe final loss against the recipe\'s, and @ the step equivalents at which it reached the recipe\'s final loss.\n', triedTable(table, recipeOf)]
      : []),
  ].join('\n');
}

function perPair(table: readonly Row[], recipeOf: (r: Row) => Row): string {
  const lines = [
    '| pair | size | schedule | compute spent (step eq.) | final loss | vs recipe\'s final | reached the recipe\'s final loss at | compute ratio | the recipe needs for this loss | saving at this loss | wall time |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of table) {
    const recipe = recipeOf(r);
    lines.push(
      `| ${r.pair} | ${r.size} px | ${r.schedule} | ${r.spent.toFixed(0)} | ${r.final.toExponential(4)} | ` +
        `${r.schedule === 'recipe' ? '-' : signed(gapPercent(r, recipe))} | ${r.reached !== undefined ? `${r.reached.toFixed(0)} eq.` : 'not reached'} | ` +
        `${r.reached !== undefined ? `${((r.reached / recipe.spent) * 100).toFixed(0)}%` : `> ${((r.spent / recipe.spent) * 100).toFixed(0)}%`} | ` +
        `${r.schedule === 'recipe' ? '-' : r.recipeNeeds !== undefined ? `${r.recipeNeeds.toFixed(0)} eq.` : `> ${recipe.spent.toFixed(0)} eq.`} | ` +
        `${r.schedule === 'recipe' ? '-' : `${r.recipeNeeds !== undefined ? '' : '> '}${((r.recipeNeeds ?? recipe.spent) / r.spent).toFixed(1)}x`} | ${r.wallS.toFixed(0)} s |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Below this, a run is drawn as this: on the log scale a loss under the recipe's final has no place of its own. */
const FLOOR_PERCENT = 0.05;

async function chart(runs: readonly RunFile[], file: string): Promise<void> {
  // Loss as the percentage above the recipe's final: on a log scale the last few percent, where the schedules
  // differ, get as much room as the first descent.
  const values = runs.filter((r) => PRESET_ROWS.includes(r.name)).flatMap((r) => {
    const recipe = runs.find((x) => x.name === 'recipe' && x.pair === r.pair && x.size === r.size);
    if (!recipe) return [];
    return r.curve.filter((p) => p.eq >= 1).map((p) => ({
      panel: `${r.pair}, ${r.size} px`, schedule: r.name, eq: p.eq,
      above: Math.max(FLOOR_PERCENT, (p.total / recipe.final.total - 1) * 100),
    }));
  });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Total loss at the output size, % above the tutorial recipe's final loss (floor ${FLOOR_PERCENT}%), against compute`,
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null },
    columns: 3,
    spec: {
      width: 300, height: 190,
      mark: { type: 'line', strokeWidth: 1.8 },
      encoding: {
        x: { field: 'eq', type: 'quantitative', scale: { type: 'log' }, title: 'step equivalents (log)' },
        y: { field: 'above', type: 'quantitative', scale: { type: 'log' }, title: '% above the recipe\'s final loss (log)' },
        color: { field: 'schedule', type: 'nominal', sort: PRESET_ROWS },
      },
    },
    config: { background: 'white' },
  };
  // Both are ES modules only (loaded as such, outside the bundle); vega renders SVG without a canvas.
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  await sharp(Buffer.from(await view.toSVG())).png().toFile(file);
}

const label = (text: string, width: number, height: number) =>
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>` +
    `<text x="4" y="${Math.round(height / 2) + 5}" font-family="DejaVu Sans, sans-serif" font-size="13">${text}</text></svg>`);

/** Rows: schedules; columns: the picture after the same compute. */
async function contactSheet(dir: string, pair: string, size: number, file: string): Promise<boolean> {
  const cell = 200;
  const head = 22;
  const side = 90;
  const present = PRESET_ROWS.filter((s) => existsSync(path.join(dir, `${pair}-${size}-${s}.json`)));
  if (present.length < 2) return false;
  // The snapshots are not committed (.gitignore): where none were made here, the sheet in the folder is kept.
  const shot = (s: string, eq: number) => path.join(dir, `${pair}-${size}-${s}-eq${eq}.png`);
  if (!present.some((s) => SNAPSHOTS.some((eq) => existsSync(shot(s, eq))))) return false;
  const tiles: sharp.OverlayOptions[] = [];
  for (const [j, eq] of SNAPSHOTS.entries()) tiles.push({ input: label(`${eq} eq.`, cell, head), left: side + j * cell, top: 0 });
  for (const [i, s] of present.entries()) {
    tiles.push({ input: label(s, side, cell), left: 0, top: head + i * cell });
    for (const [j, eq] of SNAPSHOTS.entries()) {
      if (!existsSync(shot(s, eq))) continue;
      const input = await sharp(shot(s, eq)).resize(cell - 4, cell - 4, { fit: 'contain', background: '#ffffff' }).png().toBuffer();
      tiles.push({ input, left: side + j * cell + 2, top: head + i * cell + 2 });
    }
  }
  await sharp({ create: { width: side + SNAPSHOTS.length * cell, height: head + present.length * cell, channels: 3, background: '#ffffff' } })
    .composite(tiles).png({ palette: true }).toFile(file);
  return true;
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? 'bench/results/quality';
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.json'));
  const runs: RunFile[] = await Promise.all(files.map(async (f) => JSON.parse(await fs.readFile(path.join(dir, f), 'utf8'))));
  const table = rows(runs);
  await fs.writeFile(path.join(dir, 'quality.md'), markdown(table));
  await chart(runs, path.join(dir, 'loss-vs-compute.png'));
  const made = ['loss-vs-compute.png', 'quality.md'];
  for (const pair of new Set(runs.map((r) => r.pair))) {
    for (const size of new Set(runs.map((r) => r.size))) {
      const sheet = `contact-sheet-${pair}-${size}.png`;
      if (await contactSheet(dir, pair, size, path.join(dir, sheet))) made.push(sheet);
    }
  }
  process.stdout.write(markdown(table) + `wrote ${made.map((f) => path.join(dir, f)).join(', ')}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
