// Fast mode's nets as an installation loads them: the .tflite files of assets/fast converted to ONNX once, at build
// time, into dist/fast (see src/engine/fast/fast-nets.ts), so that no run pays for reading and converting them.
// Each must come out as the bytes whose sha256 FAST_NET_FILES records: those are the nets the tests ran.
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { FAST_NET_FILES, SHIPPED_NETS_DIR, convertedModels } from '../src/engine/fast/fast-nets';

export async function convertNets(root: string): Promise<void> {
  const models = await convertedModels(path.join(root, 'assets', 'fast'));
  const out = path.join(root, SHIPPED_NETS_DIR);
  // Made afresh: a net a former build shipped under another name must not be packaged beside the current ones.
  await fs.rm(out, { recursive: true, force: true });
  await fs.mkdir(out, { recursive: true });
  for (const role of Object.keys(models) as (keyof typeof FAST_NET_FILES)[]) {
    for (const [k, bytes] of models[role].entries()) {
      const { file, sha256 } = FAST_NET_FILES[role].onnx[k];
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== sha256) {
        throw new Error(
          `the ${role} converts to ONNX bytes of sha256 ${actual} (${file}), but FAST_NET_FILES.${role}.onnx records ${sha256}: if ` +
            'the conversion changed on purpose, record the new sha256 in src/engine/fast/fast-nets.ts once the reference tests pass',
        );
      }
      await fs.writeFile(path.join(out, file), bytes);
    }
  }
}
