/**
 * A problem the user can fix (a bad path, an out-of-range number, a layer the weights file lacks).
 * The CLI prints its message on one line and exits with status 2; the extension shows it as is.
 * Anything else that escapes is a bug and keeps its stack.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Values looked at, at most, to show one: a value that arrived over IPC may nest deep or hold one object many times. */
const MAX_SHOWN_VALUES = 1000;

/**
 * A value as a message names it ("got ..."): its JSON, or for one that has none or is too large to write out (a
 * BigInt, an object that holds itself, thousands of entries) what it is.
 */
export function shownValue(value: unknown): string {
  let looked = 0;
  try {
    return JSON.stringify(value, (_key, x: unknown) => {
      if (++looked > MAX_SHOWN_VALUES) throw new RangeError('too large to show');
      return x;
    }) ?? String(value);
  } catch {
    if (Array.isArray(value)) return `a list of ${value.length}`;
    return typeof value === 'object' && value !== null ? 'an object' : String(value);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What went wrong with a file, in words that fit after "cannot read X: " or "cannot write X: ". */
export function fileProblem(e: unknown): string {
  switch ((e as { code?: unknown } | undefined)?.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return errorMessage(e).split('\n')[0];
  }
}
