// Bundles the fast-mode benchmark like the product's Node bundles into out/bench/ (with the CLI and the worker), after
// installing the real TFLite runtime (its peer) into scripts/tflite-reference/ if it is not there.
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../scripts/esbuild-node.mjs';
import { ensureReferenceRuntime } from '../../scripts/tflite-reference/install.mjs';

ensureReferenceRuntime();
await esbuild.build({
  ...nodeBundle(),
  entryPoints: {
    'fast-run': 'bench/fast/run.ts', 'fast-onnx': 'bench/fast/onnx-child.ts', 'fast-tflite': 'bench/fast/tflite-child.ts',
    // The command line and the worker as the product ships them, for the gallery's sheet and grid.
    'neural-style': 'src/cli/main.ts', worker: 'src/worker/main.ts',
  },
  outdir: 'out/bench',
});
