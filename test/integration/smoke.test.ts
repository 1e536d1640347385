// Proves the harness: the extension under test is loaded, activates, and the test workspace and environment arrive.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'neural-style.neural-style';

describe('Test harness', () => {
  it('opens the test workspace with its generated images and settings', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    for (const file of ['content.png', 'style.jpg', 'notes.txt']) {
      assert.ok(fs.existsSync(path.join(folder.uri.fsPath, file)), `${file} is missing from ${folder.uri.fsPath}`);
    }
    assert.strictEqual(vscode.workspace.getConfiguration('neuralStyle').get('steps'), 20);
  });

  it('passes the test command\'s environment to the extension host', () => {
    assert.match(process.env.NEURAL_STYLE_TEST_HOST ?? '', /^(code-server|desktop)$/);
  });

  it('loads the extension under test and activates it', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.ok(extension.isActive);
  });
});
