import { printable } from '../common/errors';
import { Throttle } from '../common/throttle';
import { localWeightsFile, resolveWeightsFile } from '../engine/weights/locate';

/**
 * The weights file for a command: --weights, $NEURAL_STYLE_WEIGHTS or the cache, else a download with progress.
 * Which file it is goes to `stream` (unless `quiet`): a run's result depends on it, and the environment may choose it.
 */
export async function weightsForCli(
  path: string | undefined,
  cacheDir: string | undefined,
  stream: NodeJS.WriteStream,
  quiet = false,
  signal?: AbortSignal,
): Promise<string> {
  const file = (await localWeightsFile({ path, cacheDir })) ?? (await download(path, cacheDir, stream, quiet, signal));
  if (!quiet) stream.write(`weights: ${printable(file)}\n`);
  return file;
}

function download(path: string | undefined, cacheDir: string | undefined, stream: NodeJS.WriteStream, quiet: boolean, signal?: AbortSignal): Promise<string> {
  if (!quiet) stream.write('downloading the VGG19 weights (80 MB, once; they are cached)...\n');
  const lines = new Throttle(1000);
  return resolveWeightsFile({
    path, cacheDir, signal,
    onProgress: (p) => {
      if (quiet || (!lines.due() && p.received < p.total)) return;
      const mb = (n: number) => (n / 1e6).toFixed(1);
      stream.write(`  ${mb(p.received)}/${mb(p.total)} MB at ${mb(p.bytesPerSecond)} MB/s from ${p.url}\n`);
    },
  });
}
