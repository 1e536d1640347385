// The extension in a real VS Code: its commands and menus, and jobs run end to end in the worker process on the
// test workspace (test/fixtures/workspace: small images drawn by the harness, settings for quick block 1-3 runs).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { NeuralStyleApi } from '../../src/extension';
import type { FolderRunResult } from '../../src/extension/folder-job';
import type { StartResult } from '../../src/extension/jobs';
import type { GridResult } from '../../src/extension/style-grid';
import { GALLERY } from '../../src/gallery/paintings';
import { REAL_WEIGHTS } from '../helpers/shared-data';

const EXTENSION_ID = 'neural-style.neural-style';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** The real VGG19 weights of blocks 1-3, from NEURAL_STYLE_WEIGHTS or ../shared/data; skips the test without. */
function requireWeights(ctx: Mocha.Context): void {
  const file = process.env.NEURAL_STYLE_WEIGHTS || REAL_WEIGHTS;
  if (!fs.existsSync(file)) {
    console.log(`      (skipped: no weights file at ${file}; set NEURAL_STYLE_WEIGHTS to vgg19_partial_blocks1-3_notop.h5)`);
    ctx.skip();
  }
  // The extension and the worker it forks read it from this process's environment.
  process.env.NEURAL_STYLE_WEIGHTS = file;
}

async function stylize(content: vscode.Uri[], style: vscode.Uri): Promise<StartResult> {
  const started = await vscode.commands.executeCommand<StartResult>('neuralStyle.stylizeWith', content[0], content, [style]);
  assert.ok(started, 'the command returned nothing');
  return started;
}

async function withSetting<T>(key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const config = () => vscode.workspace.getConfiguration('neuralStyle');
  const before = config().inspect(key)?.workspaceValue;
  await config().update(key, value, vscode.ConfigurationTarget.Workspace);
  try {
    return await body();
  } finally {
    await config().update(key, before, vscode.ConfigurationTarget.Workspace);
  }
}

describe('Neural Style in VS Code', function () {
  this.timeout(120_000);
  let api: NeuralStyleApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<NeuralStyleApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const wasActive = extension.isActive;
    const t0 = performance.now();
    api = await extension.activate();
    const total = performance.now() - t0;
    console.log(`      activation: activate() ran ${api.activationMs.toFixed(1)} ms` +
      (wasActive ? ' (already active)' : `; loading and activating took ${total.toFixed(0)} ms`));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates without loading an engine into the extension host', () => {
    const engines = Object.keys(require.cache).filter((m) => /tfjs|onnxruntime|[\\/]sharp[\\/]|h5wasm/.test(m));
    assert.deepStrictEqual(engines, []);
  });

  it('registers every command it contributes', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(contributed.length >= 4);
    for (const c of contributed) assert.ok(registered.has(c), `${c} is not registered`);
  });

  it('offers its menu items on images of any type and letter case only, and the folder commands on folders', () => {
    const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus;
    const shown = (when: string, file: string) => {
      const m = /resourceExtname =~ \/(.+)\/(\w*)/.exec(when)!;
      return new RegExp(m[1], m[2]).test(path.extname(file));
    };
    const titles = menus['explorer/context'].map((m: { command: string }) => m.command);
    assert.deepStrictEqual(titles, [
      'neuralStyle.stylizeWith', 'neuralStyle.stylizeFastWith', 'neuralStyle.useAsStyleFor', 'neuralStyle.tryAllStyles',
      'neuralStyle.stylizeFolderWith', 'neuralStyle.stylizeFolderFastWith',
    ]);
    for (const item of menus['explorer/context']) {
      if (item.command.startsWith('neuralStyle.stylizeFolder')) {
        assert.strictEqual(item.when, 'explorerResourceIsFolder');
        continue;
      }
      for (const f of ['content.png', 'style.jpg', 'X.JPEG', 'y.WebP', 'z.gif', 'scan.TIFF', 'a.avif']) assert.ok(shown(item.when, f), f);
      for (const f of ['notes.txt', 'settings.json', 'image.svg', 'png']) assert.ok(!shown(item.when, f), f);
    }
    for (const item of menus['editor/title']) assert.match(item.when, /activeCustomEditorId == 'imagePreview\.previewEditor'/);
  });

  it('runs jobs to completion in one reused worker and writes each result beside its image', async function () {
    requireWeights(this);
    const content = workspaceFile('content.png');
    const style = workspaceFile('style.jpg');
    const started = await stylize([content, style], style);
    assert.ok(started.jobIds, `refused: ${started.refused}`);
    assert.strictEqual(started.jobIds.length, 2);
    const pids = new Set<number>();
    const timer = setInterval(() => api.workerPid() && pids.add(api.workerPid()!), 50);
    try {
      const [first, second] = await Promise.all(started.jobIds.map((id) => api.finished(id)));
      for (const record of [first, second]) {
        assert.strictEqual(record.status, 'done', record.message);
        assert.strictEqual(record.report?.steps, 20);
      }
      // (The second job stylizes the style image with itself: it starts where it ends.)
      const losses = first.losses.map((p) => p.total);
      assert.ok(losses[losses.length - 1] < 0.9 * losses[0], `the loss did not fall: ${losses[0]} -> ${losses[losses.length - 1]}`);
    } finally {
      clearInterval(timer);
    }
    assert.strictEqual(pids.size, 1, `workers: ${[...pids]}`);
    for (const name of ['content.style.stylized.png', 'style.style.stylized.png']) {
      const bytes = await vscode.workspace.fs.readFile(workspaceFile(name));
      assert.deepStrictEqual([...bytes.subarray(0, 4)], PNG_SIGNATURE, `${name} is not a PNG`);
    }
    // Run again: the name is taken, so the next one gets -1 and the first is kept.
    const again = await stylize([content], style);
    assert.strictEqual((await api.finished(again.jobIds![0])).output?.name, 'content.style.stylized-1.png');
  });

  it('cancels a running job and offers its best image rather than saving it', async function () {
    requireWeights(this);
    const before = (await vscode.workspace.fs.readDirectory(workspaceFile('.'))).map(([n]) => n).sort();
    const record = await withSetting('steps', 100_000, async () => {
      const started = await stylize([workspaceFile('content.png')], workspaceFile('style.jpg'));
      const id = started.jobIds![0];
      for (let i = 0; i < 600 && (api.job(id)?.progress?.step ?? 0) < 3; i++) await new Promise((r) => setTimeout(r, 50));
      await vscode.commands.executeCommand('neuralStyle.cancel', id);
      return api.finished(id);
    });
    assert.strictEqual(record.status, 'cancelled');
    assert.ok(record.report && record.report.steps >= 3 && record.report.steps < 100_000);
    assert.match(record.message ?? '', /Cancelled at step \d+ of \d+\. The best image so far is not saved\./);
    assert.strictEqual(record.output, undefined);
    const after = (await vscode.workspace.fs.readDirectory(workspaceFile('.'))).map(([n]) => n).sort();
    assert.deepStrictEqual(after, before, 'a file was written');
  });

  it('reports a worker that dies with its last lines, and runs the next job in a fresh one', async function () {
    requireWeights(this);
    const content = [workspaceFile('content.png')];
    const style = workspaceFile('style.jpg');
    const { record, pid } = await withSetting('steps', 100_000, async () => {
      const id = (await stylize(content, style)).jobIds![0];
      for (let i = 0; i < 600 && (api.job(id)?.progress?.step ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 50));
      const pid = api.workerPid()!;
      process.kill(pid, 'SIGKILL');
      return { record: await api.finished(id), pid };
    });
    assert.strictEqual(record.status, 'failed');
    assert.match(record.message ?? '', /^the worker process was stopped by SIGKILL\. Its last lines:\n[^]*backend/);
    const next = await api.finished((await stylize(content, style)).jobIds![0]);
    assert.strictEqual(next.status, 'done', next.message);
    assert.notStrictEqual(api.workerPid(), pid);
  });

  it('makes a fast picture in a fraction of a second once the worker runs, and saves it beside the content', async () => {
    const fast = async () => {
      const t0 = performance.now();
      const started = await vscode.commands.executeCommand<StartResult>('neuralStyle.stylizeFastWith', workspaceFile('content.png'), [workspaceFile('content.png')], [workspaceFile('style.jpg')]);
      const record = await api.finished(started!.jobIds![0]);
      return { record, seconds: (performance.now() - t0) / 1000 };
    };
    const first = await fast();
    assert.strictEqual(first.record.status, 'done', first.record.message);
    assert.strictEqual(first.record.options.method, 'fast');
    // The test workspace sets the optimisation's layers and steps: the fast job says it does not use them.
    assert.match(first.record.message ?? '', /^The fast method does not use your .*neuralStyle\.styleLayers.*neuralStyle\.steps/);
    const warm = await fast();
    console.log(`      fast job, from the command to the saved picture: ${first.seconds.toFixed(2)} s, then ${warm.seconds.toFixed(2)} s with the worker running`);
    assert.notStrictEqual(warm.record.output?.name, first.record.output?.name, 'the second took the next free name');
    for (const r of [first, warm]) await vscode.workspace.fs.delete(vscode.Uri.parse(r.record.output!.uri));
  });

  it('brings a fast picture back after a reload with its controls, which render it again from the job’s files', async () => {
    const content = workspaceFile('content.png');
    const started = await vscode.commands.executeCommand<StartResult>('neuralStyle.stylizeFastWith', content, [content], [workspaceFile('style.jpg')]);
    const record = await api.finished(started!.jobIds![0]);
    assert.strictEqual(record.status, 'done', record.message);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // A reload starts another worker: the session the job left in this one is gone with it.
    const pid = api.workerPid();
    if (pid) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 200 && api.workerPid() !== undefined; i++) await new Promise((r) => setTimeout(r, 50));
    const id = api.restorePanel(JSON.parse(JSON.stringify({ version: '1', record })));
    assert.strictEqual(id, record.id);
    const picture = await api.moveControls(id, { styleStrength: 0.3 });
    assert.deepStrictEqual([...picture.subarray(0, 4)], PNG_SIGNATURE);
    // The PNG's header holds its size: the picture's.
    const view = new DataView(picture.buffer, picture.byteOffset);
    assert.deepStrictEqual([view.getUint32(16), view.getUint32(20)], [record.report!.width, record.report!.height]);
    assert.strictEqual(api.job(id)?.status, 'done');
    await vscode.workspace.fs.delete(vscode.Uri.parse(record.output!.uri));
  });

  it('shows the fast method\'s picture while an optimisation waits for its weights', async () => {
    const saved = process.env.NEURAL_STYLE_WEIGHTS;
    // A weights file that is not there: the job asks for one (and waits) after showing the fast picture.
    process.env.NEURAL_STYLE_WEIGHTS = '/nonexistent/vgg19.h5';
    try {
      const id = (await stylize([workspaceFile('content.png')], workspaceFile('style.jpg'))).jobIds![0];
      for (let i = 0; i < 200 && !api.previewSteps(id)?.length; i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepStrictEqual(api.previewSteps(id), [0]);
      await vscode.commands.executeCommand('neuralStyle.cancel', id);
      const record = await api.finished(id);
      assert.strictEqual(record.status, 'cancelled');
      assert.strictEqual(record.options.method, 'optimize');
    } finally {
      // Assigning undefined would store the string "undefined", a relative path the next job would meet.
      if (saved === undefined) delete process.env.NEURAL_STYLE_WEIGHTS;
      else process.env.NEURAL_STYLE_WEIGHTS = saved;
    }
  });

  it('offers the gallery in the style picker after the recent styles, before the workspace\'s images', async () => {
    const picking = vscode.commands.executeCommand('neuralStyle.stylizeFastWith', workspaceFile('content.png'), [workspaceFile('content.png')]);
    let items: ReturnType<NeuralStyleApi['pickerItems']>;
    for (let i = 0; i < 200 && !(items = api.pickerItems()); i++) await new Promise((r) => setTimeout(r, 50));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(await picking, undefined, 'closing the picker starts nothing');
    assert.ok(items, 'the picker never showed');
    const separators = items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label);
    assert.deepStrictEqual(separators.filter((l) => l !== 'recent'), ['gallery', 'workspace', '']);
    assert.ok(separators.indexOf('recent') < separators.indexOf('gallery'));
    const gallery = items.slice(items.findIndex((i) => i.label === 'gallery') + 1, items.findIndex((i) => i.label === 'workspace'));
    assert.deepStrictEqual(gallery.map((i) => [i.label, i.description]), GALLERY.map((s) => [s.title, `${s.artist}, ${s.year}`]));
  });

  it('stylizes with a painting of the gallery, naming the result by its id', async () => {
    const painting = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'assets', 'gallery', 'van-gogh-starry-night.jpg');
    const started = await vscode.commands.executeCommand<StartResult>('neuralStyle.stylizeFastWith', workspaceFile('content.png'), [workspaceFile('content.png')], [painting]);
    const record = await api.finished(started!.jobIds![0]);
    assert.strictEqual(record.status, 'done', record.message);
    assert.deepStrictEqual(record.styles.map((s) => s.name), ['starry-night']);
    assert.strictEqual(record.output?.name, 'content.starry-night.stylized.png');
    await vscode.workspace.fs.delete(vscode.Uri.parse(record.output!.uri));
  });

  it('tries every style: the gallery and the workspace\'s style folder, each tile rendered', async () => {
    const stripes = workspaceFile('styles/stripes.jpg');
    await vscode.workspace.fs.copy(workspaceFile('style.jpg'), stripes, { overwrite: true });
    try {
      const t0 = performance.now();
      const grid = await vscode.commands.executeCommand<GridResult>('neuralStyle.tryAllStyles', workspaceFile('content.png'));
      console.log(`      Try All Styles: ${grid.rendered} tiles in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      assert.deepStrictEqual(grid.labels.slice(0, GALLERY.length), GALLERY.map((s) => s.title));
      assert.ok(grid.labels.includes('stripes.jpg'), `no tile of styles/stripes.jpg: ${grid.labels.slice(GALLERY.length)}`);
      assert.deepStrictEqual(grid.failed, []);
      assert.strictEqual(grid.rendered, grid.labels.length);
    } finally {
      await vscode.workspace.fs.delete(workspaceFile('styles'), { recursive: true });
    }
  });

  it('stylizes a folder fast into a folder beside it, skipping what is no image and listing what failed', async () => {
    const folder = workspaceFile('album');
    const results = workspaceFile('album.style.stylized');
    await vscode.workspace.fs.createDirectory(folder);
    try {
      await vscode.workspace.fs.copy(workspaceFile('content.png'), vscode.Uri.joinPath(folder, 'one.png'));
      await vscode.workspace.fs.copy(workspaceFile('style.jpg'), vscode.Uri.joinPath(folder, 'two.jpg'));
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'notes.txt'), Buffer.from('not an image'));
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\n cut short', 'latin1'));
      const run = await vscode.commands.executeCommand<FolderRunResult>('neuralStyle.stylizeFolderFastWith', folder, undefined, [workspaceFile('style.jpg')]);
      assert.ok(run && 'written' in run, JSON.stringify(run));
      assert.deepStrictEqual(run.written.map((u) => path.posix.basename(vscode.Uri.parse(u).path)), ['one.png', 'two.png']);
      assert.deepStrictEqual([run.skipped, run.failed, run.cancelled], [['notes.txt'], ['broken.png'], false]);
      const names = (await vscode.workspace.fs.readDirectory(results)).map(([n]) => n).sort();
      assert.deepStrictEqual(names, ['one.png', 'two.png']);
    } finally {
      for (const f of [folder, results]) await vscode.workspace.fs.delete(f, { recursive: true }).then(undefined, () => {});
    }
  });

  it('"Use as Style for…" makes the chosen image the style of the others', async () => {
    const style = workspaceFile('style.jpg');
    const started = await vscode.commands.executeCommand<StartResult>('neuralStyle.useAsStyleFor', style, [style], [workspaceFile('content.png')]);
    const id = started?.jobIds?.[0];
    assert.ok(id, `not started: ${started?.refused}`);
    await vscode.commands.executeCommand('neuralStyle.cancel', id);
    const record = await api.finished(id);
    assert.deepStrictEqual([record.content.name, record.styles.map((s) => s.name)], ['content.png', ['style.jpg']]);
    assert.strictEqual(record.status, 'cancelled');
  });

  it('refuses a name pattern that would put the result outside the content\'s folder, before any work', async () => {
    const dots = workspaceFile('...png');
    await vscode.workspace.fs.copy(workspaceFile('content.png'), dots, { overwrite: true });
    try {
      const refused = await withSetting('output.namePattern', '${name}', () => stylize([dots], workspaceFile('style.jpg')));
      assert.match(refused.refused?.[0] ?? '', /^neuralStyle\.output\.namePattern: the output name pattern "\$\{name\}" gives "\.\." for \.\., which is not a file name/);
      const dotdot = await withSetting('output.namePattern', '..', () => stylize([workspaceFile('content.png')], workspaceFile('style.jpg')));
      assert.match(dotdot.refused?.[0] ?? '', /^neuralStyle\.output\.namePattern must be a file name/);
    } finally {
      await vscode.workspace.fs.delete(dots);
    }
  });

  it('refuses to start with a bad setting, naming the key and its range', async () => {
    const result = await withSetting('steps', 0, () => stylize([workspaceFile('content.png')], workspaceFile('style.jpg')));
    assert.deepStrictEqual(result, { refused: ['neuralStyle.steps must be an integer from 1 to 100000, got 0'] });
  });
});
