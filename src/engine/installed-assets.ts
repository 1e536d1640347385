import { existsSync } from 'fs';
import * as path from 'path';
import { UserError } from '../common/errors';

/**
 * A folder of the installation, `relative` to its root (dist/fast: fast mode's converted nets; assets/gallery: the
 * style gallery): the bundles run from a folder below the root (dist/, out/ ...). `what` names what the folder holds
 * in the error when it is missing.
 */
export function installedDir(relative: string, what: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new UserError(`${what} (${relative}) are missing from this installation (${__dirname})`);
  }
}
