// The module VS Code loads in the extension host to run the integration suite (the @vscode/test-electron
// convention, also used by the code-server runner): it exports run(), which resolves when every test passed.
// The test files are bundled next to it as tests.js by scripts/vscode-test/suite.ts; mocha loads that file after
// setting up its globals (describe, it), so the tests must not be bundled into this module.
import Mocha from 'mocha';
import * as path from 'path';

export function run(): Promise<void> {
  // scripts/vscode-test/integration.ts streams the extension host's log from this line on (the workbench's own
  // start-up messages before it go to artifacts/integration/suite.log only).
  console.log(`[integration suite] mocha starting in the extension host (pid ${process.pid})`);
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  // Lets a developer run part of the suite: NEURAL_STYLE_TEST_GREP='cancel' npm run test:integration
  if (process.env.NEURAL_STYLE_TEST_GREP) mocha.grep(process.env.NEURAL_STYLE_TEST_GREP);
  // The harness runs the suite twice: in a trusted workspace (tests.js) and in Restricted Mode (restricted.js).
  mocha.addFile(path.join(__dirname, process.env.NEURAL_STYLE_TEST_SUITE === 'restricted' ? 'restricted.js' : 'tests.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
