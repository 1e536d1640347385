// The folder the tests open: a temp copy of test/fixtures/workspace (settings, non-image files) plus images drawn
// here, so that no binary test images live in the repository and every run starts from the same pristine files.
import { cpSync, mkdirSync } from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { FIXTURE_WORKSPACE } from './paths';

const STRIPES: [number, number, number][] = [[200, 40, 40], [30, 30, 120], [240, 240, 220]];

/** name → size and pixel formula (RGB 0-255 at x, y); small, so that a whole style transfer on them is quick. */
const IMAGES: Record<string, { width: number; height: number; rgb(x: number, y: number): [number, number, number] }> = {
  // Content: a disc on a gradient, shapes the stylized result should keep.
  'content.png': {
    width: 96, height: 64,
    rgb: (x, y) => (Math.hypot(x - 48, y - 32) < 20 ? [230, 200, 40] : [40 + x * 2, 90 + y, 160]),
  },
  // Style: diagonal colour stripes, a texture with an obvious Gram matrix.
  'style.jpg': { width: 64, height: 64, rgb: (x, y) => STRIPES[Math.floor((x + y) / 6) % STRIPES.length] },
};

/** Copies the fixture to the new folder `dir` and draws the images into it. */
export async function makeWorkspace(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  cpSync(FIXTURE_WORKSPACE, dir, { recursive: true });
  for (const [name, { width, height, rgb }] of Object.entries(IMAGES)) {
    const raw = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(rgb(x, y), (y * width + x) * 3);
    await sharp(raw, { raw: { width, height, channels: 3 } }).toFile(path.join(dir, name));
  }
  return dir;
}
