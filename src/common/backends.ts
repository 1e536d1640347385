/**
 * Where the numbers are computed, fastest first: native libtensorflow when installed, ONNX Runtime (native, in the
 * npm package), wasm, plain JavaScript. `auto` resolves to the first that loads (see select-backend.ts).
 */
export const BACKEND_NAMES = ['tensorflow', 'onnx', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendChoice = BackendName | 'auto';
