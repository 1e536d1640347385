// The speed benchmark: every backend that loads here and the peers (PyTorch and TensorFlow as a user would run
// the same step, see protocol.ts) doing exactly the same work, alternated in one run on the same weights and
// sizes; then the onnx evaluator's memory over many steps. Writes bench/results/speed/: a JSON record per run, the
// chart and the Markdown tables of the latest run.
// usage: npm run bench   (BENCH_ROUNDS=3, BENCH_SIZES=256,512,1024, BENCH_GROWTH_STEPS=1000,
//                          BENCH_ENGINES=onnx,pytorch-eager,...: some engines only (default: all),
//                          BENCH_STEPS=2: at most this many timed steps per child, for a busy machine,
//                          BENCH_IDLE_WAIT_S=600: how long to wait for other programs to leave the cores idle)
//        node out/bench/speed-run.js --render <record.json>   redraws the table and chart of a recorded run
import { spawn } from 'child_process';
import { promises as fs, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveOptions } from '../../src/common/options';
import { planOptimization } from '../../src/engine/plan';
import { seededRandom } from '../../src/engine/random';
import { randomVggWeights, writeKerasWeights } from '../../test/helpers/random-vgg-weights';
import { renderChart } from './chart';
import { ENGINES, isPeer, type EngineName, type Job, type Outcome } from './protocol';
import { markdown, summarize, type BenchRun, type Machine } from './report';
import { waitForIdle } from './idle';
import { ensurePeers, PEER_PYTHON } from './setup';

const REPO = path.resolve(__dirname, '../..');
const RESULTS = path.join(REPO, 'bench/results/speed');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '256,512,1024').split(',').map(Number);
const CHOSEN = process.env.BENCH_ENGINES?.split(',') ?? ENGINES;
const RUN_ENGINES = ENGINES.filter((e) => CHOSEN.includes(e));
const GROWTH_STEPS = Number(process.env.BENCH_GROWTH_STEPS ?? 1000);
const MAX_STEPS = Number(process.env.BENCH_STEPS ?? 5);
const GROWTH_SIZE = 256;
const IDLE_WAIT_MS = Number(process.env.BENCH_IDLE_WAIT_S ?? 600) * 1000;
/** Busy share of all cores (over 3 s) under which the machine counts as idle. */
const IDLE_BELOW = 0.15;

/** Timed steps per child process and round (after one warm-up step): fewer where a step takes long. */
function stepsFor(engine: EngineName, size: number): number {
  const perStep = engine === 'wasm' ? { 128: 3, 256: 10, 512: 27 } : { 128: 0.3, 256: 1, 512: 4, 1024: 16 };
  const seconds = perStep[size as keyof typeof perStep] ?? 30;
  return Math.max(1, Math.min(MAX_STEPS, Math.round(12 / seconds)));
}

/** Why an engine does not run at a size, if it does not (known limits, not failures). */
function limit(engine: EngineName, size: number): string | undefined {
  // ~10 KB per pixel for this graph against a 4 GB heap: 640x640 is its ceiling (see docs/backends.md).
  if (engine === 'wasm' && size > 640) return 'the wasm heap (4 GB) cannot hold it';
  return undefined;
}

function tutorialProblem(): Job['problem'] {
  return planOptimization(resolveOptions({ preset: 'tutorial' }), { name: 'content', width: 512, height: 512 }, []).loss;
}

function runChild(job: Job): Promise<Outcome> {
  const script = job.engine.startsWith('pytorch') ? 'torch_peer.py' : 'tf_peer.py';
  const [command, args] = isPeer(job.engine)
    ? [PEER_PYTHON, [path.join(REPO, 'bench/speed', script)]]
    : [process.execPath, [path.join(__dirname, 'speed-engine.js')]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Outcome);
      } else {
        const why = signal ? `killed by ${signal}` : stderr.trim().split('\n').slice(-3).join(' / ');
        resolve({ engine: job.engine, skipped: `failed at ${job.size} px: ${why}` });
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

async function writeImages(dir: string, size: number): Promise<Job['images']> {
  const r = seededRandom(size);
  const images = { style: '', content: '', start: '' };
  for (const name of ['style', 'content', 'start'] as const) {
    images[name] = path.join(dir, `${name}-${size}.f32`);
    await fs.writeFile(images[name], Float32Array.from({ length: size * size * 3 }, () => r()));
  }
  return images;
}

function machine(): Machine {
  let simd = 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    simd = ['avx512f', 'avx2'].find((f) => new RegExp(`\\b${f}\\b`).test(info)) ?? 'no AVX2';
  } catch {
    // Not Linux: the CPU model says enough.
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    simd,
    cores: os.availableParallelism(),
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

/** The latest run's table (for the README) and chart, from its record. */
async function render(record: BenchRun): Promise<void> {
  const summary = summarize(record);
  await fs.writeFile(path.join(RESULTS, 'speed.md'), markdown(record, summary));
  await fs.writeFile(path.join(RESULTS, 'speed.png'), await renderChart(record, summary));
  process.stdout.write(markdown(record, summary));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--render') {
    await render(JSON.parse(await fs.readFile(process.argv[3], 'utf8')) as BenchRun);
    return;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const peersMissing = RUN_ENGINES.some(isPeer) ? await ensurePeers(log) : undefined;
  if (peersMissing) log(`the peers are skipped: ${peersMissing}`);

  const loadAtStart = os.loadavg()[0];
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-bench-'));
  try {
    const weights = path.join(tmp, 'vgg19-random.h5');
    const problem = tutorialProblem();
    const deepest = problem.content[0].layer;
    await writeKerasWeights(weights, randomVggWeights(2024, deepest));
    const images = new Map<number, Job['images']>();
    for (const size of new Set([...SIZES, GROWTH_SIZE])) images.set(size, await writeImages(tmp, size));
    const job = (engine: EngineName, size: number, steps: number, extra: Partial<Job> = {}): Job => ({
      engine, size, steps, warmup: 1, threads: os.availableParallelism(), weights, images: images.get(size)!, problem, ...extra,
    });

    const outcomes: Array<BenchRun['outcomes'][number]> = [];
    const skipped = new Map<EngineName, string>();
    if (peersMissing) for (const peer of RUN_ENGINES.filter(isPeer)) skipped.set(peer, peersMissing);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [s, size] of SIZES.entries()) {
        // A different engine goes first at every size and round, so none always runs after the same neighbour.
        const order = RUN_ENGINES.map((_, i) => RUN_ENGINES[(i + round + s) % RUN_ENGINES.length]);
        for (const engine of order) {
          if (skipped.has(engine)) continue;
          const why = limit(engine, size);
          if (why) {
            if (round === 0) outcomes.push({ round, size, busyBefore: 0, outcome: { engine, skipped: why } });
            continue;
          }
          const busyBefore = await waitForIdle(IDLE_BELOW, IDLE_WAIT_MS, (busy) =>
            log(`waiting for other programs to leave the cores idle (${(busy * 100).toFixed(0)}% busy)`),
          );
          const outcome = await runChild(job(engine, size, stepsFor(engine, size)));
          outcomes.push({ round, size, busyBefore, outcome });
          if ('skipped' in outcome) {
            log(`round ${round + 1}/${ROUNDS} ${size} px ${engine}: ${outcome.skipped}`);
            // An engine that cannot load is left out from then on; one that fails at a size only there.
            if (!outcome.skipped.startsWith('failed')) skipped.set(engine, outcome.skipped);
          } else {
            const median = [...outcome.stepMs].sort((a, b) => a - b)[outcome.stepMs.length >> 1];
            log(`round ${round + 1}/${ROUNDS} ${size} px ${engine}: ${(median / 1000).toFixed(2)} s/step, peak ${outcome.peakRssMB.toFixed(0)} MB`);
          }
        }
      }
    }

    log(`onnx at ${GROWTH_SIZE} px: ${GROWTH_STEPS} steps for memory growth`);
    const growth = await runChild(job('onnx', GROWTH_SIZE, GROWTH_STEPS, { warmup: 0, sampleEvery: 25 }));

    const record: BenchRun = {
      date: new Date().toISOString(),
      machine: machine(),
      rounds: ROUNDS,
      load: [loadAtStart, os.loadavg()[0]],
      problem,
      deepest,
      outcomes,
      skipped: Object.fromEntries(skipped),
      growthSize: GROWTH_SIZE,
      growth,
    };
    await fs.mkdir(RESULTS, { recursive: true });
    await fs.writeFile(path.join(RESULTS, `speed-${record.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(record, null, 1)}\n`);
    await render(record);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
