import type * as Ort from 'onnxruntime-node';
import { errorMessage } from '../errors';

export type OnnxRuntime = typeof Ort;

let runtime: Promise<OnnxRuntime> | undefined;

/**
 * onnxruntime-node, loaded on first use so that a native library that cannot load on this CPU or OS (or a
 * platform the package does not ship) is an error the backend selector catches and falls back from.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntime> {
  runtime ??= import('onnxruntime-node').catch((e: unknown) => {
    throw new Error(`onnxruntime-node cannot be loaded: ${errorMessage(e).split('\n')[0]}`);
  });
  return runtime;
}

/**
 * How a session allocates. `steps`: the loss model, run every step. Its CPU arena keeps the memory between runs
 * (without it every step pays ~5-10% in fresh-page faults at 512 px), but not the memory pattern: that plans all
 * of a run's intermediates as one block after the first run, which the arena cannot carve from the first run's
 * chunks, so it grows to ~2x the peak (1.44 against 1.13 GB at 512 px) for no speed gained here. `occasional`:
 * the forward models for targets, run a few times per run; they return their memory after each run instead of
 * keeping it reserved while the loss model runs.
 */
export type SessionUse = 'steps' | 'occasional';

/**
 * One session on the CPU with `threads` intra-op threads (the calling thread is one of them). Nodes run one after
 * the other: each conv already uses every thread, so inter-op parallelism would only oversubscribe the cores.
 */
export function createSession(ort: OnnxRuntime, model: Uint8Array, threads: number, use: SessionUse): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: use === 'steps',
    enableMemPattern: false,
    // Warnings go to the process's stderr, which the CLI shares with its progress output; errors still throw.
    logSeverityLevel: 3,
  });
}
