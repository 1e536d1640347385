// The extension in Restricted Mode: the harness opens the test workspace untrusted (workspace trust on, no prompt).
// A workspace one has not trusted must not decide where results go or what a run costs.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { NeuralStyleApi } from '../../../src/extension';
import type { StartResult } from '../../../src/extension/jobs';

const EXTENSION_ID = 'neural-style.neural-style';

function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
}

describe('Neural Style in Restricted Mode', function () {
  this.timeout(120_000);
  let api: NeuralStyleApi;

  before(async () => {
    api = await vscode.extensions.getExtension<NeuralStyleApi>(EXTENSION_ID)!.activate();
  });

  it('runs in a workspace that is not trusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the harness opened a trusted workspace');
  });

  it('ignores the workspace\'s settings for what a run costs and where it writes, and keeps the harmless ones', async () => {
    const config = vscode.workspace.getConfiguration('neuralStyle');
    await config.update('output.folder', '/tmp/not-here', vscode.ConfigurationTarget.Workspace);
    await config.update('tileSize', 4096, vscode.ConfigurationTarget.Workspace);
    try {
      const started = await vscode.commands.executeCommand<StartResult>('neuralStyle.stylizeWith', workspaceFile('content.png'), [workspaceFile('content.png')], [workspaceFile('style.jpg')]);
      const id = started?.jobIds?.[0];
      assert.ok(id, `not started: ${started?.refused}`);
      const record = api.job(id)!;
      // The fixture's workspace settings: steps 20, maxSize 96 (costs: ignored), contentWeight 100 (kept).
      assert.strictEqual(record.options.steps, 270);
      assert.strictEqual(record.options.maxSize, 512);
      assert.strictEqual(record.options.tileSize, 512);
      assert.strictEqual(record.options.contentWeight, 100);
      await vscode.commands.executeCommand('neuralStyle.cancel', id);
      assert.strictEqual((await api.finished(id)).status, 'cancelled');
    } finally {
      await config.update('output.folder', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('tileSize', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('makes a fast picture, without weights, beside the content whatever the workspace\'s output folder says', async () => {
    const config = vscode.workspace.getConfiguration('neuralStyle');
    await config.update('output.folder', 'elsewhere', vscode.ConfigurationTarget.Workspace);
    try {
      const started = await vscode.commands.executeCommand<StartResult>('neuralStyle.stylizeFastWith', workspaceFile('content.png'), [workspaceFile('content.png')], [workspaceFile('style.jpg')]);
      const record = await api.finished(started!.jobIds![0]);
      assert.strictEqual(record.status, 'done', record.message);
      assert.strictEqual(record.output?.name, 'content.style.stylized.png');
      assert.strictEqual(vscode.Uri.parse(record.output!.uri).path, workspaceFile('content.style.stylized.png').path);
    } finally {
      await config.update('output.folder', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
