import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError, errorMessage, fileProblem, printable } from '../common/errors';
import type { Progress } from '../common/report';
import { localOutputFs } from '../output/local-fs';
import { writeOutput } from '../output/write';

/**
 * `--preview-dir`: the progress previews as numbered PNG files. Each file appears whole or not at all (written like
 * a result); a folder that fills up or goes away mid-run stops the previews with a note, never the run.
 */
export class PreviewWriter {
  private count = 0;
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  private constructor(
    private readonly dir: string,
    private readonly note: (message: string) => void,
  ) {}

  /** The folder, created if need be; a path that cannot be a folder of previews is refused before the run. */
  static async open(dir: string, note: (message: string) => void): Promise<PreviewWriter> {
    const existing = await fs.stat(dir).catch(() => undefined);
    if (existing && !existing.isDirectory()) throw new UserError(`cannot write previews into ${dir}: it is not a folder`);
    try {
      await fs.mkdir(dir, { recursive: true });
      const trial = path.join(dir, `.neural-style-check-${process.pid}`);
      await fs.writeFile(trial, '');
      await fs.rm(trial);
    } catch (e) {
      throw new UserError(`cannot write previews into ${dir}: ${fileProblem(e)}`);
    }
    return new PreviewWriter(dir, note);
  }

  write(png: Uint8Array, p: Progress): void {
    if (this.failed) return;
    const file = path.join(this.dir, `preview-${String(++this.count).padStart(4, '0')}-step${p.step}.png`);
    this.writing = this.writing.then(() =>
      writeOutput(localOutputFs, file, png, 'overwrite').then(
        () => {},
        (e) => {
          this.failed = true;
          this.note(`note: previews stopped: cannot write ${printable(file)}: ${fileProblem(e) || errorMessage(e)}`);
        },
      ),
    );
  }

  /** Resolves when every preview asked for has been written or given up. */
  finished(): Promise<void> {
    return this.writing;
  }
}
