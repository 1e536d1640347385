// Writes the generated parts of package.json (contributes, capabilities, activationEvents) from
// src/extension/manifest.ts, which builds them from the option table, the extension's own settings and the image
// types. Run it after changing any of those; test/unit/extension/manifest.test.ts fails until then.
// Usage: npm run gen:manifest
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'out', 'gen-manifest.js');
await esbuild.build({
  entryPoints: [path.join(root, 'src/extension/manifest.ts')], outfile, bundle: true, platform: 'node',
  target: 'node20', format: 'cjs', logLevel: 'warning',
});
const { contributes, capabilities, ACTIVATION_EVENTS } = createRequire(import.meta.url)(outfile);

// Read, change only the generated keys, write: package.json has other owners too.
const file = path.join(root, 'package.json');
const pkg = JSON.parse(readFileSync(file, 'utf8'));
pkg.activationEvents = ACTIVATION_EVENTS;
pkg.contributes = contributes();
pkg.capabilities = capabilities();
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`package.json: ${Object.keys(pkg.contributes.configuration.properties).length} settings, ` +
  `${pkg.contributes.commands.length} commands`);
