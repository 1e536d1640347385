// Child processes of the harness: commands that must succeed, and servers stopped with their whole process group.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'child_process';
import * as path from 'path';

/**
 * Runs a command to completion, its output shown (or, with `quiet`, kept for the error); throws naming the command
 * when it fails.
 */
export function run(cmd: string, args: string[], opts: SpawnOptions & { quiet?: boolean } = {}): Promise<void> {
  const { quiet, ...spawnOpts } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: quiet ? 'pipe' : 'inherit', ...spawnOpts });
    let output = '';
    child.stdout?.on('data', (d) => { output += d; });
    child.stderr?.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('exit', (code, signal) => code === 0 ? resolve() : reject(new Error(
      `${path.basename(cmd)} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})${output ? `:\n${output}` : ''}`)));
  });
}

/** True when `cmd args` exits 0 (output discarded). */
export function succeeds(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

const groups = new Set<number>();
// The harness can die on an exception or Ctrl-C with a server still up: kill what is left as the process ends.
process.on('exit', () => { for (const pid of groups) killGroup(pid, 'SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => { console.error(`\n${signal}: stopping`); process.exit(130); });
}

/**
 * Starts a long-running server as the leader of a new process group, so that everything it starts (code-server's
 * extension host, the extension's worker) can be stopped together: code-server's extension host outlives the
 * server itself otherwise (it waits for the client to reconnect).
 */
export function startGroup(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
  const child = spawn(cmd, args, { ...opts, detached: true });
  if (child.pid !== undefined) groups.add(child.pid);
  return child;
}

/** SIGTERM to the group, then SIGKILL to whatever is still in it after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || !groups.has(pid)) return;
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  killGroup(pid, 'SIGKILL');
  groups.delete(pid);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* the group is gone already */ }
}

function groupAlive(pid: number): boolean {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}
