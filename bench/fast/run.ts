// The fast-mode benchmark, in three parts. First what a panel's controls cost as the product renders them (studio.ts:
// a change through the extension's FastStudio and the real worker process, to the encoded picture back), beside
// the path the panel took before (a whole fast job per change). Then the engine alone: Magenta's two nets on
// onnxruntime at 384 to 4096x3072 px with 1 and 2 threads, and native TFLite (tflite_peer.py, in the peers' virtual
// environment, see bench/speed/setup.ts) on the same sizes and threads as the peer. Every engine configuration runs in its own process, so that its peak RSS is its own; the rounds go
// through the configurations in turn, each round in another order, so that other programs' load spreads over all of
// them. It ends with the style gallery at once (sheet.ts): the CLI's sheet and the extension's grid. Writes
// bench/results/fast/: a JSON record per run and the Markdown tables of the latest.
// Then animations (animation.ts, its own record and table).
// usage: npm run bench:fast   (BENCH_FAST_ROUNDS=3, BENCH_FAST_ONLY=sheet or nets)
//        node out/bench/fast-run.js --studio   the panel's part only
//        node bench/fast/build.mjs && node out/bench/fast-run.js --animation   the animations' part only
//        node out/bench/fast-run.js --render <record.json>...   writes the tables of recorded runs again (oldest first)
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cpuBusy } from '../speed/idle';
import { ensurePeers, PEER_PYTHON } from '../speed/setup';
import type { FastJob, FastOutcome } from './protocol';
import { markdown, sheetMarkdown, type FastRun } from './report';
import { measureAnimations } from './animation';
import { measureSheet } from './sheet';
import { measureStudio } from './studio';

const REPO = path.resolve(__dirname, '../..');
const RESULTS = path.join(REPO, 'bench/results/fast');
const ROUNDS = Number(process.env.BENCH_FAST_ROUNDS ?? 3);
/** BENCH_FAST_ONLY=sheet: the gallery's sheet and grid only (bench/fast/sheet.ts), not the nets at every size. */
const ONLY_SHEET = process.env.BENCH_FAST_ONLY === 'sheet';
/** BENCH_FAST_ONLY=nets: the nets beside native TFLite only (render with an earlier record for the other parts). */
const ONLY_NETS = process.env.BENCH_FAST_ONLY === 'nets';

const SIZES: ReadonlyArray<readonly [width: number, height: number, runs: number]> = [
  [384, 384, 5],
  [512, 512, 5],
  [1024, 1024, 3],
  [2048, 1536, 2],
];
const ENGINE_JOBS: readonly FastJob[] = (['onnx', 'tflite'] as const).flatMap((engine) =>
  [1, 2].flatMap((threads) => SIZES.map(([width, height, runs]) => ({ engine, threads, width, height, runs }))),
);
/** The largest size, for its memory: once, it takes a minute. */
const ONCE: FastJob = { engine: 'onnx', threads: 2, width: 4096, height: 3072, runs: 1 };

/** One configuration in a child process of its own (synchronously: nothing else may run meanwhile). */
function runChild(job: FastJob): FastOutcome {
  const [command, script] =
    job.engine === 'onnx' ? [process.execPath, path.join(__dirname, 'fast-onnx.js')] : [PEER_PYTHON, path.join(REPO, 'bench/fast/tflite_peer.py')];
  const r = spawnSync(command, [script], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status === 0) return JSON.parse(r.stdout.trim().split('\n').pop()!) as FastOutcome;
  return { job, skipped: r.signal ? `killed by ${r.signal}` : r.stderr.trim().split('\n').slice(-3).join(' / ') };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--render') {
    // Several records: a run of one part shown beside the other parts of earlier ones; the nets of the last record
    // that has them only (an earlier run's nets were measured against another peer).
    const records = await Promise.all(process.argv.slice(3).map(async (file) => JSON.parse(await fs.readFile(file, 'utf8')) as FastRun));
    const latest = records.map((r, i) => (records.slice(i + 1).some((later) => later.outcomes.length > 0) ? { ...r, outcomes: [] } : r));
    await fs.writeFile(path.join(RESULTS, 'fast.md'), latest.map(markdown).join('\n'));
    return;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const animationOnly = process.argv.includes('--animation');
  if (animationOnly || (!ONLY_SHEET && !ONLY_NETS && !process.argv.includes('--studio'))) {
    process.stdout.write(await measureAnimations(REPO, ROUNDS, log, RESULTS));
    if (animationOnly) return;
  }
  const loadAtStart = os.loadavg()[0];
  const studio = ONLY_SHEET || ONLY_NETS ? undefined : await measureStudio(REPO, log);
  const outcomes: Array<FastRun['outcomes'][number]> = [];
  const measure = async (round: number, job: FastJob) => {
    const busyBefore = await cpuBusy(1000);
    const outcome = runChild(job);
    outcomes.push({ round, busyBefore, outcome });
    const what = `${job.engine} ${job.threads}t ${job.width}x${job.height}`;
    if ('skipped' in outcome) log(`round ${round + 1}: ${what}: ${outcome.skipped}`);
    else log(`round ${round + 1}: ${what}: transformer ${outcome.transformerMs.map((ms) => ms.toFixed(0)).join(', ')} ms, peak ${outcome.peakRssMB.toFixed(0)} MB`);
  };
  const engine = !process.argv.includes('--studio') && !ONLY_SHEET;
  const peersMissing = engine ? await ensurePeers(log) : undefined;
  if (peersMissing) log(`native TFLite is skipped: ${peersMissing}`);
  const EVERY_ROUND = ENGINE_JOBS.filter((job) => job.engine === 'onnx' || !peersMissing);
  for (let round = 0; engine && round < ROUNDS; round++) {
    // Each round starts elsewhere, every other one backwards, so that no configuration always follows the same one.
    const order = EVERY_ROUND.map((_, i) => EVERY_ROUND[(i + 4 * round) % EVERY_ROUND.length]);
    for (const job of round % 2 === 0 ? order : order.reverse()) await measure(round, job);
  }
  if (engine) await measure(0, ONCE);
  const sheet = process.argv.includes('--studio') || ONLY_NETS ? undefined : await measureSheet(ROUNDS, log);
  if (ONLY_SHEET && sheet) {
    process.stdout.write(sheetMarkdown(sheet));
    return;
  }
  const record: FastRun = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.type()} ${os.release()}, Node ${process.version}`,
    rounds: ROUNDS,
    load: [loadAtStart, os.loadavg()[0]],
    studio,
    outcomes,
    sheet,
  };
  await fs.mkdir(RESULTS, { recursive: true });
  await fs.writeFile(path.join(RESULTS, `fast-${record.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(record, null, 1)}\n`);
  await fs.writeFile(path.join(RESULTS, 'fast.md'), markdown(record));
  process.stdout.write(markdown(record));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
