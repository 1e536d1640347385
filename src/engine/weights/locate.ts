import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError, nameNotUtf8 } from '../../common/errors';
import { makeCacheDir, weightsCacheDir } from './cache-dir';
import { DownloadFailedError, downloadVerified, type DownloadControls } from './download';
import { OFFICIAL_VGG19_WEIGHTS, type WeightsSource } from './official';
import { isVerifiedCopy, rememberVerified } from './verified-copy';

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

interface Cache {
  readonly dir: string;
  readonly cached: string;
  readonly source: WeightsSource;
}

/** The file named by the `path` option, else by $NEURAL_STYLE_WEIGHTS, and where it came from for messages. */
function explicitFile(opts: WeightsOptions): { readonly path: string; readonly origin: string } | undefined {
  const env = opts.env ?? process.env;
  // An empty setting or variable means "not set", as VS Code's default for a path setting is "".
  if (opts.path) return { path: path.resolve(opts.path), origin: '' };
  const fromEnv = env[WEIGHTS_ENV];
  return fromEnv ? { path: path.resolve(fromEnv), origin: ` (from ${WEIGHTS_ENV})` } : undefined;
}

/** Only asked for when no explicit file is given: a cache folder that is refused must not stop a run that has one. */
function cacheOf(opts: WeightsOptions): Cache {
  const source: WeightsSource = {
    fileName: opts.fileName ?? OFFICIAL_VGG19_WEIGHTS.fileName,
    size: opts.size ?? OFFICIAL_VGG19_WEIGHTS.size,
    md5: opts.md5 ?? OFFICIAL_VGG19_WEIGHTS.md5,
    urls: opts.urls ?? OFFICIAL_VGG19_WEIGHTS.urls,
  };
  const dir = weightsCacheDir(opts.cacheDir, opts.env ?? process.env);
  return { dir, cached: path.join(dir, source.fileName), source };
}

/**
 * The weights file that is available without a download: the explicit one (which must exist), else the cached
 * download if it is intact, else undefined. The extension asks this first to know whether a download notification
 * is due. A cached file is trusted only with the right size and md5; the md5 is computed once per version of the
 * file (see verified-copy.ts), so a file put there under that name by anyone else is never loaded unchecked.
 */
export async function localWeightsFile(opts: WeightsOptions = {}): Promise<string | undefined> {
  const explicit = explicitFile(opts);
  if (explicit) return existingFile(explicit.path, explicit.origin);
  const { cached, source } = cacheOf(opts);
  return (await isVerifiedCopy(cached, source)) ? cached : undefined;
}

/**
 * The weights file to load, in this order: an explicit file (`path`, else $NEURAL_STYLE_WEIGHTS), used as is,
 * since it may rightly hold fewer layers than the official one; the cached download; a new download into the
 * cache, from each of `urls` in turn. Offline, the UserError names every address, why it failed, and how to point
 * at a local copy instead. Cancelled through `signal`, it rejects with the signal's reason.
 */
export async function resolveWeightsFile(opts: WeightsOptions = {}): Promise<string> {
  return (await localWeightsFile(opts)) ?? download(cacheOf(opts), opts);
}

async function existingFile(file: string, origin: string): Promise<string> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) throw new UserError(`weights file not found: ${file}${origin}${nameNotUtf8(file)}`);
  if (!stat.isFile()) throw new UserError(`weights file is not a file: ${file}${origin}`);
  return file;
}

async function download({ dir, cached, source }: Cache, controls: DownloadControls): Promise<string> {
  await makeCacheDir(dir);
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
  await rememberVerified(cached, source.md5);
  return cached;
}
