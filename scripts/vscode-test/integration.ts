// `npm run test:integration`: the integration suite (mocha in the extension host) inside code-server, a real
// VS Code 1.100 with a Node extension host, opened in headless Chromium. VS Code web takes the suite from the
// `payload` URL parameter (extensionDevelopmentPath, extensionTestsPath, as @vscode/test-web does) and reports
// through window.codeAutomationLog / codeAutomationExit, which the page gets from Playwright.
import { createWriteStream } from 'fs';
import * as path from 'path';
import { format } from 'util';
import { launchBrowser, type Browser } from './browser';
import { makeProfile, startCodeServer } from './code-server';
import { ROOT, SUITE_DIR, freshArtifacts, withTempDir } from './paths';
import { run } from './process';
import { ensureTools } from './setup';
import { bundleSuite } from './suite';
import { makeWorkspace } from './workspace';

const TIMEOUT_S = Number(process.env.NEURAL_STYLE_TEST_TIMEOUT ?? 600);
/** The first line test/integration/index.ts logs: what comes before it is the workbench starting up. */
const SUITE_START = /^\[integration suite\]/;

export async function main(): Promise<number> {
  const t0 = Date.now();
  const lap = (what: string) => console.log(`[integration ${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);
  const codeServer = await ensureTools();
  await run(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  await bundleSuite();
  lap('extension and suite built');
  const trusted = await runSuite(codeServer, 'trusted', lap);
  const restricted = await runSuite(codeServer, 'restricted', lap);
  return trusted !== 0 ? trusted : restricted;
}

/** One pass of the suite in a fresh code-server: in a trusted workspace, or in Restricted Mode. */
async function runSuite(codeServer: string, suite: 'trusted' | 'restricted', lap: (what: string) => void): Promise<number> {
  const artifacts = freshArtifacts(suite === 'trusted' ? 'integration' : 'integration-restricted');
  const code = await withTempDir(artifacts, async (tmp) => {
    const workspace = await makeWorkspace(path.join(tmp, 'workspace'));
    // The whole environment goes through to the extension host (NEURAL_STYLE_WEIGHTS, NEURAL_STYLE_TEST_GREP, ...).
    const env = { ...process.env, NEURAL_STYLE_TEST_HOST: 'code-server', NEURAL_STYLE_TEST_SUITE: suite };
    const profile = makeProfile(tmp, env, suite === 'restricted');
    const server = await startCodeServer(codeServer, profile, path.join(artifacts, 'code-server.log'));
    lap(`code-server listening on ${server.origin}`);
    const suiteLog = createWriteStream(path.join(artifacts, 'suite.log'));
    const browserLog = createWriteStream(path.join(artifacts, 'browser.log'));
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser(tmp);
      const { page } = browser;
      page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.stack ?? e.message}\n`));
      // Everything the workbench logs goes to suite.log; the terminal gets the suite's part, or all of it if the
      // suite never started (a load error, say).
      const startUp: string[] = [];
      let started = false;
      await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown) => {
        const line = Array.isArray(args) ? format(...args) : String(args);
        suiteLog.write(`${line}\n`);
        started ||= SUITE_START.test(line);
        if (started) console.log(line); else startUp.push(line);
      });
      let exit = (_code: number) => {};
      const exited = new Promise<number>((resolve) => { exit = resolve; });
      await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
      await page.goto(server.url(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(ROOT)],
        ['extensionTestsPath', server.remoteUri(path.join(SUITE_DIR, 'index.js'))],
      ]));
      lap('workbench loading, suite output follows');
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        exited,
        server.crashed.then((why) => { console.error(`[integration] ${why}`); return 1; }),
        new Promise<number>((resolve) => {
          timer = setTimeout(() => {
            console.error(`[integration] timed out after ${TIMEOUT_S} s waiting for the suite to finish ` +
              `(NEURAL_STYLE_TEST_TIMEOUT=seconds to change); logs: ${path.relative(ROOT, artifacts)}/`);
            resolve(124);
          }, TIMEOUT_S * 1000);
        }),
      ]);
      clearTimeout(timer);
      if (!started) console.log(`[integration] the suite did not start; the workbench logged:\n${startUp.join('\n')}`);
      await page.screenshot({ path: path.join(artifacts, 'workbench.png') }).catch(() => {});
      return result;
    } finally {
      await browser?.close();
      await server.stop();
      suiteLog.end();
      browserLog.end();
    }
  });
  lap(`${suite} suite exit code ${code}; logs in ${path.relative(ROOT, artifacts)}/`);
  return code;
}
