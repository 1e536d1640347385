// Bundles the speed benchmark like the product's Node bundles into out/bench/, with tfjs's wasm binaries next to
// it (tfjs-backend-wasm loads them from the directory of the bundle).
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'fs/promises';
import { createRequire } from 'module';
import path from 'path';
import { nodeBundle } from '../../scripts/esbuild-node.mjs';

const require = createRequire(import.meta.url);
await mkdir('out/bench', { recursive: true });
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) await copyFile(path.join(wasmDir, f), path.join('out/bench', f));
await esbuild.build({
  ...nodeBundle(),
  entryPoints: { 'speed-run': 'bench/speed/run.ts', 'speed-engine': 'bench/speed/engine.ts' },
  outdir: 'out/bench',
});
