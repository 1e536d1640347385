/**
 * A stand-in worker (bundled to out/big-result-worker.js) that answers a run with a result of RESULT_BYTES through the
 * worker's own channel, then ends at once: job "exit" as the worker leaves, job "crash" by an error nothing catches.
 */
import type { RunMessage } from '../../src/protocol/messages';
import { exitOnCrash, exitWhenSent, send } from '../../src/worker/channel';

const RESULT_BYTES = 50 * 2 ** 20;

exitOnCrash(() => {});
process.on('message', (m: RunMessage) => {
  const report = { outcome: 'done', steps: 1, stepEquivalents: 1, elapsedMs: 1, width: 1, height: 1 } as const;
  send({ type: 'result', jobId: m.jobId, result: { ...report, bytes: new Uint8Array(RESULT_BYTES).fill(7), backend: 'onnx' } });
  if (m.jobId === 'crash') throw new Error('crashed right after sending the result');
  void exitWhenSent(0);
});
