import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers op gradients only through this module (the @tensorflow/tfjs umbrella imports it).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { errorMessage } from '../../common/errors';

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

/**
 * Registers and activates one tfjs backend, or throws saying why it cannot run here. Each backend package is
 * required only when asked for: tfjs-node is an optional native dependency that is often absent, and loading the
 * others costs start-up time for nothing.
 */
export async function activateTfjs(name: TfjsBackendName): Promise<string> {
  if (tf.findBackend(name) === null || tf.getBackend() !== name) {
    try {
      registerBackend(name);
    } catch (e) {
      throw new Error(`the ${name} backend cannot load: ${errorMessage(e)}`);
    }
    let ok = false;
    try {
      ok = await tf.setBackend(name);
    } catch (e) {
      throw new Error(`the ${name} backend failed to start: ${errorMessage(e)}`);
    }
    if (!ok) {
      // tfjs logs the cause and returns false; the usual one for wasm is a .wasm file missing beside the bundle.
      const hint = name === 'wasm' ? ` (are tfjs-backend-wasm*.wasm present in ${__dirname}?)` : '';
      throw new Error(`the ${name} backend failed to start${hint}`);
    }
  }
  await tf.ready();
  return describe(name);
}

function registerBackend(name: TfjsBackendName): void {
  switch (name) {
    case 'tensorflow':
      try {
        // A computed name keeps bundlers from resolving it: the package is optional and native.
        const id = ['@tensorflow', 'tfjs-node'].join('/');
        require(id);
      } catch (e) {
        const missing = /Cannot find module/.test(errorMessage(e));
        throw new Error(
          missing
            ? '@tensorflow/tfjs-node is not installed (its install script downloads libtensorflow, which failed or was skipped)'
            : errorMessage(e).split('\n')[0],
        );
      }
      break;
    case 'wasm':
      require('@tensorflow/tfjs-backend-wasm');
      break;
    case 'cpu':
      require('@tensorflow/tfjs-backend-cpu');
      break;
  }
}

function describe(name: TfjsBackendName): string {
  if (name === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
    return `tfjs ${tf.version_core} wasm, ${simd}, 1 thread`;
  }
  if (name === 'tensorflow') return `tfjs ${tf.version_core} + libtensorflow (native)`;
  return `tfjs ${tf.version_core} cpu (pure JavaScript)`;
}
