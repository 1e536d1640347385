import { execFile } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

/**
 * The benchmarks' peers (PyTorch, TensorFlow and its TFLite interpreter) live in a virtual environment of their
 * own, made by the first benchmark run, never by `npm ci` or in CI: a user's Python is left alone, and the peers
 * are the newest releases pip finds (its own configuration says where: an index, a mirror, find-links).
 */
const VENV = process.env.NEURAL_STYLE_BENCH_VENV ?? path.join(os.homedir(), '.cache/neural-style-bench/venv');
export const PEER_PYTHON = path.join(VENV, 'bin/python');
const PACKAGES = ['torch', 'tensorflow-cpu', 'h5py', 'numpy'];
const PIP_TIMEOUT_MS = 30 * 60_000;

const lastLine = (e: unknown) => String((e as { stderr?: string }).stderr || e).trim().split('\n').pop();

async function importable(): Promise<string | undefined> {
  try {
    await run(PEER_PYTHON, ['-c', 'import torch, tensorflow, h5py, numpy'], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
    return undefined;
  } catch (e) {
    return lastLine(e);
  }
}

/**
 * Makes sure the peers can run, making the virtual environment and installing them with pip when they cannot.
 * Returns why not when that fails: the benchmark then runs without them.
 */
export async function ensurePeers(log: (line: string) => void): Promise<string | undefined> {
  if ((await importable()) === undefined) return undefined;
  if (process.env.CI) return `not installed in CI (${VENV} has no ${PACKAGES.join(', ')})`;
  log(`installing the peers (${PACKAGES.join(', ')}) into ${VENV} with pip, once: this takes minutes`);
  try {
    await run('python3', ['-m', 'venv', VENV]);
    await run(PEER_PYTHON, ['-m', 'pip', 'install', '--upgrade', ...PACKAGES], { maxBuffer: 64 << 20, timeout: PIP_TIMEOUT_MS });
  } catch (e) {
    return `pip could not install ${PACKAGES.join(', ')} into ${VENV}: ${lastLine(e)}`;
  }
  const why = await importable();
  return why && `${PEER_PYTHON} cannot import torch, tensorflow, h5py and numpy: ${why}`;
}
