import * as assert from 'node:assert/strict';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../../../src/common/errors';
import { makeCacheDir, platformCacheDir, weightsCacheDir } from '../../../src/engine/weights/cache-dir';
import { makeTempDir } from './fixture';

/** A one-line UserError with exactly `message`. */
function userError(message: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof UserError, String(e));
    assert.equal(e.message, message);
    return true;
  };
}

describe('weights cache folder', () => {
  it('follows XDG on Linux, ignoring a relative XDG_CACHE_HOME as the spec says', () => {
    assert.equal(platformCacheDir('linux', { XDG_CACHE_HOME: '/xdg' }, '/home/u'), '/xdg/neural-style');
    assert.equal(platformCacheDir('linux', {}, '/home/u'), '/home/u/.cache/neural-style');
    assert.equal(platformCacheDir('linux', { XDG_CACHE_HOME: 'rel' }, '/home/u'), '/home/u/.cache/neural-style');
  });

  it('uses ~/Library/Caches on macOS and %LOCALAPPDATA% on Windows', () => {
    assert.equal(platformCacheDir('darwin', {}, '/Users/u'), '/Users/u/Library/Caches/neural-style');
    assert.equal(
      platformCacheDir('win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u'),
      'C:\\Users\\u\\AppData\\Local\\neural-style\\Cache',
    );
    assert.equal(platformCacheDir('win32', {}, 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\neural-style\\Cache');
  });

  it('prefers the option, then NEURAL_STYLE_CACHE, then the per-user folder', () => {
    const env = { NEURAL_STYLE_CACHE: path.resolve('from-env'), XDG_CACHE_HOME: path.resolve('xdg') };
    assert.equal(weightsCacheDir(path.resolve('opt'), env), path.resolve('opt'));
    assert.equal(weightsCacheDir(undefined, env), path.resolve('from-env'));
    // Empty values count as unset.
    const perUser = path.resolve(platformCacheDir(process.platform, {}, os.homedir()));
    assert.equal(weightsCacheDir('', { NEURAL_STYLE_CACHE: '' }), perUser);
  });

  it('refuses a relative folder, naming the option or variable it came from', () => {
    const fail = (f: () => string, message: string) => assert.throws(f, userError(message));
    fail(() => weightsCacheDir('cache', {}), '--cache-dir must be an absolute folder, got "cache"; give its full path');
    fail(
      () => weightsCacheDir(undefined, { NEURAL_STYLE_CACHE: 'cache' }),
      'NEURAL_STYLE_CACHE must be an absolute folder, got "cache"; set it to a full path',
    );
    // An empty HOME used to put the cache in ./.cache/neural-style, wherever the command was run.
    fail(
      () => weightsCacheDir(undefined, { HOME: '' }, 'linux', ''),
      'the weights cache folder would be ".cache/neural-style", relative to the current folder, since HOME is ""; ' +
        'set HOME or NEURAL_STYLE_CACHE to an absolute folder',
    );
    fail(
      () => weightsCacheDir(undefined, { HOME: 'me', XDG_CACHE_HOME: 'xdg' }, 'linux', 'me'),
      'the weights cache folder would be "me/.cache/neural-style", relative to the current folder, since HOME is "me"; ' +
        'set HOME or NEURAL_STYLE_CACHE to an absolute folder',
    );
    fail(
      () => weightsCacheDir(undefined, { LOCALAPPDATA: 'Local' }, 'win32', 'C:\\Users\\u'),
      'the weights cache folder would be "Local\\neural-style\\Cache", relative to the current folder, since LOCALAPPDATA is ' +
        '"Local"; set LOCALAPPDATA or NEURAL_STYLE_CACHE to an absolute folder',
    );
    assert.equal(weightsCacheDir(undefined, { HOME: '' }, 'linux', '/home/u'), '/home/u/.cache/neural-style');
    assert.equal(weightsCacheDir(undefined, {}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\neural-style\\Cache');
  });

  describe('makeCacheDir', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await makeTempDir();
    });
    afterEach(() => fs.rm(dir, { recursive: true, force: true }));

    it('creates the folder and its missing parents, and accepts one that exists', async () => {
      const nested = path.join(dir, 'a', 'b', 'c');
      await makeCacheDir(nested);
      await makeCacheDir(nested);
      assert.ok((await fs.stat(nested)).isDirectory());
    });

    it('fails at once, naming the folder, where a parent is a file', async () => {
      await fs.writeFile(path.join(dir, 'file'), '');
      await assert.rejects(makeCacheDir(path.join(dir, 'file', 'cache')), /cannot create the weights cache folder .*file.cache: ENOTDIR/);
      await assert.rejects(makeCacheDir(path.join(dir, 'file')), /cannot create the weights cache folder .*file: it is not a folder; set NEURAL_STYLE_CACHE/);
    });

    it('fails at once where a folder exists but refuses children (a symlink to nothing, /proc), where mkdir -p spins', async function () {
      if (process.platform === 'win32') this.skip();
      const dangling = path.join(dir, 'dangling');
      await fs.symlink(path.join(dir, 'nothing'), dangling);
      const started = Date.now();
      await assert.rejects(makeCacheDir(path.join(dangling, 'cache')), /cannot create the weights cache folder .*dangling.cache: ENOENT/);
      if (process.platform === 'linux') {
        await assert.rejects(makeCacheDir('/proc/neural-style/cache'), /cannot create the weights cache folder \/proc\/neural-style\/cache: ENOENT.*set NEURAL_STYLE_CACHE to another folder$/);
      }
      assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    });
  });
});
