// `npm run bench:quality`: the tutorial's recipe and each schedule (preset) on two content/style pairs at 256 and
// 512 px with the real block1-3 weights, then the report (table, chart, contact sheets). Long: the recipe is 1000
// steps at each size, so runs already in bench/results/quality/ are kept unless --force.
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';

const dir = 'bench/results/quality';
const force = process.argv.includes('--force');
const run = (args) => {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['bench/quality/build.mjs']);
// "best" costs as much as the recipe, so it comes last at each size: the default's figures arrive first.
for (const size of [256, 512]) {
  for (const schedules of [['recipe', 'quick', 'balanced'], ['best']]) {
    for (const pair of ['dog-kandinsky', 'bridge-starry']) {
      for (const schedule of schedules) {
        if (!force && existsSync(`${dir}/${pair}-${size}-${schedule}.json`)) continue;
        const options = schedule === 'recipe' ? { preset: 'tutorial', maxSize: size } : { preset: schedule };
        run(['out/bench/quality-measure.js', pair, String(size), schedule, JSON.stringify(options), dir]);
      }
    }
  }
}
run(['out/bench/quality-report.js', dir]);
