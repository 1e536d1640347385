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
): Promise<string> {
  const file = (await localWeightsFile({ path, cacheDir })) ?? (await download(path, cacheDir, stream));
  if (!quiet) stream.write(`weights: ${file}\n`);
  return file;
}

function download(path: string | undefined, cacheDir: string | undefined, stream: NodeJS.WriteStream): Promise<string> {
  stream.write('downloading the VGG19 weights (80 MB, once; they are cached)...\n');
  let last = 0;
  return resolveWeightsFile({
    path, cacheDir,
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < 1000 && p.received < p.total) return;
      last = now;
      const mb = (n: number) => (n / 1e6).toFixed(1);
      stream.write(`  ${mb(p.received)}/${mb(p.total)} MB at ${mb(p.bytesPerSecond)} MB/s from ${p.url}\n`);
    },
  });
}
