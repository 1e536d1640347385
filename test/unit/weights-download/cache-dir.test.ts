import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import { platformCacheDir, weightsCacheDir } from '../../../src/engine/weights/cache-dir';

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
});
