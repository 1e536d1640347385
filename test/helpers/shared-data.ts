import * as fs from 'fs';
import * as path from 'path';

/**
 * Test data that lives outside the repository (real VGG19 weights of blocks 1-3, photos, paintings). It is read
 * in place, never copied in; NEURAL_STYLE_SHARED_DATA points elsewhere, and tests skip where it is absent.
 */
export const SHARED_DATA = process.env.NEURAL_STYLE_SHARED_DATA ?? path.resolve(repoRoot(), '../shared/data');

/** The checkout's root, found from wherever this file was compiled or bundled to. */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const REAL_WEIGHTS = path.join(SHARED_DATA, 'vgg19/vgg19_partial_blocks1-3_notop.h5');
export const DOG = path.join(SHARED_DATA, 'images/content/YellowLabradorLooking_new.jpg');
export const GOLDEN_GATE = path.join(SHARED_DATA, 'images/content/golden_gate.jpg');
export const KANDINSKY = path.join(SHARED_DATA, 'images/style/kandinsky_composition_7.jpg');
export const STARRY_NIGHT = path.join(SHARED_DATA, 'images/style/starry_night.jpg');

/** Skips the calling test or suite, saying which file is missing, when `files` are not all on this machine. */
export function requireShared(ctx: Mocha.Context, ...files: string[]): void {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    console.log(`      (skipped: shared test data not found: ${missing.join(', ')}; set NEURAL_STYLE_SHARED_DATA)`);
    ctx.skip();
  }
}
