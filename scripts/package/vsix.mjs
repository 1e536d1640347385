// `npm run package [-- --target <vsce target>] [-- --out <file.vsix>]`: one VSIX for one platform (default: this
// machine's), with @vscode/vsce. It holds the production bundles of dist/, media/, the manifest, README and LICENSE
// (.vscodeignore), and the native modules the bundles load from node_modules at run time, for that platform only:
// sharp with its @img/* package for the target, onnxruntime-node with its target binaries, and tfjs-node when it
// is installed and the target is this machine's (its libtensorflow is the one its install fetched for here).
// The VSIX is then read back and removed if anything else is in it, or if a file the product reads at run time (the
// converted nets of dist/fast, the gallery) is missing from it. README "Packaging" says how platforms are built.
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';
import { external } from '../esbuild-node.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VSCE = path.join(ROOT, 'node_modules', '.bin', 'vsce');
const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const HOST = `${process.platform}-${process.arch}`;
const target = arg('--target') ?? HOST;
const [os, vsceArch] = target.split('-');
const platform = os === 'alpine' ? 'linux' : os;
const arch = vsceArch === 'armhf' ? 'arm' : vsceArch;
const libc = os === 'alpine' ? 'musl' : os === 'linux' ? 'glibc' : undefined;

/** What the bundles load from node_modules: their external modules, but for `vscode`, which VS Code provides. */
const ROOTS = external.filter((name) => name !== 'vscode');
/** Dependencies used only by a package's install script, never loaded at run time. */
const INSTALL_ONLY = { 'onnxruntime-node': ['adm-zip', 'global-agent'] };

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const out = path.resolve(arg('--out') ?? path.join(ROOT, 'artifacts', `${manifest.name}-${target}-${manifest.version}.vsix`));

function fail(message) {
  console.error(`[package] ${message}`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) fail(`${path.basename(cmd)} ${args.join(' ')} failed${r.stdout.trim() ? `:\n${r.stdout}` : ''}`);
}

/** The folder of package `name` as Node resolves it from `from` (nearest node_modules upwards), or undefined. */
function findPackage(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT || path.dirname(dir) === dir) return undefined;
  }
}

const readPackage = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));

/** Whether a platform package (os/cpu/libc fields of its package.json) is built for the target. */
function forTarget(pkg) {
  return (!pkg.os || pkg.os.includes(platform)) && (!pkg.cpu || pkg.cpu.includes(arch)) &&
    (!pkg.libc || !libc || pkg.libc.includes(libc));
}

/** Every package folder `name` needs at run time: its dependencies, and its optional ones built for the target. */
function runtimePackages(name, from, found = new Map()) {
  const dir = findPackage(name, from);
  if (!dir || found.has(dir)) return found;
  const pkg = readPackage(dir);
  found.set(dir, pkg);
  const skip = INSTALL_ONLY[name] ?? [];
  for (const dep of Object.keys(pkg.dependencies ?? {})) if (!skip.includes(dep)) runtimePackages(dep, dir, found);
  const optional = Object.keys(pkg.optionalDependencies ?? {});
  const matching = optional.filter((dep) => { const d = findPackage(dep, dir); return d && forTarget(readPackage(d)); });
  // The native modules pick their binary package among their optional dependencies (sharp's @img/sharp-<os>-<cpu>).
  if (ROOTS.includes(name) && optional.length > 0 && matching.length === 0) {
    // npm installs only the builder's own (npm install --os/--cpu would swap esbuild's binary for the target's too).
    fail(`${name} has no platform package for ${target} installed here: build the ${target} VSIX on a ${target} ` +
      'machine (npm ci && npm run package)');
  }
  for (const dep of matching) runtimePackages(dep, dir, found);
  return found;
}

/** Files of a runtime package that run: not source maps or TypeScript sources and declarations. */
const RUNS = '!(*.map|*.ts|*.mts|*.cts)';
/** Packages of which only a part runs: onnxruntime-node ships every platform's libraries (about 290 MB) and loads
 * the target's from bin/napi-v6/<os>/<arch>; onnxruntime-common's ES module copy is unused by require(). */
const PARTS = {
  'onnxruntime-node': ['package.json', 'dist/**', `bin/napi-v6/${platform}/${arch}/**`],
  'onnxruntime-common': ['package.json', 'dist/cjs/**'],
};

/** vsce ignore lines ("!" = keep) for one runtime package, its own nested node_modules left to the walk above. */
function keepLines(dir, pkg) {
  const rel = path.relative(ROOT, dir).split(path.sep).join('/');
  for (const part of PARTS[pkg.name] ?? []) {
    const folder = part.replace(/\/\*\*$/, '');
    if (!existsSync(path.join(dir, folder))) console.warn(`[package] ${pkg.name} has no ${folder}: it will not load on ${target}`);
  }
  const parts = PARTS[pkg.name] ?? [RUNS, `!(node_modules)/**/${RUNS}`];
  return parts.map((part) => `!${rel}/${part.endsWith('**') ? `${part}/${RUNS}` : part}`);
}

const roots = ROOTS.filter((name) => {
  if (!findPackage(name, ROOT)) return false;
  if (name === '@tensorflow/tfjs-node' && target !== HOST) {
    console.warn(`[package] leaving out ${name}: its native library is this machine's (${HOST}), not ${target}'s`);
    return false;
  }
  return true;
});
const packages = new Map();
for (const name of roots) runtimePackages(name, ROOT, packages);
const runtimeDirs = [...packages.keys()].map((d) => path.relative(ROOT, d).split(path.sep).join('/'));

const ignoreFile = path.join(ROOT, 'out', 'vsix', `${target}.vscodeignore`);
mkdirSync(path.dirname(ignoreFile), { recursive: true });
writeFileSync(ignoreFile, [
  readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'),
  `# Added by scripts/package/vsix.mjs for ${target}:`,
  ...[...packages].flatMap(([dir, pkg]) => keepLines(dir, pkg)),
  '',
].join('\n'));

console.log(`[package] ${target}: production build`);
run(process.execPath, ['scripts/build.mjs', '--production']);
mkdirSync(path.dirname(out), { recursive: true });
run(VSCE, ['package', '--target', target, '--ignoreFile', ignoreFile, '--out', out, '--allow-missing-repository',
  // Not published anywhere yet: README images stay relative and resolve against the installed extension.
  '--no-rewrite-relative-links']);

/** Names and sizes of the files in a zip, from its central directory (a VSIX is a zip; no unzip on a bare CI). */
function zipEntries(file) {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = [];
  for (let i = 0, at = zip.readUInt32LE(end + 16); i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size: zip.readUInt32LE(at + 24) });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

// Check what was packed (vsce checks the entry point): nothing but the product, no other platform's binaries.
const files = zipEntries(out).filter((e) => e.name.startsWith('extension/')).map((e) => ({ ...e, name: e.name.slice(10) }));
const misplaced = files.map((f) => f.name).filter((f) => f.startsWith('node_modules/')
  ? !runtimeDirs.some((d) => f.startsWith(`${d}/`)) || (f.includes('/napi-v6/') && !f.includes(`/napi-v6/${platform}/${arch}/`))
  : !/^(package\.json|readme\.md|LICENSE\.txt|changelog\.md|docs\/[^/]+\.png|dist\/(?!cli\.js)[^/]+\.(js|css|wasm)|dist\/fast\/[^/]+\.onnx|media\/.+|assets\/fast\/(README\.md|LICENSE)|assets\/gallery\/[^/]+)$/.test(f));
if (misplaced.length > 0) {
  rmSync(out);
  fail(`these files do not belong in the VSIX (removed):\n  ${misplaced.slice(0, 30).join('\n  ')}`);
}
// And the assets the product reads at run time are all there: fast mode's nets as the build converted them, with
// their credits, and the style gallery, every file.
const packed = new Set(files.map((f) => f.name));
const filesOf = (dir) => readdirSync(path.join(ROOT, dir)).map((f) => `${dir}/${f}`);
const shipped = [...filesOf('dist/fast'), 'assets/fast/README.md', 'assets/fast/LICENSE', ...filesOf('assets/gallery')];
const missing = shipped.filter((f) => !packed.has(f));
if (missing.length > 0) {
  rmSync(out);
  fail(`these files are missing from the VSIX (removed):\n  ${missing.join('\n  ')}`);
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const groups = new Map();
for (const { name, size } of files) {
  const key = name.startsWith('node_modules/') ? runtimeDirs.find((d) => name.startsWith(`${d}/`)) : name.split('/')[0];
  const g = groups.get(key) ?? { count: 0, bytes: 0 };
  g.count++;
  g.bytes += size;
  groups.set(key, g);
}
console.log(`[package] ${path.relative(process.cwd(), out)}: ${mb(statSync(out).size)} (${files.length} files, unpacked:)`);
for (const [key, g] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes)) {
  console.log(`  ${mb(g.bytes).padStart(9)}  ${String(g.count).padStart(4)} files  ${key}`);
}
