// Runs one of the TypeScript harness commands of this folder (node has no TypeScript loader before v22): bundles
// it with esbuild into out/vscode-test/ (packages stay external, loaded from node_modules), calls its exported
// `main(args)` and exits with the code it returns.
// Usage: node scripts/vscode-test/run.mjs <command> [args...]   command: setup | integration | desktop | e2e
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [command, ...args] = process.argv.slice(2);
await takeLock(path.join(here, '../../.vscode-test/run.lock'));
// The tests use the real block1-3 weights where this machine has them (read in place, like test/helpers/shared-data.ts);
// an explicit NEURAL_STYLE_WEIGHTS wins, and without either the tests that need weights skip.
const sharedWeights = path.join(process.env.NEURAL_STYLE_SHARED_DATA ?? path.join(here, '../../../shared/data'), 'vgg19/vgg19_partial_blocks1-3_notop.h5');
if (!process.env.NEURAL_STYLE_WEIGHTS && existsSync(sharedWeights)) process.env.NEURAL_STYLE_WEIGHTS = sharedWeights;
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

/**
 * One harness command at a time per checkout: runs share dist/, out/, artifacts/ and the code-server install, and
 * several people may start them in one working tree. A lock left by a process that is gone is taken over.
 */
async function takeLock(file) {
  mkdirSync(path.dirname(file), { recursive: true });
  for (let waiting = false; ; await new Promise((r) => setTimeout(r, 1000))) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      process.on('exit', () => rmSync(file, { force: true }));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const holder = Number(readFileSync(file, 'utf8'));
    if (!holder) continue; // created this instant, its pid not written yet
    try {
      process.kill(holder, 0);
    } catch {
      rmSync(file, { force: true });
      continue;
    }
    if (!waiting) console.log(`[${command}] waiting for another test run in this checkout to end (pid ${holder})`);
    waiting = true;
  }
}
