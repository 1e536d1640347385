import { fileProblem } from '../common/errors';

/**
 * What the CLI does when its standard output or error cannot be written. A reader that leaves (`| head`, `| true`)
 * is not a failure: the work is done or nobody wants the rest, so what is left to print is dropped and the exit
 * status is the work's. Standard output failing otherwise (a full disk) is said once, and the status is `status`
 * unless the work already set another failure; standard error failing leaves nowhere to say anything.
 */
export function tolerateClosedOutput(status: number): void {
  let reported = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || reported) return;
    reported = true;
    process.stderr.write(`neural-style: cannot write to the standard output: ${fileProblem(e)}\n`);
    if (!process.exitCode) process.exitCode = status;
  });
  process.stderr.on('error', () => {});
}
