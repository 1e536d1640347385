// Bundles the quality benchmark like the product's Node bundles into out/bench/.
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../scripts/esbuild-node.mjs';

await esbuild.build({ ...nodeBundle(), entryPoints: { 'quality-measure': 'bench/quality/measure.ts' }, outdir: 'out/bench' });
