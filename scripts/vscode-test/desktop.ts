// `npm run test:integration:desktop`: the same integration suite in desktop VS Code through @vscode/test-electron,
// as on a developer's machine or a CI with network access. VSCODE_EXECUTABLE skips the download (a local VS Code);
// VSCODE_VERSION picks the downloaded one (default: stable). On Linux without a display: xvfb-run -a npm run ...
import { TestRunFailedError, downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import * as path from 'path';
import { makeProfile } from './code-server';
import { ROOT, SUITE_DIR, freshArtifacts, withTempDir } from './paths';
import { run } from './process';
import { bundleSuite } from './suite';
import { makeWorkspace } from './workspace';

export async function main(): Promise<number> {
  let executable = process.env.VSCODE_EXECUTABLE;
  if (!executable) {
    try {
      executable = await downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION ?? 'stable' });
    } catch (e) {
      console.error(`[desktop] cannot download VS Code (offline?): ${(e as Error).message}; ` +
        'the same suite runs in code-server: npm run test:integration');
      return 1;
    }
  }
  await run(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  await bundleSuite();
  const artifacts = freshArtifacts('integration-desktop');
  return withTempDir(artifacts, async (tmp) => {
    const workspace = await makeWorkspace(path.join(tmp, 'workspace'));
    const { userDataDir, extensionsDir } = makeProfile(tmp, process.env);
    try {
      return await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: path.join(SUITE_DIR, 'index.js'),
        extensionTestsEnv: { NEURAL_STYLE_TEST_HOST: 'desktop' },
        launchArgs: [workspace, '--disable-workspace-trust', '--disable-extensions', '--skip-welcome',
          '--skip-release-notes', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir],
      });
    } catch (e) {
      if (e instanceof TestRunFailedError) return typeof e.code === 'number' ? e.code : 1;
      throw e;
    }
  });
}
