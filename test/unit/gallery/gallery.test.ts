import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { loadFastNets } from '../../../src/engine/fast/fast-nets';
import { UserError } from '../../../src/common/errors';
import { GALLERY, closestGalleryIds } from '../../../src/gallery/paintings';
import { checkPainting, galleryDir, sha256Hex } from '../../../src/gallery/read-painting';
import { STYLE_VECTORS_FILE, type StoredStyleVectors } from '../../../src/pipeline/fast-style-vectors';
import { galleryStyleVectors } from '../../../scripts/gallery/style-vectors';

describe('the style gallery', function () {
  this.timeout(60_000);
  const dir = galleryDir();

  it('indexes exactly the paintings in assets/gallery, each with its sha256, and credits each in CREDITS.md', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort();
    assert.deepEqual(GALLERY.map((s) => s.file).sort(), files);
    assert.equal(GALLERY.length, 20);
    const credits = readFileSync(path.join(dir, 'CREDITS.md'), 'utf8');
    for (const s of GALLERY) {
      assert.equal(sha256Hex(readFileSync(path.join(dir, s.file))), s.sha256, s.file);
      assert.ok(credits.includes(`${s.sha256}  ${s.file}`), `CREDITS.md lists no sha256 for ${s.file}`);
      assert.ok(credits.includes(`| \`${s.file}\` |`), `CREDITS.md has no row for ${s.file}`);
    }
    // Only the paintings, their credits and their stored vectors: nothing else ships in the folder.
    assert.deepEqual(readdirSync(dir).filter((f) => !f.endsWith('.jpg')).sort(), ['CREDITS.md', STYLE_VECTORS_FILE]);
  });

  it('has short, unique ids that fit in a file name', () => {
    assert.equal(new Set(GALLERY.map((s) => s.id)).size, GALLERY.length);
    for (const s of GALLERY) assert.match(s.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const s of GALLERY) assert.ok(s.id.length <= 24 && s.title && s.artist && s.year && s.credit, s.id);
  });

  it('stores the style vector the predictor makes of each painting (npm run gen:gallery)', async () => {
    const stored = JSON.parse(readFileSync(path.join(dir, STYLE_VECTORS_FILE), 'utf8')) as StoredStyleVectors;
    const nets = await loadFastNets();
    try {
      const computed = await galleryStyleVectors(nets);
      assert.equal(stored.predictor, computed.predictor);
      assert.deepEqual(Object.keys(stored.vectors).sort(), GALLERY.map((s) => s.sha256).sort());
      for (const s of GALLERY) {
        const worst = Math.max(...computed.vectors[s.sha256].map((v, k) => Math.abs(v - stored.vectors[s.sha256][k])));
        // The same nets on another machine or thread count may differ in the last bits, never more.
        assert.ok(worst < 1e-4, `${s.id}: the stored vector is ${worst} off; run npm run gen:gallery`);
      }
    } finally {
      nets.dispose();
    }
  });

  it('refuses a damaged painting, naming the file and the painting', () => {
    const kiss = GALLERY.find((s) => s.id === 'the-kiss')!;
    const bytes = readFileSync(path.join(dir, kiss.file));
    checkPainting(kiss, bytes, 'kiss.jpg');
    bytes[1000] ^= 0xff;
    assert.throws(() => checkPainting(kiss, bytes, '/x/klimt-the-kiss.jpg'), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /^\/x\/klimt-the-kiss\.jpg is not the gallery's The Kiss \(Gustav Klimt, 1907–08\): its sha256 is [0-9a-f]{64}, not 5978081639c8/);
      return true;
    });
  });

  it('names the closest ids to one it does not have', () => {
    assert.equal(closestGalleryIds('starry-nite')[0], 'starry-night');
    assert.equal(closestGalleryIds('wave')[0], 'great-wave');
    assert.equal(closestGalleryIds('Scream')[0], 'the-scream');
    assert.equal(closestGalleryIds('kiss', 5).length, 5);
  });
});
