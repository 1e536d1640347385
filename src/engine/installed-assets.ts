import { existsSync } from 'fs';
import * as path from 'path';
import { UserError } from '../common/errors';

/**
 * assets/<name> of the installation (fast mode's nets, the style gallery): the bundles run from a folder below its
 * root (dist/, out/ ...). `what` names the assets in the error when they are missing.
 */
export function installedAssetsDir(name: string, what: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'assets', name);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new UserError(`${what} (assets/${name}) are missing from this installation (${__dirname})`);
  }
}
