// Bundles the extension, the worker, the CLI and the webview with esbuild. Native modules stay external: they
// are loaded from node_modules at run time (and shipped in the VSIX per platform, see README "Packaging").
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'fs/promises';
import { existsSync } from 'fs';
import { createRequire } from 'module';
import path from 'path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const external = ['vscode', 'sharp', 'onnxruntime-node', '@tensorflow/tfjs-node'];

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  external,
  logLevel: 'warning',
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' } },
  { ...node, entryPoints: { worker: 'src/worker/main.ts' } },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
  {
    bundle: true, platform: 'browser', target: 'chrome120', format: 'iife',
    sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts' },
  },
].filter((b) => Object.values(b.entryPoints).every((f) => existsSync(f)));

await mkdir('dist', { recursive: true });
// tfjs-backend-wasm fetches its .wasm next to the bundle (setWasmPaths in src/engine/tfjs/setup.ts).
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  await copyFile(path.join(wasmDir, f), path.join('dist', f));
}

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...b, outdir: 'dist' })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...b, outdir: 'dist' })));
}
