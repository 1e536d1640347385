import { Command } from 'commander';
import * as path from 'path';
import { GALLERY, GALLERY_PREFIX } from '../gallery/paintings';
import { galleryDir } from '../gallery/read-painting';

/** `neural-style styles`: the gallery's paintings, by id, for `gallery:ID` and `sheet`. */
export function stylesCommand(): Command {
  return new Command('styles')
    .description(`list the gallery's paintings (use one as a style with ${GALLERY_PREFIX}ID)`)
    .option('--json', 'print [{"id","title","artist","year","credit","file","sha256"}] as JSON (file: its path)')
    .action((flags: { json?: boolean }) => {
      if (flags.json) {
        const dir = galleryDir();
        process.stdout.write(`${JSON.stringify(GALLERY.map((s) => ({ ...s, file: path.join(dir, s.file) })), null, 1)}\n`);
        return;
      }
      const width = Math.max(...GALLERY.map((s) => s.id.length));
      for (const s of GALLERY) process.stdout.write(`${s.id.padEnd(width)}  ${s.title} (${s.artist}, ${s.year})\n`);
      process.stderr.write(`${GALLERY.length} paintings, all public domain; e.g. neural-style stylize photo.jpg ${GALLERY_PREFIX}${GALLERY[0].id}\n`);
    });
}
