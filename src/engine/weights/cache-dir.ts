import * as os from 'os';
import * as path from 'path';

/** Overrides the per-user cache folder (e.g. a shared or larger disk); the `cacheDir` option overrides it in turn. */
export const CACHE_ENV = 'NEURAL_STYLE_CACHE';

const APP = 'neural-style';

/**
 * The per-user cache folder, following each platform's convention. Pure, so that every platform's answer can be
 * checked on any of them: Windows paths are built with win32 separators wherever this runs.
 */
export function platformCacheDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), APP, 'Cache');
    case 'darwin':
      return path.posix.join(home, 'Library', 'Caches', APP);
    default: {
      // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
      const xdg = env.XDG_CACHE_HOME;
      return path.posix.join(xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.cache'), APP);
    }
  }
}

/** Where downloaded weights live: the explicit folder, else $NEURAL_STYLE_CACHE, else the per-user cache. */
export function weightsCacheDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const dir = explicit || env[CACHE_ENV] || platformCacheDir(process.platform, env, os.homedir());
  return path.resolve(dir);
}
