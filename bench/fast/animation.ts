// Animations by the fast method: two 100-frame 480x270 clips made here from the dog photo, a pan (2 px a frame) and
// a still shot with camera noise only (Gaussian, sigma 3 levels, each frame its own), as lossless WebP. For each:
// the whole job as the product runs it (the command line in a process of its own: seconds in all and per frame,
// peak RSS), then, in this process, the frames steadied as the job makes them beside each frame painted on its own
// (the same style vector, no steadying), in turn, every other round the other first: seconds per frame and the
// flicker ratio (mean absolute difference of consecutive output frames over that of the input frames). Last, the
// GIF encoding of the steadied noise clip with the product's palette options and with sharp's defaults: the flicker
// of the decoded GIF over that of the frames it was made from (what the palette and dithering add), and the same
// for WebP, with the time each encoding takes (the noise clip's steadied frames are all equal: a flicker in levels).
// Writes bench/results/fast/animation-<date>.json and animation.md.
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { defaultOptions, fastControlsOf, type StyleOptions } from '../../src/common/options';
import { GIF_STEADY, WEBP_ANIMATION_EFFORT } from '../../src/image/encode-animation';
import { packPixels } from '../../src/image/pixels';
import type { Raster } from '../../src/image/raster';
import { loadFastEngine } from '../../src/pipeline/engine-cache';
import { FastSession } from '../../src/pipeline/fast-session';
import { cpuBusy } from '../speed/idle';

const FRAMES = 100;
const WIDTH = 480;
const HEIGHT = 270;
const CLIPS = ['pan', 'noise'] as const;
type Clip = (typeof CLIPS)[number];
const PATHS = ['steadied', 'frame by frame'] as const;
type PathName = (typeof PATHS)[number];

interface JobOutcome {
  readonly clip: Clip;
  readonly round: number;
  readonly busyBefore: number;
  /** The job as the command line reports it (decoding, every frame, encoding; the nets' loading left out). */
  readonly jobSeconds: number;
  /** The process from start to exit. */
  readonly processSeconds: number;
  readonly peakRssMB: number;
}

interface PathOutcome {
  readonly clip: Clip;
  readonly path: PathName;
  readonly round: number;
  readonly secondsPerFrame: number;
  /** Of which in the transformer's pass. */
  readonly transformerSecondsPerFrame: number;
  readonly flickerRatio: number;
}

interface EncodingOutcome {
  readonly clip: Clip;
  readonly encoding: string;
  readonly seconds: number;
  /** The decoded output's flicker in levels, and over that of the frames encoded. */
  readonly flickerLevels: number;
  readonly flickerRatio: number;
  readonly bytes: number;
}

export interface AnimationRun {
  readonly date: string;
  readonly machine: string;
  readonly load: readonly [number, number];
  readonly jobs: readonly JobOutcome[];
  readonly paths: readonly PathOutcome[];
  readonly encodings: readonly EncodingOutcome[];
}

/** Frames of `clip` as RGBA, one after the other. */
async function makeClip(repo: string, clip: Clip): Promise<Buffer> {
  const dog = path.join(repo, 'samples/dog.jpg');
  const frames: Buffer[] = [];
  if (clip === 'pan') {
    // The dog is 700x577: a 480x270 window moving 2 px a frame, 198 px in all.
    for (let i = 0; i < FRAMES; i++) frames.push(await sharp(dog).extract({ left: 2 * i, top: 150, width: WIDTH, height: HEIGHT }).ensureAlpha().raw().toBuffer());
    return Buffer.concat(frames);
  }
  const still = await sharp(dog).extract({ left: 100, top: 150, width: WIDTH, height: HEIGHT }).ensureAlpha().raw().toBuffer();
  let seed = 7;
  const uniform = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  for (let i = 0; i < FRAMES; i++) {
    frames.push(Buffer.from(still.map((v, k) => (k % 4 === 3 ? 255 : Math.max(0, Math.min(255, Math.round(v + 3 * gaussian())))))));
  }
  return Buffer.concat(frames);
}

/** Mean absolute difference of consecutive frames (RGB of RGBA), in levels. */
function flicker(rgba: Uint8Array, frameBytes: number, frames: number): number {
  let sum = 0;
  let n = 0;
  for (let f = 1; f < frames; f++) {
    for (let k = 0; k < frameBytes; k++) {
      if (k % 4 === 3) continue;
      sum += Math.abs(rgba[f * frameBytes + k] - rgba[(f - 1) * frameBytes + k]);
      n++;
    }
  }
  return sum / n;
}

const rgbaOf = (r: Raster) => packPixels(r, new Float32Array(r.width * r.height).fill(1)).bytes;

/** The command line's whole job in a process of its own, with its peak RSS reported on exit. */
async function cliJob(dir: string, clipFile: string, style: string): Promise<Omit<JobOutcome, 'clip' | 'round' | 'busyBefore'>> {
  const preload = path.join(dir, 'peak-rss.js');
  await fs.writeFile(preload, "process.on('exit', () => process.stderr.write(`peak-rss ${process.resourceUsage().maxRSS}\\n`));\n");
  const out = path.join(dir, `out-${path.basename(clipFile)}`);
  await fs.rm(out, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', preload, path.join(__dirname, 'neural-style.js'), 'stylize', clipFile, style, '--method', 'fast', '-o', out, '-q'], { encoding: 'utf8' });
  const processSeconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`neural-style failed: ${r.stderr}`);
  const jobSeconds = Number(/in ([\d.]+) s/.exec(r.stdout)![1]);
  const peakRssMB = Number(/peak-rss (\d+)/.exec(r.stderr)![1]) / 1024;
  return { jobSeconds, processSeconds, peakRssMB };
}

/** The frames of `session` by `how`, timed, with their flicker over the input's; the steadied ones kept in `keep`. */
async function renderPath(
  session: FastSession, how: PathName, inputFlicker: number, keep?: Buffer[],
): Promise<Omit<PathOutcome, 'clip' | 'path' | 'round'>> {
  const controls = fastControlsOf(OPTIONS);
  const frameBytes = WIDTH * HEIGHT * 4;
  const out = Buffer.alloc(FRAMES * frameBytes);
  // The session's nets are the process's (engine-cache.ts): their transformer is timed from outside.
  const nets = await loadFastEngine();
  const transfer = nets.transfer;
  let transformerMs = 0;
  nets.transfer = async (...args) => {
    const t = performance.now();
    try {
      return await transfer.apply(nets, args);
    } finally {
      transformerMs += performance.now() - t;
    }
  };
  const t0 = performance.now();
  let f = 0;
  if (how === 'steadied') {
    for await (const frame of session.frames(controls)) out.set(rgbaOf(frame.image), frameBytes * f++);
  } else {
    for (; f < FRAMES; f++) out.set(rgbaOf((await session.picture(controls, f)).image), frameBytes * f);
  }
  const secondsPerFrame = (performance.now() - t0) / 1000 / FRAMES;
  nets.transfer = transfer;
  keep?.push(out);
  return { secondsPerFrame, transformerSecondsPerFrame: transformerMs / 1000 / FRAMES, flickerRatio: flicker(out, frameBytes, FRAMES) / inputFlicker };
}

const OPTIONS: StyleOptions = { ...defaultOptions(), method: 'fast' };

export async function measureAnimations(repo: string, rounds: number, log: (line: string) => void, results: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-fast-animation-'));
  const loadAtStart = os.loadavg()[0];
  const style = path.join(repo, 'samples/kandinsky.jpg');
  const jobs: JobOutcome[] = [];
  const paths: PathOutcome[] = [];
  const encodings: EncodingOutcome[] = [];
  try {
    const clips = new Map<Clip, { file: string; inputFlicker: number }>();
    for (const clip of CLIPS) {
      const rgba = await makeClip(repo, clip);
      const file = path.join(dir, `${clip}.webp`);
      await sharp(rgba, { raw: { width: WIDTH, height: HEIGHT * FRAMES, channels: 4, pageHeight: HEIGHT } })
        .webp({ lossless: true, delay: 40, loop: 0 }).toFile(file);
      clips.set(clip, { file, inputFlicker: flicker(rgba, WIDTH * HEIGHT * 4, FRAMES) });
    }
    const steadied = new Map<Clip, Buffer>();
    for (let round = 0; round < rounds; round++) {
      for (const clip of round % 2 === 0 ? CLIPS : [...CLIPS].reverse()) {
        const { file, inputFlicker } = clips.get(clip)!;
        const busyBefore = await cpuBusy(1000);
        const job = await cliJob(dir, file, style);
        jobs.push({ clip, round, busyBefore, ...job });
        log(`animation round ${round + 1}: ${clip}: job ${job.jobSeconds.toFixed(2)} s, peak ${job.peakRssMB.toFixed(0)} MB`);
        const session = await FastSession.open({
          content: { name: file, bytes: await fs.readFile(file) }, styles: [{ name: style, bytes: await fs.readFile(style) }], options: OPTIONS,
        });
        for (const how of round % 2 === 0 ? PATHS : [...PATHS].reverse()) {
          const keep: Buffer[] = [];
          const r = await renderPath(session, how, inputFlicker, keep);
          if (how === 'steadied') steadied.set(clip, keep[0]);
          paths.push({ clip, path: how, round, ...r });
          log(`animation round ${round + 1}: ${clip}, ${how}: ${r.secondsPerFrame.toFixed(3)} s/frame (transformer ${r.transformerSecondsPerFrame.toFixed(3)}), flicker ratio ${r.flickerRatio.toFixed(3)}`);
        }
      }
    }
    const kinds = [
      ['GIF, the product\'s options (GIF_STEADY)', (s: sharp.Sharp) => s.gif({ delay: 40, keepDuplicateFrames: true, ...GIF_STEADY })],
      ['GIF, sharp\'s defaults', (s: sharp.Sharp) => s.gif({ delay: 40, keepDuplicateFrames: true })],
      ['WebP, quality 92, effort 4 (libwebp\'s default)', (s: sharp.Sharp) => s.webp({ delay: 40, quality: 92 })],
      [`WebP, quality 92, effort ${WEBP_ANIMATION_EFFORT} (the product's)`, (s: sharp.Sharp) => s.webp({ delay: 40, quality: 92, effort: WEBP_ANIMATION_EFFORT })],
    ] as const;
    for (const clip of CLIPS) {
      const frames = steadied.get(clip)!;
      const raw = sharp(frames, { raw: { width: WIDTH, height: HEIGHT * FRAMES, channels: 4, pageHeight: HEIGHT } }).removeAlpha();
      const rawFlicker = flicker(frames, WIDTH * HEIGHT * 4, FRAMES);
      for (const [encoding, encode] of kinds) {
        const t0 = performance.now();
        const bytes = await encode(raw.clone()).toBuffer();
        const seconds = (performance.now() - t0) / 1000;
        const decoded = await sharp(bytes, { pages: -1 }).ensureAlpha().raw().toBuffer();
        // libwebp merges equal frames: the decoded animation may have fewer.
        const levels = flicker(decoded, WIDTH * HEIGHT * 4, decoded.length / (WIDTH * HEIGHT * 4));
        encodings.push({ clip, encoding, seconds, flickerLevels: levels, flickerRatio: levels / rawFlicker, bytes: bytes.length });
        log(`animation: ${clip}, ${encoding}: ${seconds.toFixed(2)} s, flicker ${levels.toFixed(3)} levels`);
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  const record: AnimationRun = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.type()} ${os.release()}, Node ${process.version}`,
    load: [loadAtStart, os.loadavg()[0]],
    jobs, paths, encodings,
  };
  await fs.mkdir(results, { recursive: true });
  await fs.writeFile(path.join(results, `animation-${record.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(record, null, 1)}\n`);
  const md = animationMarkdown(record, rounds);
  await fs.writeFile(path.join(results, 'animation.md'), md);
  return md;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The frames an encoding was made from flickered this much (levels): under a hundredth, a ratio to it means nothing. */
const ownFlicker = (e: EncodingOutcome) => (e.flickerLevels === 0 ? 0 : e.flickerLevels / e.flickerRatio);

export function animationMarkdown(r: AnimationRun, rounds: number): string {
  const lines = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine}; load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end.`,
    '',
    '### Animations',
    '',
    `Two clips of ${FRAMES} frames of ${WIDTH}x${HEIGHT} made from the dog photo (lossless WebP): a pan of 2 px a frame, and one still shot with ` +
      'camera noise only (Gaussian, sigma 3 levels, every frame its own); style: Kandinsky, the default options (strength 1). ' +
      `${rounds} rounds, medians. The job: \`neural-style stylize CLIP STYLE --method fast -o OUT.webp\` in a process of its own ` +
      '(the job\'s time as it reports it, from decoding to the encoded animation; the process\'s, with Node and the nets\' loading). ' +
      'Per frame: the frames steadied as the job makes them, and each frame painted on its own (the same style vector), in this process. ' +
      'Flicker ratio: the mean absolute difference of consecutive output frames over that of the input frames. ' +
      `Other programs kept the cores busy ${r.jobs.map((j) => `${(j.busyBefore * 100).toFixed(0)}%`).join(', ')} in the second before each job.`,
    '',
    '| clip | job | per frame (job) | process | peak RSS | steadied: s/frame (transformer) | steadied: flicker ratio | frame by frame: s/frame (transformer) | frame by frame: flicker ratio | flicker, steadied / frame by frame |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const clip of CLIPS) {
    const jobs = r.jobs.filter((j) => j.clip === clip);
    const of = (how: PathName) => r.paths.filter((p) => p.clip === clip && p.path === how);
    const [s, f] = [of('steadied'), of('frame by frame')];
    const job = median(jobs.map((j) => j.jobSeconds));
    const ratio = (xs: PathOutcome[]) => median(xs.map((x) => x.flickerRatio));
    const perFrame = (xs: PathOutcome[]) => `${median(xs.map((x) => x.secondsPerFrame)).toFixed(3)} s (${median(xs.map((x) => x.transformerSecondsPerFrame)).toFixed(3)} s)`;
    lines.push(
      `| ${clip} | ${job.toFixed(2)} s | ${(job / FRAMES).toFixed(3)} s | ${median(jobs.map((j) => j.processSeconds)).toFixed(2)} s | ` +
        `${(Math.max(...jobs.map((j) => j.peakRssMB)) / 1024).toFixed(2)} GB | ${perFrame(s)} | ` +
        `${ratio(s).toFixed(3)} | ${perFrame(f)} | ${ratio(f).toFixed(3)} | ${(ratio(s) / ratio(f)).toFixed(2)} |`,
    );
  }
  const noise = (how: PathName) => median(r.paths.filter((p) => p.clip === 'noise' && p.path === how).map((p) => p.flickerRatio));
  const worstJob = Math.max(...CLIPS.map((c) => median(r.jobs.filter((j) => j.clip === c).map((j) => j.jobSeconds))));
  const peak = Math.max(...r.jobs.map((j) => j.peakRssMB)) / 1024;
  const yes = (ok: boolean) => (ok ? 'yes' : 'no');
  lines.push(
    '',
    '| target | measured | met |',
    '|---|---:|---|',
    `| ${FRAMES} frames in at most 6 s (the job, two cores) | ${worstJob.toFixed(2)} s | ${yes(worstJob <= 6)} |`,
    `| peak RSS under 1 GB | ${peak.toFixed(2)} GB | ${yes(peak < 1)} |`,
    `| noise clip: flicker ratio at most half the frame-by-frame one | ${(noise('steadied') / noise('frame by frame')).toFixed(2)} | ${yes(noise('steadied') <= noise('frame by frame') / 2)} |`,
    '',
    'The steadied frames encoded (in this process, once): the flicker of the decoded animation over that of the frames it was made from ' +
      '(what the palette, dithering or compression add; the noise clip\'s steadied frames are all but equal, so its flicker is only in levels), ' +
      'and the time the encoding takes. "Frame by frame" decodes each frame alone (a seek into the clip), which its time includes.',
    '',
    '| clip | encoding | seconds | flicker of the decoded frames | over the encoded frames\' | size |',
    '|---|---|---:|---:|---:|---:|',
    ...r.encodings.map((e) => `| ${e.clip} | ${e.encoding} | ${e.seconds.toFixed(2)} s | ${e.flickerLevels.toFixed(3)} levels | ` +
      `${ownFlicker(e) < 0.01 ? '-' : e.flickerRatio.toFixed(2)} | ${(e.bytes / 2 ** 20).toFixed(2)} MB |`),
    '',
  );
  return lines.join('\n');
}
