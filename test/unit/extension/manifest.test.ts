import * as fs from 'fs';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { STYLE_OPTION_DEFS } from '../../../src/common/options';
import { ACTIVATION_EVENTS, capabilities, contributes } from '../../../src/extension/manifest';

/** The checkout's package.json, found from wherever the tests were bundled to. */
function packageJson(): Record<string, any> {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** Whether a menu's when clause of the form `resourceExtname =~ /re/flags && ...` shows the item for `file`. */
function shownFor(when: string, file: string): boolean {
  const m = /resourceExtname =~ \/(.+)\/(\w*)/.exec(when);
  assert.ok(m, `no resourceExtname test in ${when}`);
  return new RegExp(m[1], m[2]).test(path.extname(file));
}

describe('package.json', () => {
  const pkg = packageJson();

  it('holds what the option table and the extension generate (else run npm run gen:manifest)', () => {
    assert.deepEqual(pkg.contributes, contributes(), 'contributes is stale: run npm run gen:manifest');
    assert.deepEqual(pkg.capabilities, capabilities(), 'capabilities are stale: run npm run gen:manifest');
    assert.deepEqual(pkg.activationEvents, ACTIVATION_EVENTS, 'activationEvents are stale: run npm run gen:manifest');
  });

  it('has a setting for every run option, each with a description, a default and its range or choices', () => {
    const props = pkg.contributes.configuration.properties;
    for (const [key, def] of Object.entries(STYLE_OPTION_DEFS)) {
      const p = props[`neuralStyle.${key}`];
      assert.ok(p, `no setting neuralStyle.${key}`);
      assert.ok(p.description?.length > 10, `neuralStyle.${key} has no description`);
      assert.deepEqual(p.default, def.default);
      if (def.kind === 'number') assert.deepEqual([p.minimum, p.maximum], [def.min, def.max]);
      if (def.kind === 'enum') assert.deepEqual(p.enum, def.values);
    }
    for (const [key, p] of Object.entries<Record<string, unknown>>(props)) {
      assert.ok(key.startsWith('neuralStyle.'), `${key} lacks the prefix`);
      assert.ok('default' in p && typeof p.description === 'string', `${key} lacks a default or description`);
    }
  });

  it('keeps the weights file a machine setting that a workspace cannot redirect', () => {
    assert.equal(pkg.contributes.configuration.properties['neuralStyle.weightsPath'].scope, 'machine');
  });

  it('offers the commands on images of every type and letter case, and not on other files; the folder ones on folders', () => {
    const menu = pkg.contributes.menus['explorer/context'];
    const onFolders = menu.filter((m: { when: string }) => m.when === 'explorerResourceIsFolder');
    assert.deepEqual(onFolders.map((m: { command: string }) => m.command), ['neuralStyle.stylizeFolderWith', 'neuralStyle.stylizeFolderFastWith']);
    const explorer = menu.filter((m: { when: string }) => !onFolders.includes(m));
    assert.deepEqual(explorer.map((m: { command: string }) => m.command), [
      'neuralStyle.stylizeWith', 'neuralStyle.stylizeFastWith', 'neuralStyle.useAsStyleFor', 'neuralStyle.tryAllStyles',
    ]);
    for (const item of explorer) {
      for (const f of ['a.png', 'B.JPG', 'c.jpeg', 'd.Webp', 'e.gif', 'f.TIF', 'g.tiff', 'h.avif']) assert.ok(shownFor(item.when, f), f);
      for (const f of ['notes.txt', 'png', 'a.png.txt', 'a.svg', 'a.pngx']) assert.ok(!shownFor(item.when, f), f);
      assert.match(item.when, /!explorerResourceIsFolder/);
    }
    for (const item of pkg.contributes.menus['editor/title']) {
      assert.equal(item.when, "activeCustomEditorId == 'imagePreview.previewEditor'");
    }
  });

  it('activates lazily: on its commands and restored panels only', () => {
    assert.ok(pkg.activationEvents.every((e: string) => e.startsWith('onWebviewPanel:')));
    assert.equal(pkg.main, './dist/extension.js');
  });
});
