import * as path from 'path';

export interface TfliteInput {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export interface TfliteModel {
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[] }>;
  /** The first output, for inputs in the model's input order. */
  run(inputs: readonly TfliteInput[]): Float32Array;
}

/**
 * The real TFLite runtime of this folder (tflite-runtime.cjs, with its own node_modules), loaded at run time from
 * the checkout at `repo`: bundles that use it keep it out of the bundle, where its browser stand-ins would apply
 * to everything else.
 */
export function tfliteRuntime(repo: string): { loadTflite(bytes: Uint8Array): Promise<TfliteModel> } {
  return require(path.join(repo, 'scripts/tflite-reference/tflite-runtime.cjs')) as { loadTflite(bytes: Uint8Array): Promise<TfliteModel> };
}
