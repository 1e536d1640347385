// Builds the product (the benchmark forks its worker, dist/worker.js, and loads the nets the build converts), then
// bundles the fast-mode benchmark like the product's Node bundles into out/bench/ (with the CLI and the worker, for
// the gallery's sheet and grid). Its peer, native TFLite, runs in Python (bench/fast/tflite_peer.py): the run
// installs it (bench/speed/setup.ts).
import { execFileSync } from 'child_process';
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../scripts/esbuild-node.mjs';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
await esbuild.build({
  ...nodeBundle(),
  entryPoints: {
    'fast-run': 'bench/fast/run.ts', 'fast-onnx': 'bench/fast/onnx-child.ts',
    // The command line and the worker as the product ships them, for the gallery's sheet and grid.
    'neural-style': 'src/cli/main.ts', worker: 'src/worker/main.ts',
  },
  outdir: 'out/bench',
});
