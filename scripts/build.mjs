// Bundles the extension, the worker, the CLI and the webview with esbuild. Native modules stay external: they
// are loaded from node_modules at run time (and shipped in the VSIX per platform, see README "Packaging").
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readdir } from 'fs/promises';
import { createRequire } from 'module';
import path from 'path';
import { fileURLToPath } from 'url';
import { external, nodeBundle } from './esbuild-node.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const node = nodeBundle({ production });

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' } },
  { ...node, entryPoints: { worker: 'src/worker/main.ts' } },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: `#!/usr/bin/env node\n${node.banner.js}` } },
  {
    bundle: true, platform: 'browser', target: 'chrome120', format: 'iife',
    sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts', grid: 'webview/grid-main.ts', folder: 'webview/folder-main.ts' },
  },
];

// tfjs-backend-wasm loads its .wasm from the directory of the bundle that contains it (emscripten's __dirname).
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
for (const dir of tests ? ['dist', 'out'] : ['dist']) {
  await mkdir(dir, { recursive: true });
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
    await copyFile(path.join(wasmDir, f), path.join(dir, f));
  }
}

// The unit tests run bundled like the product (one file, so one tfjs engine): see .mocharc.json.
if (tests) {
  const files = (await readdir('test/unit', { recursive: true }))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => `./test/unit/${f.split(path.sep).join('/')}`);
  builds.push({
    ...node, sourcemap: 'linked', minify: false, outfile: 'out/unit-tests.js', external: [...external, 'mocha'],
    stdin: { contents: files.map((f) => `import ${JSON.stringify(f)};`).join('\n'), resolveDir: '.', loader: 'ts' },
  });
  // A stand-in worker built from the worker's own channel (see test/unit/extension/worker-client.test.ts).
  builds.push({ ...node, entryPoints: ['test/helpers/big-result-worker.ts'], outfile: 'out/big-result-worker.js' });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b.outfile ? b : { ...b, outdir: 'dist' })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b.outfile ? b : { ...b, outdir: 'dist' })));
}

// Fast mode's nets, converted from .tflite to the ONNX models the bundles load (dist/fast): see scripts/convert-nets.ts.
const converter = 'out/convert-nets.js';
await esbuild.build({ ...nodeBundle(), entryPoints: ['scripts/convert-nets.ts'], outfile: converter, sourcemap: false });
await require(path.resolve(converter)).convertNets(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
