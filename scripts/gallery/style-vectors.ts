import { FAST_NET_FILES, type FastNets } from '../../src/engine/fast/fast-nets';
import { defaultOptions } from '../../src/common/options';
import { GALLERY } from '../../src/gallery/paintings';
import { readPainting } from '../../src/gallery/read-painting';
import { decodeStyle } from '../../src/pipeline/fast-images';
import type { StoredStyleVectors } from '../../src/pipeline/fast-style-vectors';

/** Fast mode's style vector of every gallery painting, computed as for any style image the user gives. */
export async function galleryStyleVectors(nets: FastNets, dir?: string): Promise<StoredStyleVectors> {
  const fast = { ...defaultOptions(), method: 'fast' as const };
  const vectors: Record<string, number[]> = {};
  for (const style of GALLERY) {
    const raster = await decodeStyle(fast, { name: style.id, bytes: await readPainting(style, dir) });
    vectors[style.sha256] = Array.from(await nets.styleVector(raster));
  }
  return { predictor: FAST_NET_FILES.predictor.sha256, vectors };
}

/** The JSON file: one painting a line; 9 significant digits give every float32 back exactly. */
export function styleVectorsJson(v: StoredStyleVectors): string {
  const lines = Object.entries(v.vectors).map(([sha, vector]) => `  ${JSON.stringify(sha)}: [${vector.map((x) => Number(x.toPrecision(9))).join(',')}]`);
  return `{\n"predictor": ${JSON.stringify(v.predictor)},\n"vectors": {\n${lines.join(',\n')}\n}}\n`;
}
