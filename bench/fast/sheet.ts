// The style gallery at once: the CLI's contact sheet of the whole gallery in 256 px tiles, from the command to the
// written sheet, beside one `stylize --method fast` of the same content (both as separate processes, as a user
// runs them); and the extension's grid (Try All Styles) as the extension makes it, tile by tile through the worker
// process, with the worker not yet started and then running. Started by bench/fast/run.ts.
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultOptions } from '../../src/common/options';
import { renderTiles } from '../../src/extension/tile-renderer';
import { WorkerClient } from '../../src/extension/worker-client';
import { GALLERY } from '../../src/gallery/paintings';
import { readPainting } from '../../src/gallery/read-painting';

const REPO = path.resolve(__dirname, '../..');
const CONTENT = path.join(REPO, 'samples/dog.jpg');
const STYLE = path.join(REPO, 'samples/kandinsky.jpg');
const TILE = 256;

export interface SheetRun {
  readonly rounds: number;
  /** Wall times of the processes, ms. */
  readonly sheetMs: readonly number[];
  readonly singleMs: readonly number[];
  /** The grid through the worker: the first tile and all of them, from the request, with a fresh worker... */
  readonly gridColdFirstMs: readonly number[];
  readonly gridColdAllMs: readonly number[];
  /** ...and again with that worker running. */
  readonly gridWarmAllMs: readonly number[];
  readonly tiles: number;
}

function wall(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, 'neural-style.js'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`neural-style ${args.join(' ')} failed: ${r.stderr}`);
  return performance.now() - t0;
}

async function grid(worker: WorkerClient, content: { name: string; bytes: Uint8Array }, round: string): Promise<{ first: number; all: number }> {
  const t0 = performance.now();
  let first = 0;
  await renderTiles(worker, {
    id: `bench-${round}`,
    content,
    styles: GALLERY.map((s) => async () => ({ name: s.id, bytes: await readPainting(s) })),
    options: { ...defaultOptions(), method: 'fast', maxSize: TILE },
    format: 'png',
    onTile: (_, tile) => {
      if ('error' in tile) throw new Error(tile.error);
      first ||= performance.now() - t0;
    },
  });
  return { first, all: performance.now() - t0 };
}

export async function measureSheet(rounds: number, log: (line: string) => void): Promise<SheetRun> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-sheet-'));
  const [sheetMs, singleMs, gridColdFirstMs, gridColdAllMs, gridWarmAllMs]: number[][] = [[], [], [], [], []];
  const content = { name: 'dog.jpg', bytes: await fs.readFile(CONTENT) };
  try {
    for (let round = 0; round < rounds; round++) {
      singleMs.push(wall(['stylize', CONTENT, STYLE, '--method', 'fast', '-o', path.join(dir, 'single.png'), '--overwrite', '-q']));
      sheetMs.push(wall(['sheet', CONTENT, '-o', path.join(dir, 'sheet.png'), '--size', String(TILE), '--overwrite']));
      const worker = new WorkerClient({ script: path.join(__dirname, 'worker.js'), idleMs: 60_000, cancelGraceMs: 5000, log: () => {} });
      const cold = await grid(worker, content, `${round}-cold`);
      const warm = await grid(worker, content, `${round}-warm`);
      await worker.dispose();
      gridColdFirstMs.push(cold.first);
      gridColdAllMs.push(cold.all);
      gridWarmAllMs.push(warm.all);
      log(`sheet round ${round + 1}: single ${singleMs[round].toFixed(0)} ms, sheet ${sheetMs[round].toFixed(0)} ms; ` +
        `grid cold first ${cold.first.toFixed(0)} ms, all ${cold.all.toFixed(0)} ms, warm ${warm.all.toFixed(0)} ms`);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { rounds, tiles: GALLERY.length, sheetMs, singleMs, gridColdFirstMs, gridColdAllMs, gridWarmAllMs };
}
