import type { Backend } from './backend';
import { BACKEND_NAMES, type BackendChoice, type BackendName } from '../common/backends';
import { errorMessage, UserError } from '../common/errors';
import type { VggWeights } from './weights/keras-h5';

/**
 * The backends to try for a choice, in order: `auto` falls through all of them, fastest first (BACKEND_NAMES is in
 * that order); an explicit one is alone.
 */
export function backendCandidates(choice: BackendChoice): BackendName[] {
  return choice === 'auto' ? [...BACKEND_NAMES] : [choice];
}

export async function loadBackend(name: BackendName, weights: VggWeights): Promise<Backend> {
  if (name === 'onnx') {
    const { createOnnxBackend } = await import('./onnx/backend.js');
    return createOnnxBackend(weights);
  }
  const { createTfjsBackend } = await import('./tfjs/backend.js');
  return createTfjsBackend(weights, name);
}

/**
 * The first backend of the choice that loads. With `auto`, one that cannot load is reported through `notice`
 * (why, and which one is tried next) rather than silently skipped; an explicit choice that cannot load is an error
 * that says why.
 */
export async function createBackend(
  choice: BackendChoice,
  weights: VggWeights,
  notice: (message: string) => void = () => {},
  skip: readonly BackendName[] = [],
): Promise<Backend> {
  const candidates = backendCandidates(choice).filter((n) => !skip.includes(n));
  const reasons: string[] = [];
  for (const name of candidates) {
    try {
      return await loadBackend(name, weights);
    } catch (e) {
      const why = errorMessage(e).split('\n')[0];
      reasons.push(`${name}: ${why}`);
      // tfjs-node is optional and absent on most machines: its absence is not worth a notice, a broken one is.
      const expected = name === 'tensorflow' && /not installed/.test(why);
      if (choice === 'auto' && !expected && name !== candidates[candidates.length - 1]) {
        notice(`backend ${name} is unavailable (${why}); trying the next one`);
      }
    }
  }
  throw new UserError(
    choice === 'auto' ? `no compute backend could load (${reasons.join('; ')})` : `backend ${reasons[0]}`,
  );
}
