// `npm run bench:quality`: the tutorial's recipe and each preset on every pair at 256 px and on three of them at
// 512 px, with the real block1-3 weights, then the report. Long (the recipe is 1000 steps: 1.5-2 min at 256 px, 6 min
// at 512 on two idle cores), so a result already in the folder is kept while it was measured with the options its
// schedule resolves to now; an engine change that moves the loss needs --force. --dry-run lists the runs it would
// make and stops; --coarse-to-fine also runs the coarse-to-fine candidates (pairs.ts), after the presets.
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { isDeepStrictEqual } from 'util';
import { COARSE_TO_FINE, LARGE_PAIRS, PAIRS, SCHEDULES, benchOptions, coarseToFine } from './pairs';

const dir = 'bench/results/quality';
const force = process.argv.includes('--force');
const dryRun = process.argv.includes('--dry-run');
const candidates = process.argv.includes('--coarse-to-fine') ? Object.keys(COARSE_TO_FINE) : [];

/** What measure.ts is given for a schedule at a size: a preset's options, or a candidate's with its steps per scale. */
const given = (schedule: string, size: number) =>
  schedule in COARSE_TO_FINE ? coarseToFine(size, COARSE_TO_FINE[schedule]) : SCHEDULES[schedule];

function run(args: string[]): void {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * Options newer than the run are not compared: each arrived with a value that keeps what ran before it. A candidate's
 * steps per scale are compared with the stages it ran.
 */
function current(file: string, size: number, schedule: string): boolean {
  if (!existsSync(file)) return false;
  const run = JSON.parse(readFileSync(file, 'utf8'));
  const { stageSteps, ...options } = given(schedule, size) as ReturnType<typeof given> & { stageSteps?: number[] };
  const now: Record<string, unknown> = benchOptions(size, options);
  const sameStages = !stageSteps || isDeepStrictEqual(run.stages.map((s: { steps: number }) => s.steps), stageSteps.filter((n) => n > 0));
  return sameStages && Object.entries(run.options as Record<string, unknown>).every(([k, v]) => isDeepStrictEqual(v, now[k]));
}

// "best" costs half the recipe, so it comes last at each size: the default's figures arrive first.
const first = Object.keys(SCHEDULES).filter((s) => s !== 'best');
for (const [size, pairs] of [[256, Object.keys(PAIRS)], [512, LARGE_PAIRS]] as const) {
  for (const schedules of [first, ['best'], candidates]) {
    for (const pair of pairs) {
      for (const schedule of schedules) {
        if (!force && current(`${dir}/${pair}-${size}-${schedule}.json`, size, schedule)) continue;
        const args = ['out/bench/quality-measure.js', pair, String(size), schedule, JSON.stringify(given(schedule, size)), dir];
        if (dryRun) console.log(`would run: node ${args.join(' ')}`);
        else run(args);
      }
    }
  }
}
if (!dryRun) run(['out/bench/quality-report.js', dir]);
