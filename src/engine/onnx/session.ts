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
 * One session on the CPU with `threads` intra-op threads (the calling thread is one of them). Nodes run one after
 * the other: each conv already uses every thread, so inter-op parallelism would only oversubscribe the cores.
 */
export function createSession(ort: OnnxRuntime, model: Uint8Array, threads: number): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Warnings go to the process's stderr, which the CLI shares with its progress output; errors still throw.
    logSeverityLevel: 3,
  });
}
