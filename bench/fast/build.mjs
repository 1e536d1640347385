// Builds the product (the benchmark forks its worker, dist/worker.js, and loads the nets the build converts), then
// bundles the fast-mode benchmark like the product's Node bundles into out/bench/ (with the CLI and the worker, for
// the gallery's sheet and grid), after installing the real TFLite runtime (the engine part's peer) into
// scripts/tflite-reference/ if it is not there; `--studio` and `--animation` (a part alone, see run.ts) need no peer.
import { execFileSync } from 'child_process';
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../scripts/esbuild-node.mjs';
import { ensureReferenceRuntime } from '../../scripts/tflite-reference/install.mjs';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (!process.argv.includes('--studio') && !process.argv.includes('--animation')) ensureReferenceRuntime();
await esbuild.build({
  ...nodeBundle(),
  entryPoints: {
    'fast-run': 'bench/fast/run.ts', 'fast-onnx': 'bench/fast/onnx-child.ts', 'fast-tflite': 'bench/fast/tflite-child.ts',
    // The command line and the worker as the product ships them, for the gallery's sheet and grid.
    'neural-style': 'src/cli/main.ts', worker: 'src/worker/main.ts',
  },
  outdir: 'out/bench',
});
