/**
 * A problem the user can fix (a bad path, an out-of-range number, a layer the weights file lacks).
 * The CLI prints its message on one line and exits with status 2; the extension shows it as is.
 * Anything else that escapes is a bug and keeps its stack.
 */
export class UserError extends Error {
  constructor(message: string) {
    // The names in it (of files, of what was typed) could hold a newline or a terminal's escape sequence.
    super(printable(message));
    this.name = 'UserError';
  }
}

/**
 * `text` with its control characters escaped (\n, \x1b, \u202e ...): a file name may hold newlines, a terminal's
 * escape sequences or bidirectional overrides, which shown raw would break a message's one line, recolour the
 * terminal or show another name than the real one.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    const named = ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' } as Record<string, string>)[c];
    const code = c.charCodeAt(0);
    return named ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/**
 * Why a file that `path` names was not found, when the name itself is the reason: Node.js decodes command-line
 * arguments as UTF-8 and puts U+FFFD for bytes that are not, so a name in another encoding (Latin-1, say) arrives
 * as a different name, which no file has. Empty otherwise.
 */
export function nameNotUtf8(path: unknown): string {
  return typeof path === 'string' && path.includes('\ufffd')
    ? ' (\ufffd stands for bytes of the name that are not UTF-8, which this program cannot open; rename the file)'
    : '';
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
      return `no such file or folder${nameNotUtf8((e as { path?: unknown }).path)}`;
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
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system';
    default:
      return errorMessage(e).split('\n')[0];
  }
}
