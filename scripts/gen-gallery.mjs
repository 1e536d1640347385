// Writes assets/gallery/style-vectors.json: fast mode's style vector of every gallery painting, so that fast mode
// never decodes a painting of the gallery (src/pipeline/fast-style-vectors.ts reads it). Run it after changing the
// gallery or fast mode's predictor; test/unit/gallery/gallery.test.ts fails until then.
// Usage: npm run gen:gallery
import { spawnSync } from 'child_process';
import * as esbuild from 'esbuild';
import path from 'path';
import { fileURLToPath } from 'url';
import { nodeBundle } from './esbuild-node.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'out', 'gen-gallery.js');
await esbuild.build({ ...nodeBundle(), entryPoints: [path.join(root, 'scripts/gallery/write-style-vectors.ts')], outfile, sourcemap: false });
process.exitCode = spawnSync(process.execPath, [outfile], { stdio: 'inherit' }).status ?? 1;
