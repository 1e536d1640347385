// Installs what the VS Code tests need on a Debian machine, once: Chromium (apt) to drive the workbench, and
// code-server (npm, a real VS Code with a Node extension host) into .vscode-test/code-server, outside the
// extension's own dependencies so that it can never end up in the VSIX. On its own: `npm run test:setup`.
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { run, succeeds } from './process';
import { TOOLS } from './paths';

/** The newest code-server that runs on Node 20; it embeds VS Code 1.100, the `engines.vscode` floor. */
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';
const INSTALL_DIR = path.join(TOOLS, 'code-server');
const CODE_SERVER = path.join(INSTALL_DIR, 'node_modules', '.bin', 'code-server');
/** Written last by a successful install, so that an interrupted one is redone rather than trusted. */
const MARKER = path.join(INSTALL_DIR, 'installed-version');
/** Headers code-server's native modules compile against (kerberos, native-keymap, node-pty, @vscode/spdlog). */
const BUILD_PACKAGES = ['ripgrep', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];

/** Makes Chromium and code-server available and returns code-server's executable. Fast when both are there. */
export async function ensureTools(): Promise<string> {
  const installed = existsSync(MARKER) && readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION;
  await ensureDebianPackages(installed ? ['chromium'] : ['chromium', ...BUILD_PACKAGES]);
  if (!installed) await installCodeServer();
  return CODE_SERVER;
}

async function ensureDebianPackages(packages: string[]): Promise<void> {
  const missing = packages.filter((p) =>
    !/install ok installed/.test(spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout ?? ''));
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || !succeeds('apt-get', ['--version'])) {
    throw new Error(`missing Debian packages: ${missing.join(', ')}; install them as root: ${command}`);
  }
  console.log(`[setup] installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env, quiet: true });
  await run('apt-get', ['install', '-y', ...missing], { env, quiet: true });
}

async function installCodeServer(): Promise<void> {
  console.log(`[setup] installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), INSTALL_DIR)} (about 1.5 min)`);
  rmSync(INSTALL_DIR, { recursive: true, force: true });
  const tmp = path.join(INSTALL_DIR, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // A package.json of its own, so that npm installs here instead of into the enclosing extension project.
  writeFileSync(path.join(INSTALL_DIR, 'package.json'), '{ "private": true }\n');
  seedRipgrepCache(tmp);
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: INSTALL_DIR,
    env: {
      // Without npm's own variables: under `npm run`, npm_config_local_prefix would point this install at the project.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
      TMPDIR: tmp,
      // code-server's install script refuses root without unsafe_perm; node-pty's runs npx, which asks unless yes.
      npm_config_unsafe_perm: 'true',
      npm_config_yes: 'true',
      ...nodeHeaders(),
    },
  });
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(MARKER, `${CODE_SERVER_VERSION}\n`);
}

/**
 * node-gyp builds code-server's native modules against Node's headers, which it downloads unless told where they
 * are; offline that download fails. Debian's nodejs-dev (and Node installed under a prefix) puts them in
 * <prefix>/include/node: use them when their version is this Node's.
 */
function nodeHeaders(): Record<string, string> {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const header = path.join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(header)) {
    console.log(`[setup] no Node headers at ${header}: node-gyp will try to download them (it cannot offline)`);
    return {};
  }
  const text = readFileSync(header, 'utf8');
  const part = (name: string) => text.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
  const version = ['MAJOR', 'MINOR', 'PATCH'].map(part).join('.');
  if (`v${version}` !== process.version) return {};
  return { npm_config_nodedir: prefix };
}

/**
 * code-server's @vscode/ripgrep downloads rg from GitHub at install time, which fails offline; its postinstall
 * looks in `$TMPDIR/vscode-ripgrep-cache-<its version>/` first, so put Debian's rg there under the expected name.
 * Only the x86-64 name is known to be right; elsewhere the download is left to happen.
 */
function seedRipgrepCache(tmp: string): void {
  if (process.arch !== 'x64') return;
  const cache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(cache, { recursive: true });
  const tarball = path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  const tar = spawnSync('tar', ['czf', tarball, '-C', '/usr/bin', 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('could not pack /usr/bin/rg for the ripgrep cache (is Debian\'s ripgrep installed?)');
}

export async function main(): Promise<number> {
  const cs = await ensureTools();
  console.log(`[setup] ready: ${path.relative(process.cwd(), cs)} ${CODE_SERVER_VERSION}, ${CHROMIUM}`);
  return 0;
}
