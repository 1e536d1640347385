import { promises as fs } from 'fs';
import { UserError, fileProblem } from '../engine/errors';

export async function readImageBytes(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`image file not found: ${file}`);
    throw new UserError(`cannot read image ${file}: ${fileProblem(e)}`);
  }
}
