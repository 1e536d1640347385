import { randomBytes } from 'crypto';
import type * as path from 'path';

/** The file operations an output needs; vscode.workspace.fs in the extension, Node's fs in the CLI. */
export interface OutputFs {
  /** How this file system's paths are spelled ('/' for URI paths, the platform's for local files). */
  readonly paths: path.PlatformPath;
  exists(p: string): Promise<boolean>;
  /** Creates the folder and its parents; one that exists is fine. */
  createDirectory(p: string): Promise<void>;
  /** Creates a new file with these bytes, all of them on disk when it resolves. */
  writeFile(p: string, bytes: Uint8Array): Promise<void>;
  /** Gives `from`'s content the name `to` if nothing has that name, atomically; else fails with TargetExistsError. */
  publish(from: string, to: string): Promise<void>;
  /** Gives `from` the name `to`, replacing what had it. */
  replace(from: string, to: string): Promise<void>;
  delete(p: string): Promise<void>;
  /** Removes temporary files that writers which died (killed, or power lost) left in the folder, if it can. */
  removeAbandoned?(dir: string): Promise<void>;
}

/**
 * The hidden temporary file a write goes through, beside the target: `.neural-style-<16 hex digits>.tmp`. Its
 * length does not depend on the target's (a target name that fits fits with it), and its marker is what lets the
 * clean-up of abandoned ones tell them from a user's files.
 */
export const TEMPORARY_NAME = /^\.neural-style-[0-9a-f]{16}\.tmp$/;

const temporaryName = () => `.neural-style-${randomBytes(8).toString('hex')}.tmp`;

export class TargetExistsError extends Error {
  constructor(readonly target: string) {
    super(`${target} already exists`);
    this.name = 'TargetExistsError';
  }
}

/**
 * `next-free`: the name, or the first free one of name-1, name-2, ..., taken when the file is written (so runs side
 * by side each keep their picture); `exact`: that name or a TargetExistsError; `overwrite`: that name, replacing.
 */
export type WriteMode = 'next-free' | 'exact' | 'overwrite';

/** Names taken by someone else between the check and the write, more than this many times in a row, would be odd. */
const MAX_ATTEMPTS = 10;

/**
 * Writes `bytes` under `desired` (as `mode` says) so that no name ever shows a partial image, even if the process
 * dies: the bytes go to a hidden temporary file in the same folder, which then takes the name; success or failure,
 * the temporary file is removed. Returns the path written.
 */
export async function writeOutput(fs: OutputFs, desired: string, bytes: Uint8Array, mode: WriteMode = 'next-free'): Promise<string> {
  const { paths } = fs;
  const dir = paths.dirname(desired);
  await fs.createDirectory(dir);
  await fs.removeAbandoned?.(dir).catch(() => {});
  const tmp = paths.join(dir, temporaryName());
  await fs.writeFile(tmp, bytes);
  try {
    if (mode === 'overwrite') {
      await fs.replace(tmp, desired);
      return desired;
    }
    if (mode === 'exact') {
      await fs.publish(tmp, desired);
      return desired;
    }
    for (let attempt = 1; ; attempt++) {
      const target = await freePath(fs, desired);
      try {
        await fs.publish(tmp, target);
        return target;
      } catch (e) {
        if (!(e instanceof TargetExistsError) || attempt === MAX_ATTEMPTS) throw e;
      }
    }
  } finally {
    await fs.delete(tmp).catch(() => {});
  }
}

/** `a.png` if free, else the first free of `a-1.png`, `a-2.png`, ... */
export async function freePath(fs: Pick<OutputFs, 'paths' | 'exists'>, p: string): Promise<string> {
  const { dir, name, ext } = fs.paths.parse(p);
  let candidate = p;
  for (let n = 1; await fs.exists(candidate); n++) candidate = fs.paths.join(dir, `${name}-${n}${ext}`);
  return candidate;
}
