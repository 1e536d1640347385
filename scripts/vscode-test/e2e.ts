// `npm run test:e2e [-- --vsix <file>] [-- <flow files>]`: the extension as a user gets it, a freshly packaged VSIX
// installed into code-server, used through the workbench in headless Chromium by Playwright flows
// (e2e/workbench.ts says what a flow is). Each flow gets its own code-server, profile and workspace copy; its
// screenshots and logs go to artifacts/e2e/<flow>/. Default flows: e2e/harness.flow.ts, then test/e2e/**/*.flow.ts.
import * as esbuild from 'esbuild';
import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'fs';
import * as path from 'path';
import { launchBrowser, type Browser } from './browser';
import { installExtension, makeProfile, startCodeServer } from './code-server';
import { Workbench, type Flow } from './e2e/workbench';
import { ROOT, freshArtifacts, withTempDir } from './paths';
import { run } from './process';
import { ensureTools } from './setup';
import { makeWorkspace } from './workspace';

const TIMEOUT_S = Number(process.env.NEURAL_STYLE_TEST_TIMEOUT ?? 600);

export async function main(args: string[]): Promise<number> {
  const vsixAt = args.indexOf('--vsix');
  const givenVsix = vsixAt >= 0 ? args.splice(vsixAt, 2)[1] : undefined;
  const flows = args.map((f) => path.resolve(f));
  if (flows.length === 0) flows.push(path.join(ROOT, 'scripts/vscode-test/e2e/harness.flow.ts'), ...projectFlows());
  const vsix = givenVsix ? path.resolve(givenVsix) : path.join(ROOT, 'out', 'vsix', 'e2e.vsix');
  if (givenVsix && !existsSync(vsix)) throw new Error(`no VSIX at ${vsix}`);
  const codeServer = await ensureTools();
  if (!givenVsix) await run(process.execPath, ['scripts/package/vsix.mjs', '--out', vsix], { cwd: ROOT });
  const artifacts = freshArtifacts('e2e');

  const failed: string[] = [];
  for (const file of flows) {
    const name = path.basename(file).replace(/\.flow\.ts$|\.ts$/, '');
    console.log(`[e2e] ${name} (${path.relative(ROOT, file)})`);
    const flow = await loadFlow(file, name);
    const t0 = Date.now();
    const error = await runFlow(codeServer, vsix, flow, path.join(artifacts, name));
    const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    if (error) {
      failed.push(name);
      console.error(`[e2e] ${name} FAILED after ${took}: ${error}`);
    } else {
      console.log(`[e2e] ${name} passed in ${took}`);
    }
  }
  console.log(`[e2e] ${flows.length - failed.length}/${flows.length} flows passed; screenshots and logs in ` +
    `${path.relative(ROOT, artifacts)}/`);
  return failed.length === 0 ? 0 : 1;
}

function projectFlows(): string[] {
  const dir = path.join(ROOT, 'test', 'e2e');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.flow.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Bundles a flow (Playwright stays external) and returns its default export. */
async function loadFlow(file: string, name: string): Promise<Flow> {
  const outfile = path.join(ROOT, 'out', 'vscode-test', 'flows', `${name}.js`);
  await esbuild.build({
    entryPoints: [file], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    packages: 'external', sourcemap: 'inline', logLevel: 'warning',
  });
  delete require.cache[outfile];
  const flow = require(outfile).default;
  if (typeof flow !== 'function') throw new Error(`${file} has no default export (async (wb: Workbench) => void)`);
  return flow;
}

/** Runs one flow in a fresh code-server with the VSIX installed; resolves with the failure, if any. */
async function runFlow(codeServer: string, vsix: string, flow: Flow, dir: string): Promise<string | undefined> {
  mkdirSync(dir, { recursive: true });
  return withTempDir(dir, async (tmp) => {
    const workspace = await makeWorkspace(path.join(tmp, 'workspace'));
    const profile = makeProfile(tmp, { ...process.env, NEURAL_STYLE_TEST_HOST: 'code-server' });
    await installExtension(codeServer, profile, vsix);
    const server = await startCodeServer(codeServer, profile, path.join(dir, 'code-server.log'));
    const browserLog = createWriteStream(path.join(dir, 'browser.log'));
    let browser: Browser | undefined;
    let wb: Workbench | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      browser = await launchBrowser(tmp);
      const { page } = browser;
      page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.stack ?? e.message}\n`));
      wb = new Workbench(page, workspace, dir);
      await page.goto(server.url(workspace));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await Promise.race([
        flow(wb),
        server.crashed.then((why) => { throw new Error(why); }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_S} s (NEURAL_STYLE_TEST_TIMEOUT=seconds)`)), TIMEOUT_S * 1000);
        }),
      ]);
      return undefined;
    } catch (e) {
      await wb?.shot('failure').catch(() => {});
      return (e as Error).stack ?? String(e);
    } finally {
      clearTimeout(timer);
      await browser?.close();
      await server.stop();
      browserLog.end();
    }
  });
}
