import { promises as fs } from 'fs';
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import type { Raster } from '../../../src/image/raster';

export type Rgb = readonly [number, number, number];
export const RED: Rgb = [255, 0, 0];
export const BLUE: Rgb = [0, 0, 255];

/** A fresh folder under the OS temp dir; `after` hooks remove it. */
export function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'neural-style-image-'));
}

export function removeDir(dir: string): Promise<void> {
  return fs.rm(dir, { recursive: true, force: true });
}

/** A w x h image whose left half is `left` and right half `right` (so a flip or a transposition shows). */
export function halves(width: number, height: number, left: Rgb, right: Rgb = left): sharp.Sharp {
  const bytes = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) bytes.set(i % width < width / 2 ? left : right, i * 3);
  return sharp(bytes, { raw: { width, height, channels: 3 } });
}

/** The pixel at (x, y) as bytes, to compare with the colours the images were made of. */
export function pixel(r: Raster, x: number, y: number): number[] {
  const i = (y * r.width + x) * 3;
  return Array.from(r.data.subarray(i, i + 3), (v) => Math.round(v * 255));
}

export function assertColour(actual: number[], expected: Rgb, tolerance: number, what: string): void {
  const off = actual.some((v, c) => Math.abs(v - expected[c]) > tolerance);
  assert.ok(!off, `${what}: got [${actual}], expected [${expected}] within ${tolerance}`);
}
