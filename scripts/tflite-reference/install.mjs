// Installs the real TFLite runtime into this folder's own node_modules when it is not there yet. It stays out of
// the product's dependencies: @tensorflow/tfjs-tflite asks for an older tfjs-core (hence --legacy-peer-deps).
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

export const REFERENCE_DIR = path.dirname(fileURLToPath(import.meta.url));

export function ensureReferenceRuntime() {
  if (existsSync(path.join(REFERENCE_DIR, 'node_modules/@tensorflow/tfjs-tflite/package.json'))) return;
  console.log(`installing the TFLite reference runtime into ${REFERENCE_DIR}/node_modules ...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--legacy-peer-deps', '--no-audit', '--no-fund'], { cwd: REFERENCE_DIR, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ci in ${REFERENCE_DIR} failed (${r.status ?? r.signal})`);
}
