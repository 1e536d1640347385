// Bundles the integration suite the way scripts/build.mjs bundles the unit tests, with the project's esbuild
// settings for Node: one file, so that the tests and the code they import share one copy of each module.
import * as esbuild from 'esbuild';
import { readdir } from 'fs/promises';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ROOT, SUITE_DIR } from './paths';

/**
 * Writes out/integration/index.js (the runner, with mocha inside), tests.js (test/integration/*.test.ts) and
 * restricted.js (test/integration/restricted/, the suite that runs in Restricted Mode).
 */
export async function bundleSuite(): Promise<void> {
  const dir = path.join(ROOT, 'test', 'integration');
  const files = (await readdir(dir, { recursive: true }))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => `./${f.split(path.sep).join('/')}`);
  const restricted = files.filter((f) => f.startsWith('./restricted/'));
  // Plain JS shared with scripts/build.mjs; a computed specifier, as TypeScript has no types for it.
  const shared = await import(pathToFileURL(path.join(ROOT, 'scripts', 'esbuild-node.mjs')).href);
  const node: esbuild.BuildOptions = shared.nodeBundle();
  await Promise.all([
    esbuild.build({
      ...node, entryPoints: [path.join(dir, 'index.ts')], outfile: path.join(SUITE_DIR, 'index.js'), external: ['vscode'],
      // mocha's parallel mode resolves its worker files at run time; the suite runs serially and never loads them.
      logOverride: { 'require-resolve-not-external': 'silent' },
    }),
    ...[['tests.js', files.filter((f) => !restricted.includes(f))], ['restricted.js', restricted]].map(([name, tests]) =>
      esbuild.build({
        // mocha stays out: the tests use the globals of the instance index.js runs them with.
        ...node, outfile: path.join(SUITE_DIR, name as string), external: [...shared.external, 'mocha'],
        stdin: { contents: (tests as string[]).map((f) => `import ${JSON.stringify(f)};`).join('\n'), resolveDir: dir, loader: 'ts' },
      }),
    ),
  ]);
}
