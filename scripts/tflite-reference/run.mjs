// Makes fast mode's reference outputs with the real TFLite runtime: installs it here if needed, bundles
// make-references.ts like the product's Node bundles (the runtime itself stays outside the bundle) and runs it.
// usage, from the repository root: node scripts/tflite-reference/run.mjs
import * as esbuild from 'esbuild';
import { spawnSync } from 'child_process';
import path from 'path';
import { nodeBundle } from '../esbuild-node.mjs';
import { ensureReferenceRuntime, REFERENCE_DIR } from './install.mjs';

ensureReferenceRuntime();
// Into the checkout's out/, like the other bundles (and where the test helpers find the checkout from).
const outfile = path.join(REFERENCE_DIR, '../../out/tflite-reference/make-references.js');
await esbuild.build({ ...nodeBundle(), entryPoints: [path.join(REFERENCE_DIR, 'make-references.ts')], outfile });
const r = spawnSync(process.execPath, ['--enable-source-maps', outfile], { stdio: 'inherit' });
process.exit(r.status ?? 1);
