import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError, errorMessage } from '../errors';
import { CACHE_ENV, weightsCacheDir } from './cache-dir';
import { DownloadFailedError, downloadVerified, type DownloadControls } from './download';
import { OFFICIAL_VGG19_WEIGHTS, type WeightsSource } from './official';

/** An explicit weights file, for when no option names one (the CLI's --weights and the setting do). */
export const WEIGHTS_ENV = 'NEURAL_STYLE_WEIGHTS';

export interface WeightsOptions extends Partial<WeightsSource>, DownloadControls {
  /**
   * A file to use as is (the CLI's --weights, the setting neuralStyle.weightsPath); wins over
   * $NEURAL_STYLE_WEIGHTS.
   */
  readonly path?: string;
  /** Where downloads are kept; wins over $NEURAL_STYLE_CACHE and the per-user cache folder (see cache-dir.ts). */
  readonly cacheDir?: string;
  /** Where NEURAL_STYLE_WEIGHTS and NEURAL_STYLE_CACHE are read; process.env unless given. */
  readonly env?: NodeJS.ProcessEnv;
}

interface Locations {
  readonly explicit?: { readonly path: string; readonly origin: string };
  readonly dir: string;
  readonly cached: string;
  readonly source: WeightsSource;
}

function locations(opts: WeightsOptions): Locations {
  const env = opts.env ?? process.env;
  const source: WeightsSource = {
    fileName: opts.fileName ?? OFFICIAL_VGG19_WEIGHTS.fileName,
    size: opts.size ?? OFFICIAL_VGG19_WEIGHTS.size,
    md5: opts.md5 ?? OFFICIAL_VGG19_WEIGHTS.md5,
    urls: opts.urls ?? OFFICIAL_VGG19_WEIGHTS.urls,
  };
  const dir = weightsCacheDir(opts.cacheDir, env);
  // An empty setting or variable means "not set", as VS Code's default for a path setting is "".
  const explicit = opts.path
    ? { path: path.resolve(opts.path), origin: '' }
    : env[WEIGHTS_ENV]
      ? { path: path.resolve(env[WEIGHTS_ENV]), origin: ` (from ${WEIGHTS_ENV})` }
      : undefined;
  return { explicit, dir, cached: path.join(dir, source.fileName), source };
}

/**
 * The weights file that is available without a download: the explicit one (which must exist), else the cached
 * download, else undefined. The extension asks this first to know whether a download notification is due.
 *
 * A cached file is trusted when its size is right. Its md5 was checked once, when it was downloaded, and only a
 * verified download is ever renamed to that name; hashing its 80 MB again would add a quarter of a second or more
 * to every run. The size check still catches a file cut short, e.g. by a crash right after the rename.
 */
export async function localWeightsFile(opts: WeightsOptions = {}): Promise<string | undefined> {
  const { explicit, cached, source } = locations(opts);
  if (explicit) return existingFile(explicit.path, explicit.origin);
  const stat = await fs.stat(cached).catch(() => undefined);
  return stat?.isFile() && stat.size === source.size ? cached : undefined;
}

/**
 * The weights file to load, in this order: an explicit file (`path`, else $NEURAL_STYLE_WEIGHTS), used as is,
 * since it may rightly hold fewer layers than the official one; the cached download; a new download into the
 * cache, from each of `urls` in turn. Offline, the UserError names every address, why it failed, and how to point
 * at a local copy instead. Cancelled through `signal`, it rejects with the signal's reason.
 */
export async function resolveWeightsFile(opts: WeightsOptions = {}): Promise<string> {
  return (await localWeightsFile(opts)) ?? download(locations(opts), opts);
}

async function existingFile(file: string, origin: string): Promise<string> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) throw new UserError(`weights file not found: ${file}${origin}`);
  if (!stat.isFile()) throw new UserError(`weights file is not a file: ${file}${origin}`);
  return file;
}

async function download({ dir, cached, source }: Locations, controls: DownloadControls): Promise<string> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw new UserError(
      `cannot create the weights cache folder ${dir}: ${errorMessage(e)}; set ${CACHE_ENV} to another folder`,
    );
  }
  try {
    await downloadVerified(cached, source, controls);
  } catch (e) {
    if (!(e instanceof DownloadFailedError)) throw e;
    throw new UserError(
      `cannot download the VGG19 weights ${source.fileName}: ${e.failures.join('; ')}. ` +
        `Get the file another way, then pass --weights PATH, set ${WEIGHTS_ENV} or the setting ` +
        `neuralStyle.weightsPath, or copy it into ${dir}`,
    );
  }
  return cached;
}
