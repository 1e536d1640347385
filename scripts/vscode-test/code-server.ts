// One isolated code-server for one test run: its own user data, extensions and XDG folders under the run's temp
// folder, loopback only, a free port, no auth, and nothing read from or written to the user's own config.
import { createWriteStream, mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { run, startGroup, stopGroup } from './process';

/** User settings of the test profile: no welcome page, tips, telemetry or updates. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'git.enabled': false,
};
const START_TIMEOUT_MS = 60_000;

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The workbench with `folder` open; `payload` is VS Code web's list of extra launch options (extension tests). */
  url(folder: string, payload?: [string, string][]): string;
  /** A vscode-remote:// URI for a path on this machine, as the browser-side workbench names server files. */
  remoteUri(file: string): string;
  /** Settles with a description if code-server exits before `stop()`, so that a run can fail at once. */
  crashed: Promise<string>;
  stop(): Promise<void>;
}

/**
 * With workspace trust on and no prompt at start-up, a folder opened for the first time stays untrusted: VS Code's
 * Restricted Mode, which the restricted suite runs in.
 */
const RESTRICTED_SETTINGS = { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };

/** `restricted`: the folder opened will not be trusted (see RESTRICTED_SETTINGS). */
export interface Profile { userDataDir: string; extensionsDir: string; env: NodeJS.ProcessEnv; restricted: boolean }

/** Folders and environment of a fresh profile under `tmp`, shared by `installExtension` and `startCodeServer`. */
export function makeProfile(tmp: string, env: NodeJS.ProcessEnv, restricted = false): Profile {
  const userDataDir = path.join(tmp, 'user-data');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settings = restricted ? { ...USER_SETTINGS, ...RESTRICTED_SETTINGS } : USER_SETTINGS;
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // An empty config file: code-server otherwise creates ~/.config/code-server/config.yaml with a password.
  writeFileSync(path.join(tmp, 'config.yaml'), '');
  // VSCODE_* variables of a VS Code terminal the tests were started from would point code-server at that instance.
  const inherited = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('VSCODE_')));
  return {
    userDataDir,
    extensionsDir: path.join(tmp, 'extensions'),
    env: { ...inherited, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data') },
    restricted,
  };
}

function profileArgs(p: Profile): string[] {
  return ['--config', path.join(path.dirname(p.userDataDir), 'config.yaml'),
    '--user-data-dir', p.userDataDir, '--extensions-dir', p.extensionsDir];
}

export async function installExtension(codeServer: string, profile: Profile, vsix: string): Promise<void> {
  await run(codeServer, [...profileArgs(profile), '--install-extension', vsix], { env: profile.env, quiet: true });
}

/** Starts code-server and resolves once it listens; its output goes to `logFile`. */
export async function startCodeServer(codeServer: string, profile: Profile, logFile: string): Promise<CodeServer> {
  const child = startGroup(codeServer, [
    '--bind-addr', '127.0.0.1:0', '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...(profile.restricted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--ignore-last-opened',
    ...profileArgs(profile),
  ], { env: profile.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  let stopping = false;
  const stop = async () => { stopping = true; await stopGroup(child); log.end(); };
  const crashed = new Promise<string>((resolve) => child.on('exit', (code, signal) => {
    if (!stopping) resolve(`code-server exited (${signal ?? `code ${code}`}); see ${logFile}`);
  }));

  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(`did not listen within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    function fail(why: string) {
      clearTimeout(timer);
      reject(new Error(`code-server ${why}; its output (${logFile}):\n${seen.split('\n').slice(-15).join('\n')}`));
    }
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (e) => fail(`could not start: ${e.message}`));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before listening`));
  }).catch(async (e: Error) => { await stop(); throw e; });

  const origin = `http://127.0.0.1:${port}`;
  const remoteUri = (file: string) => `vscode-remote://127.0.0.1:${port}${file}`;
  return {
    origin,
    remoteUri,
    crashed,
    url: (folder, payload) => `${origin}/?folder=${encodeURIComponent(folder)}` +
      (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
    stop,
  };
}
