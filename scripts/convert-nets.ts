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
  await fs.mkdir(out, { recursive: true });
  for (const [role, bytes] of Object.entries(models) as [keyof typeof FAST_NET_FILES, Uint8Array][]) {
    const { file, sha256 } = FAST_NET_FILES[role].onnx;
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) {
      throw new Error(
        `the ${role} converts to ONNX bytes of sha256 ${actual}, but FAST_NET_FILES.${role}.onnx records ${sha256}: if the ` +
          'conversion changed on purpose, record the new sha256 in src/engine/fast/fast-nets.ts once the reference tests pass',
      );
    }
    await fs.writeFile(path.join(out, file), bytes);
  }
}
