import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError, errorMessage } from '../../common/errors';

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

/** The variable the per-user cache folder was built from, when that folder is not absolute. */
function platformOrigin(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform !== 'win32') return 'HOME';
  return env.LOCALAPPDATA ? 'LOCALAPPDATA' : 'USERPROFILE';
}

/**
 * Where downloaded weights live: the explicit folder (the CLI's --cache-dir), else $NEURAL_STYLE_CACHE, else the
 * per-user cache. A relative folder is refused rather than resolved: it would depend on the current folder, where
 * anyone may have planted a file under the weights' name (an empty HOME gives ./.cache/neural-style).
 */
export function weightsCacheDir(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const absolute = (dir: string, problem: string): string => {
    if (!paths.isAbsolute(dir)) throw new UserError(problem);
    return paths.resolve(dir);
  };
  if (explicit) return absolute(explicit, `--cache-dir must be an absolute folder, got "${explicit}"; give its full path`);
  const fromEnv = env[CACHE_ENV];
  if (fromEnv) return absolute(fromEnv, `${CACHE_ENV} must be an absolute folder, got "${fromEnv}"; set it to a full path`);
  const dir = platformCacheDir(platform, env, home);
  const origin = platformOrigin(platform, env);
  return absolute(
    dir,
    `the weights cache folder would be "${dir}", relative to the current folder, since ${origin} is "${env[origin] ?? home}"; ` +
      `set ${origin} or ${CACHE_ENV} to an absolute folder`,
  );
}

/**
 * Creates `dir` and its missing parents. Node's own recursive mkdir spins forever where a folder exists but
 * answers ENOENT for a child (anywhere under /proc, or a symlink to nothing): it takes that for a missing parent,
 * climbs back up and tries again. Here each folder is created once, after its parent, so that case fails at once.
 */
export async function makeCacheDir(dir: string): Promise<void> {
  const missing: string[] = [];
  try {
    for (let d = dir; !(await isFolder(d)); d = path.dirname(d)) {
      if (path.dirname(d) === d) break;
      missing.unshift(d);
    }
    for (const d of missing) {
      await fs.mkdir(d).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    }
    if (!(await isFolder(dir))) throw new Error('it is not a folder');
  } catch (e) {
    throw new UserError(`cannot create the weights cache folder ${dir}: ${errorMessage(e)}; set ${CACHE_ENV} to another folder`);
  }
}

/** Whether `p` is a folder; false where nothing is, so that it gets created. */
async function isFolder(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
