// The entry of `npm run gen:gallery` (scripts/gen-gallery.mjs): writes assets/gallery/style-vectors.json.
import { promises as fs } from 'fs';
import * as path from 'path';
import { loadFastNets } from '../../src/engine/fast/fast-nets';
import { galleryDir } from '../../src/gallery/read-painting';
import { STYLE_VECTORS_FILE } from '../../src/pipeline/fast-style-vectors';
import { galleryStyleVectors, styleVectorsJson } from './style-vectors';

async function main(): Promise<void> {
  const nets = await loadFastNets();
  const file = path.join(galleryDir(), STYLE_VECTORS_FILE);
  const vectors = await galleryStyleVectors(nets);
  nets.dispose();
  await fs.writeFile(file, styleVectorsJson(vectors));
  console.log(`${file}: ${Object.keys(vectors.vectors).length} style vectors`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
