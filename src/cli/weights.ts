import { Throttle } from '../engine/throttle';
import { localWeightsFile, resolveWeightsFile } from '../engine/weights/locate';

/** The weights file for a command: --weights, $NEURAL_STYLE_WEIGHTS or the cache, else a download with progress. */
export async function weightsForCli(path: string | undefined, cacheDir: string | undefined, stream: NodeJS.WriteStream): Promise<string> {
  const local = await localWeightsFile({ path, cacheDir });
  if (local) return local;
  stream.write('downloading the VGG19 weights (80 MB, once; they are cached)...\n');
  const lines = new Throttle(1000);
  return resolveWeightsFile({
    path, cacheDir,
    onProgress: (p) => {
      if (!lines.due() && p.received < p.total) return;
      const mb = (n: number) => (n / 1e6).toFixed(1);
      stream.write(`  ${mb(p.received)}/${mb(p.total)} MB at ${mb(p.bytesPerSecond)} MB/s from ${p.url}\n`);
    },
  });
}
