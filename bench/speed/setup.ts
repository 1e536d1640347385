import { execFile } from 'child_process';
import { promisify } from 'util';

const run = promisify(execFile);

/** Debian's Python: the pyenv `python3` on PATH has no torch. */
export const PYTHON = '/usr/bin/python3';

/** PyTorch as a user would install it here, and OpenBLAS, which replaces Debian's reference BLAS (a Gram `mm` on
 * the reference BLAS takes 82% of a step: not a fair peer, see docs/backends.md). */
const PACKAGES = ['python3-torch', 'python3-h5py', 'libopenblas0-pthread'];

async function installed(pkg: string): Promise<boolean> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Status}', pkg]);
    return stdout.includes('install ok installed');
  } catch {
    return false;
  }
}

/**
 * Makes sure the PyTorch reference can run, installing the missing Debian packages with apt-get (as root).
 * Returns why not when it cannot: the benchmark then runs without it.
 */
export async function ensurePytorch(log: (line: string) => void): Promise<string | undefined> {
  const missing: string[] = [];
  for (const pkg of PACKAGES) if (!(await installed(pkg))) missing.push(pkg);
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) return `missing ${missing.join(', ')}: run as root, or apt-get install -y ${missing.join(' ')}`;
    log(`installing ${missing.join(', ')} with apt-get (once)`);
    try {
      await run('apt-get', ['update'], { maxBuffer: 64 << 20 });
      await run('apt-get', ['install', '-y', ...missing], { maxBuffer: 64 << 20, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (e) {
      return `apt-get install ${missing.join(' ')} failed: ${String((e as { stderr?: string }).stderr ?? e).trim().split('\n').pop()}`;
    }
  }
  try {
    await run(PYTHON, ['-c', 'import torch, h5py']);
  } catch (e) {
    return `${PYTHON} cannot import torch and h5py: ${String((e as { stderr?: string }).stderr ?? e).trim().split('\n').pop()}`;
  }
  return undefined;
}
