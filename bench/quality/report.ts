// Reads the runs measure.ts wrote and makes the quality report: a table of compute ratios against the tutorial's
// recipe, a chart of loss against compute, and contact sheets of the pictures at equal compute.
// usage: node out/bench/quality-report.js [dir]
import { existsSync, promises as fs } from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { CurvePoint } from './measure';

interface RunFile {
  readonly pair: string;
  readonly size: number;
  readonly name: string;
  readonly final: { total: number };
  readonly curve: CurvePoint[];
}

/** The order schedules are shown in: the reference first. */
const SCHEDULES = ['recipe', 'quick', 'balanced', 'best'];
const SNAPSHOTS = [50, 100, 200, 400, 1000];

export interface Row {
  readonly pair: string;
  readonly size: number;
  readonly schedule: string;
  readonly spent: number;
  readonly final: number;
  /** Step equivalents at which the run first reached the recipe's final loss, if it did. */
  readonly reached?: number;
  /** Step equivalents the recipe spent to first get as low as this run's final loss, if it did. */
  readonly recipeNeeds?: number;
  readonly wallS: number;
}

export function rows(runs: readonly RunFile[]): Row[] {
  const out: Row[] = [];
  for (const recipe of runs.filter((r) => r.name === 'recipe')) {
    for (const r of runs.filter((x) => x.pair === recipe.pair && x.size === recipe.size)) {
      const last = r.curve[r.curve.length - 1];
      out.push({
        pair: r.pair, size: r.size, schedule: r.name, spent: last.eq, final: r.final.total,
        reached: r.curve.find((p) => p.total <= recipe.final.total)?.eq,
        recipeNeeds: recipe.curve.find((p) => p.total <= r.final.total)?.eq, wallS: last.wallMs / 1000,
      });
    }
  }
  return out.sort((a, b) => a.pair.localeCompare(b.pair) || a.size - b.size || SCHEDULES.indexOf(a.schedule) - SCHEDULES.indexOf(b.schedule));
}

function markdown(table: readonly Row[]): string {
  const recipeOf = (r: Row) => table.find((x) => x.pair === r.pair && x.size === r.size && x.schedule === 'recipe')!;
  const lines = [
    '| pair | size | schedule | compute spent (step eq.) | final loss | vs recipe\'s final | reached the recipe\'s final loss at | compute ratio | the recipe needs for this loss | saving at this loss | wall time |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of table) {
    const recipe = recipeOf(r);
    const gap = ((r.final / recipe.final - 1) * 100).toFixed(2);
    lines.push(
      `| ${r.pair} | ${r.size} px | ${r.schedule} | ${r.spent.toFixed(0)} | ${r.final.toExponential(4)} | ` +
        `${r.schedule === 'recipe' ? '-' : `${Number(gap) > 0 ? '+' : ''}${gap}%`} | ${r.reached !== undefined ? `${r.reached.toFixed(0)} eq.` : 'not reached'} | ` +
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
  const values = runs.flatMap((r) => {
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
    columns: 2,
    spec: {
      width: 420, height: 260,
      mark: { type: 'line', strokeWidth: 1.8 },
      encoding: {
        x: { field: 'eq', type: 'quantitative', scale: { type: 'log' }, title: 'step equivalents (log)' },
        y: { field: 'above', type: 'quantitative', scale: { type: 'log' }, title: '% above the recipe\'s final loss (log)' },
        color: { field: 'schedule', type: 'nominal', sort: SCHEDULES },
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
  const present = SCHEDULES.filter((s) => existsSync(path.join(dir, `${pair}-${size}-${s}.json`)));
  if (present.length < 2) return false;
  const tiles: sharp.OverlayOptions[] = [];
  for (const [j, eq] of SNAPSHOTS.entries()) tiles.push({ input: label(`${eq} eq.`, cell, head), left: side + j * cell, top: 0 });
  for (const [i, s] of present.entries()) {
    tiles.push({ input: label(s, side, cell), left: 0, top: head + i * cell });
    for (const [j, eq] of SNAPSHOTS.entries()) {
      const shot = path.join(dir, `${pair}-${size}-${s}-eq${eq}.png`);
      if (!existsSync(shot)) continue;
      const input = await sharp(shot).resize(cell - 4, cell - 4, { fit: 'contain', background: '#ffffff' }).png().toBuffer();
      tiles.push({ input, left: side + j * cell + 2, top: head + i * cell + 2 });
    }
  }
  await sharp({ create: { width: side + SNAPSHOTS.length * cell, height: head + present.length * cell, channels: 3, background: '#ffffff' } })
    .composite(tiles).png().toFile(file);
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
