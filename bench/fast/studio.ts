// What a fast panel's control costs as the product does it: a change handed to the extension's FastStudio, rendered
// by the worker process from the job's session (through the real WorkerClient, over IPC) and encoded, until the
// picture is back on the extension's side; and, in the same run, the path the panel took before: a whole fast job
// per change (both images sent again, decoded, both nets, a PNG).
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL, fileURLToPath } from 'url';
import sharp from 'sharp';
import { defaultOptions, type FastControlOptions, type StyleOptions } from '../../src/common/options';
import { FastStudio, type StudioPicture } from '../../src/extension/fast-studio';
import { RestoredJob } from '../../src/extension/job';
import { WorkerClient } from '../../src/extension/worker-client';
import type { Resource } from '../../src/protocol/messages';
import { cpuBusy } from '../speed/idle';

/** One kind of change, as a panel makes it, measured `CHANGES` times in a row. */
export const CHANGE_KINDS = ['strength, dragged', 'strength, let go', 'stroke size, dragged', 'colours', 'brush, painting', 'whole job per change (before)'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGES = 20;

export interface StudioSize {
  readonly width: number;
  readonly height: number;
  /** Share of the cores other programs kept busy in the second before this size was measured. */
  readonly busyBefore: number;
  /** Milliseconds from each change to its picture, by kind. */
  readonly ms: Record<ChangeKind, number[]>;
  /** The encoded pictures' sizes in bytes, by kind (the last change's). */
  readonly bytes: Record<ChangeKind, number>;
}

/** The sizes measured: 4:3 pictures (the dog, cropped and resized), by their longer side. */
export const STUDIO_SIZES = [512, 1024, 2048] as const;

const read = async (r: Resource) => ({ name: r.name, bytes: await fs.readFile(fileURLToPath(r.uri)) });

export async function measureStudio(repo: string, log: (line: string) => void): Promise<StudioSize[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-fast-studio-'));
  const worker = new WorkerClient({ script: path.join(repo, 'dist/worker.js'), idleMs: 600_000, cancelGraceMs: 20_000, log: () => {} });
  try {
    const style = path.join(repo, 'samples/kandinsky.jpg');
    const results: StudioSize[] = [];
    for (const side of STUDIO_SIZES) {
      const [width, height] = [side, (side * 3) / 4];
      const content = path.join(dir, `dog-${width}x${height}.png`);
      // The dog is 700x577: its middle 700x525 is 4:3.
      await sharp(path.join(repo, 'samples/dog.jpg')).extract({ left: 0, top: 26, width: 700, height: 525 }).resize(width, height).png().toFile(content);
      const busyBefore = await cpuBusy(1000);
      results.push({ width, height, busyBefore, ...(await measureSize(worker, content, style, side, log)) });
    }
    return results;
  } finally {
    await worker.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function measureSize(worker: WorkerClient, contentFile: string, styleFile: string, side: number, log: (line: string) => void) {
  const resource = (file: string): Resource => ({ name: path.basename(file), uri: pathToFileURL(file).toString() });
  const options: StyleOptions = { ...defaultOptions(), method: 'fast', maxSize: side };
  const jobId = `bench-${side}`;
  const [content, style] = await Promise.all([read(resource(contentFile)), read(resource(styleFile))]);
  const run = { type: 'run' as const, content, styles: [style], weightsPath: '', format: 'png' as const, previewSize: 64 };
  // The job as the panel's first picture makes it, which leaves its session in the worker.
  const first = await worker.run({ ...run, jobId, options, keepSession: true }, () => {});
  if (first.type !== 'result') throw new Error(`the fast job failed: ${first.message}`);
  const job = new RestoredJob(jobId, resource(contentFile), [resource(styleFile)], options);
  job.status = 'done';
  const studio = new FastStudio(job, { worker, read }, first.result);
  let seq = 0;
  const pictures = new Map<number, { resolve: (p: StudioPicture) => void; reject: (e: Error) => void }>();
  job.onEvent((e) => {
    if (e.kind === 'rendered') pictures.get(e.picture.seq)?.resolve(e.picture);
    if (e.kind === 'status' && job.message?.startsWith('Could not')) for (const p of pictures.values()) p.reject(new Error(job.message));
  });
  /** Milliseconds from a change to its picture, and the picture's size. */
  const timed = async (change: () => void): Promise<{ ms: number; bytes: number }> => {
    const shown = new Promise<StudioPicture>((resolve, reject) => pictures.set(seq + 1, { resolve, reject }));
    const t0 = performance.now();
    change();
    const picture = await shown;
    pictures.delete(picture.seq);
    return { ms: performance.now() - t0, bytes: picture.bytes.length };
  };
  const controls = (c: Partial<FastControlOptions>, final: boolean) => () => studio.change(++seq, c, final);
  const strength = (i: number) => 0.05 + (0.9 * i) / (CHANGES - 1);
  // Stroke sizes across the slider's range (down to where a 2048 px picture may still be painted).
  const stroke = (i: number) => Math.round(2 ** (-0.9 + (1.9 * i) / (CHANGES - 1)) * 100) / 100;
  const colours = ['luminance', 'histogram', 'style'] as const;
  const { width, height } = studio.size;
  /** A disc growing from the middle, as a brush stroke paints more and more of the mask black. */
  const disc = (i: number) => {
    const bytes = new Uint8Array(width * height).fill(255);
    const r = ((i + 1) / CHANGES) * (height / 2);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x - width / 2) ** 2 + (y - height / 2) ** 2 < r * r) bytes[y * width + x] = 0;
    return { width, height, bytes };
  };
  const kinds: Record<ChangeKind, (i: number) => () => void | Promise<void>> = {
    'strength, dragged': (i) => controls({ styleStrength: strength(i) }, false),
    'strength, let go': (i) => controls({ styleStrength: strength(i) }, true),
    'stroke size, dragged': (i) => controls({ styleStrength: 1, styleScale: stroke(i) }, false),
    colours: (i) => controls({ styleScale: 1, colors: colours[i % 3] }, false),
    'brush, painting': (i) => {
      const mask = disc(i);
      return () => studio.paint(++seq, mask, false);
    },
    'whole job per change (before)': () => () => {},
  };
  const ms = {} as Record<ChangeKind, number[]>;
  const bytes = {} as Record<ChangeKind, number>;
  for (const kind of CHANGE_KINDS) {
    ms[kind] = [];
    // One untimed change first: the first of a kind pays for its allocations (and histogram colours' vectors).
    for (let i = -1; i < CHANGES; i++) {
      let r: { ms: number; bytes: number };
      if (kind === 'whole job per change (before)') {
        const t0 = performance.now();
        const end = await worker.run({ ...run, jobId: `${jobId}/whole-${i}`, options: { ...options, styleStrength: strength(Math.max(0, i)) } }, () => {});
        if (end.type !== 'result') throw new Error(end.message);
        r = { ms: performance.now() - t0, bytes: end.result.bytes.length };
      } else {
        r = await timed(kinds[kind](Math.max(0, i)) as () => void);
      }
      if (i >= 0) ms[kind].push(r.ms);
      bytes[kind] = r.bytes;
    }
    const sorted = [...ms[kind]].sort((a, b) => a - b);
    log(`${width}x${height} ${kind}: median ${sorted[CHANGES / 2].toFixed(0)} ms, worst ${sorted[CHANGES - 1].toFixed(0)} ms`);
  }
  studio.close();
  return { ms, bytes };
}
