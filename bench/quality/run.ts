// `npm run bench:quality`: the tutorial's recipe and each preset on every pair at 256 px and on three of them at
// 512 px, with the real block1-3 weights, then the report. Long (the recipe is 1000 steps: 1.5-2 min at 256 px, 6 min
// at 512 on two idle cores), so a result already in the folder is kept while it was measured with the options its
// schedule resolves to now; an engine change that moves the loss needs --force. --dry-run lists the runs it would
// make and stops.
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { isDeepStrictEqual } from 'util';
import { LARGE_PAIRS, PAIRS, SCHEDULES, benchOptions } from './pairs';

const dir = 'bench/results/quality';
const force = process.argv.includes('--force');
const dryRun = process.argv.includes('--dry-run');

function run(args: string[]): void {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Options newer than the run are not compared: each arrived with a value that keeps what ran before it. */
function current(file: string, size: number, schedule: string): boolean {
  if (!existsSync(file)) return false;
  const measured: Record<string, unknown> = JSON.parse(readFileSync(file, 'utf8')).options;
  const now: Record<string, unknown> = benchOptions(size, SCHEDULES[schedule]);
  return Object.entries(measured).every(([k, v]) => isDeepStrictEqual(v, now[k]));
}

// "best" costs half the recipe, so it comes last at each size: the default's figures arrive first.
const first = Object.keys(SCHEDULES).filter((s) => s !== 'best');
for (const [size, pairs] of [[256, Object.keys(PAIRS)], [512, LARGE_PAIRS]] as const) {
  for (const schedules of [first, ['best']]) {
    for (const pair of pairs) {
      for (const schedule of schedules) {
        if (!force && current(`${dir}/${pair}-${size}-${schedule}.json`, size, schedule)) continue;
        const args = ['out/bench/quality-measure.js', pair, String(size), schedule, JSON.stringify(SCHEDULES[schedule]), dir];
        if (dryRun) console.log(`would run: node ${args.join(' ')}`);
        else run(args);
      }
    }
  }
}
if (!dryRun) run(['out/bench/quality-report.js', dir]);
