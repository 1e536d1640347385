import type * as Ort from 'onnxruntime-node';
import { errorMessage } from '../../common/errors';

export type OnnxRuntime = typeof Ort;

let runtime: Promise<OnnxRuntime> | undefined;

/**
 * onnxruntime-node, loaded on first use so that a native library that cannot load on this CPU or OS (or a
 * platform the package does not ship) is an error the backend selector catches and falls back from.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  runtime ??= import('onnxruntime-node').then(
    (ort) => {
      // Its own warnings (a home folder it cannot write its telemetry id to, say) would land in the CLI's output.
      ort.env.logLevel = 'error';
      return ort;
    },
    (e: unknown) => {
      throw new Error(`onnxruntime-node cannot be loaded: ${errorMessage(e).split('\n')[0]}`);
    },
  );
  return runtime;
}

/**
 * One session on the CPU with `threads` intra-op threads (the calling thread is one of them). Nodes run one after
 * the other: each conv already uses every thread, so inter-op parallelism would only oversubscribe the cores.
 * `spin: false` makes idle threads sleep instead of spin-waiting for the next operator: for the optimisation step
 * (seconds of large convolutions) the wake-ups cost little, and on cores other programs also want, a spinning
 * thread that has lost its core holds up every operator (1.3x slower steps on a busy machine, docs/backends.md).
 * The CPU arena keeps memory between runs (without it every step pays ~5-10% in fresh-page faults at 512 px);
 * the memory pattern does not: it plans all of a run's intermediates as one block after the first run, which the
 * arena cannot carve from the first run's chunks, so it grows to ~2x the peak (1.44 against 1.13 GB at 512 px)
 * for no speed gained here. `arena: false` gives a session's memory back after each run, for a session run seldom
 * beside others that are run often (each session's arena is its own, and keeps its largest run's memory).
 */
export function createSession(ort: OnnxRuntime, model: Uint8Array, threads: number, { spin = true, arena = true } = {}): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableMemPattern: false,
    enableCpuMemArena: arena,
    ...(spin ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
    // Warnings go to the process's stderr, which the CLI shares with its progress output; errors still throw.
    logSeverityLevel: 3,
  });
}
