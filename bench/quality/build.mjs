// Bundles the quality and first-preview benchmarks like the product's Node bundles into out/bench/.
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../scripts/esbuild-node.mjs';

await esbuild.build({ ...nodeBundle(), entryPoints: { 'quality-measure': 'bench/quality/measure.ts', 'quality-run': 'bench/quality/run.ts', 'first-preview': 'bench/preview/first-preview.ts' }, outdir: 'out/bench' });
// vega is ESM-only with top-level await: left out of the CJS bundle and imported at run time.
const base = nodeBundle();
await esbuild.build({ ...base, external: [...base.external, 'vega', 'vega-lite'], entryPoints: { 'quality-report': 'bench/quality/report.ts' }, outdir: 'out/bench' });
