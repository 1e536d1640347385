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

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
