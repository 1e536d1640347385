// Where the harness keeps its tools, its build output and the logs a run leaves behind.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The checkout; run.mjs bundles the harness into out/vscode-test/, two levels below it. */
export const ROOT = path.resolve(__dirname, '../..');
/** Tools installed for the tests only (gitignored, never in the VSIX): code-server, its npm cache of ripgrep. */
export const TOOLS = path.join(ROOT, '.vscode-test');
/** Logs and screenshots of the last run of each command (gitignored), e.g. artifacts/integration/. */
export const ARTIFACTS = path.join(ROOT, 'artifacts');
/** The bundled integration suite: index.js (the mocha runner VS Code loads) and tests.js (every *.test.ts). */
export const SUITE_DIR = path.join(ROOT, 'out', 'integration');
export const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'workspace');

/** artifacts/<name>/, emptied: it holds the logs and screenshots of this run only. */
export function freshArtifacts(name: string): string {
  const dir = path.join(ARTIFACTS, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Runs `body` with a new temp folder (profiles, workspace, browser profile), removed afterwards; code-server's own
 * logs (extension host, the extension's output channels) are copied to `artifacts` first.
 */
export async function withTempDir<T>(artifacts: string, body: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'neural-style-vscode-'));
  // Also on Ctrl-C, after process.ts has stopped the servers (its 'exit' listener comes first).
  const remove = () => {
    try { rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }); } catch { /* a process still writing */ }
  };
  process.once('exit', remove);
  try {
    return await body(tmp);
  } finally {
    const logs = path.join(tmp, 'user-data', 'logs');
    if (existsSync(logs)) cpSync(logs, path.join(artifacts, 'code-server-logs'), { recursive: true });
    remove();
    process.removeListener('exit', remove);
  }
}
