import { Command } from 'commander';
import * as path from 'path';
import { UserError, fileProblem, printable } from '../common/errors';
import { resolveOptions, type OptionName } from '../common/options';
import { GALLERY } from '../gallery/paintings';
import { readImageBytes } from '../image/input-file';
import { localOutputFs } from '../output/local-fs';
import { TargetExistsError, writeOutput } from '../output/write';
import { MAX_SHEET_STYLES, checkedLayout, contactSheet, type SheetStyle } from '../pipeline/contact-sheet';
import { flagName, pathOption } from './option-flags';
import { outputTarget } from './output-target';
import { styleSource, type StyleSource } from './style-args';
import { stillFormat } from '../pipeline/encode-result';

interface SheetFlags {
  output: string;
  size: string;
  overwrite?: boolean;
}

const MIN_TILE = 64;
const MAX_TILE = 1024;

/** The sheet's one option: the tiles' size is the run's maxSize. */
const sheetOptionName: OptionName = (key) => (key === 'maxSize' ? '--size' : flagName(key));

/** `neural-style sheet`: one content in many styles by the fast method, as a labelled contact sheet. */
export function sheetCommand(): Command {
  return new Command('sheet')
    .description('a labelled contact sheet of CONTENT in each STYLE by the fast method (the whole gallery when no style is given)')
    .argument('<content>', 'the image to repaint')
    .argument('[style...]', `style images or gallery:ID (at most ${MAX_SHEET_STYLES}); none: every painting of the gallery`)
    .addOption(pathOption('-o, --output <file>', 'the sheet to write (.png, .jpg, .webp)', 'a file name (.png, .jpg, .webp)').makeOptionMandatory())
    .option('--size <px>', `longer side of each tile, ${MIN_TILE} to ${MAX_TILE}`, '256')
    .option('--overwrite', 'replace the output file if it exists')
    .action(async (content: string, styles: string[], flags: SheetFlags) => {
      const t0 = performance.now();
      const size = Number(flags.size);
      if (!(/^\s*\d+\s*$/.test(flags.size) && size >= MIN_TILE && size <= MAX_TILE)) {
        throw new UserError(`--size must be a whole number from ${MIN_TILE} to ${MAX_TILE}, got "${flags.size}"`);
      }
      // Refused before a file is read.
      checkedLayout(styles.length || GALLERY.length, size);
      const note = (m: string) => process.stderr.write(`note: ${printable(m)}\n`);
      const sources = styles.length > 0
        ? await Promise.all(styles.map((s) => styleSource(s, note)))
        : await Promise.all(GALLERY.map((s) => styleSource(`gallery:${s.id}`, note)));
      const target = await outputTarget(flags, content, ['sheet']);
      const sheetStyles = await Promise.all(sources.map(sheetStyle));
      const sheet = await contactSheet({
        content: { name: content, bytes: await readImageBytes(content) },
        styles: sheetStyles,
        options: resolveOptions({ method: 'fast', maxSize: size }),
        format: stillFormat(target.format),
        optionName: sheetOptionName,
        onNotice: note,
      });
      if (!sheet.labelled) note('no font was found to draw the labels with (fontconfig); the sheet is unlabelled');
      const written = await writeOutput(localOutputFs, target.path, sheet.bytes, target.mode).catch((e: unknown) => {
        if (e instanceof TargetExistsError) throw new UserError(`${e.target} already exists; choose another name or pass --overwrite`);
        throw new UserError(`cannot write ${target.path}: ${fileProblem(e)}`);
      });
      const seconds = ((performance.now() - t0) / 1000).toFixed(2);
      process.stdout.write(`wrote ${printable(written)}: ${sources.length} styles in ${size} px tiles, ${sheet.width}x${sheet.height}, in ${seconds} s\n`);
    });
}

async function sheetStyle(s: StyleSource): Promise<SheetStyle> {
  const bytes = await s.read();
  return s.painting
    ? { name: s.name, bytes, label: s.painting.title, detail: `${s.painting.artist}, ${s.painting.year}` }
    : { name: s.name, bytes, label: path.basename(s.name) };
}
