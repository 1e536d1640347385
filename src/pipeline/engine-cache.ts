import { statSync } from 'fs';
import type { Backend } from '../engine/backend';
import type { BackendName } from '../common/backends';
import type { BackendPlan } from '../engine/plan';
import { loadFastNets, type FastNets } from '../engine/fast/fast-nets';
import { createRaster } from '../image/raster';
import { createBackend } from '../engine/select-backend';
import { loadVggWeights } from '../engine/weights/keras-h5';

/**
 * The last loaded weights and backend, kept for the next job: a worker runs job after job with the same weights,
 * and reading 80 MB and building native sessions each time would delay every first preview.
 */
let cached: { key: string; backend: Promise<Backend> } | undefined;

export async function loadEngine(
  weightsPath: string,
  engine: BackendPlan,
  notice: (message: string) => void,
  skip: readonly BackendName[],
): Promise<Backend> {
  const { layers } = engine;
  const stat = statSync(weightsPath, { throwIfNoEntry: false });
  const key = JSON.stringify([weightsPath, stat?.mtimeMs, stat?.size, layers.length, engine.backend, skip]);
  if (cached?.key !== key) {
    releaseEngine();
    const backend = loadVggWeights(weightsPath, layers).then((w) => createBackend(engine.backend, w, notice, skip));
    cached = { key, backend };
    backend.catch(() => {
      if (cached?.backend === backend) cached = undefined;
    });
  }
  return cached.backend;
}

export function releaseEngine(): void {
  const old = cached;
  cached = undefined;
  old?.backend.then((b) => b.dispose(), () => {});
}

/** Fast mode's nets, converted and opened once per process (they do not depend on the job). */
let fast: Promise<FastNets> | undefined;

export function loadFastEngine(): Promise<FastNets> {
  if (fast) return fast;
  const loading = loadFastNets();
  fast = loading;
  loading.catch(() => {
    if (fast === loading) fast = undefined;
  });
  return loading;
}

/**
 * Loads fast mode's nets and runs each once on a small image, which also warms the code around them: for a worker
 * told that a fast job is coming (its style is being picked), so that the job's first picture waits for neither.
 */
export async function prepareFastEngine(): Promise<void> {
  const nets = await loadFastEngine();
  const grey = createRaster(32, 32, new Float32Array(32 * 32 * 3).fill(0.5));
  await nets.transfer(grey, await nets.styleVector(grey));
}
