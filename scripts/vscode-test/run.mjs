// Runs one of the TypeScript harness commands of this folder (node has no TypeScript loader before v22): bundles
// it with esbuild into out/vscode-test/ (packages stay external, loaded from node_modules), calls its exported
// `main(args)` and exits with the code it returns.
// Usage: node scripts/vscode-test/run.mjs <command> [args...]   command: setup | integration | desktop | e2e
import * as esbuild from 'esbuild';
import { createRequire } from 'module';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [command, ...args] = process.argv.slice(2);
const outfile = path.join(here, '../../out/vscode-test', `${command}.js`);
await esbuild.build({
  entryPoints: [path.join(here, `${command}.ts`)], outfile, bundle: true, platform: 'node', target: 'node20',
  format: 'cjs', packages: 'external', sourcemap: 'inline', logLevel: 'warning',
});
process.setSourceMapsEnabled(true);
const { main } = createRequire(import.meta.url)(outfile);
let code;
try {
  code = await main(args);
} catch (e) {
  console.error(`[${command}] ${e instanceof Error ? e.message : e}`);
  if (process.env.NEURAL_STYLE_DEBUG) console.error(e);
  code = 1;
}
// Exit now: a browser or server handle left behind must not keep a finished run waiting.
process.exit(code);
