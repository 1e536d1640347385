// The esbuild settings of every Node bundle of the project (extension, worker, CLI, tests, benchmarks).

/** Native or optional modules, loaded from node_modules at run time (and shipped in the VSIX per platform). */
export const external = ['vscode', 'sharp', 'onnxruntime-node', '@tensorflow/tfjs-node'];

export function nodeBundle({ production = false } = {}) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: production ? false : 'linked',
    minify: production,
    external,
    // ESM entries first: tfjs-core's op gradients exist only as ES modules (register_all_gradients), and resolving
    // tfjs-core itself the same way keeps one copy of it in the bundle instead of its CJS build plus the ESM tree.
    mainFields: ['module', 'main'],
    // h5wasm's Node build is ESM and calls createRequire(import.meta.url), which a CJS bundle must provide.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  };
}
