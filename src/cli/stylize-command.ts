import { Command, Option } from 'commander';
import { promises as fs } from 'fs';
import { UserError, fileProblem, printable } from '../common/errors';
import { crossOptionProblems, resolveOptions, unusedOptions, type StyleOptionKey } from '../common/options';
import { DEFAULT_QUALITY } from '../image/encode';
import { readImageBytes } from '../image/input-file';
import { localOutputFs } from '../output/local-fs';
import { writeWithMask } from '../output/mask-file';
import { OUTPUT_FORMATS, type OutputFormat, type ResultFormat } from '../common/formats';
import { TargetExistsError, writeOutput } from '../output/write';
import { contentAnimation, stylizeImages } from '../pipeline/stylize-images';
import { addStyleOptionFlags, explicitStyleOptions, flagName, pathOption } from './option-flags';
import { outputTarget } from './output-target';
import { PreviewWriter } from './preview-writer';
import { styleSource } from './style-args';
import { duration, progressView } from './progress';
import { stylizeFolder } from './folder-command';
import { weightsForCli } from './weights';

interface StylizeFlags {
  output?: string;
  overwrite?: boolean;
  format?: OutputFormat;
  quality: string;
  weights?: string;
  cacheDir?: string;
  previewDir?: string;
  mask?: string;
  quiet?: boolean;
  recursive?: boolean;
}

/** Flags of the optimisation alone: the fast method loads no VGG19 weights, and its one pass has no progress to preview. */
const OPTIMIZE_ONLY_FLAGS = [
  { key: 'weights', flag: '--weights' },
  { key: 'cacheDir', flag: '--cache-dir' },
  { key: 'previewDir', flag: '--preview-dir' },
] as const;

/** Flags of a single image: a folder's images each have their own size, and make no previews. */
const FILE_ONLY_FLAGS = [
  { key: 'mask', flag: '--mask' },
  { key: 'previewDir', flag: '--preview-dir' },
] as const;

const isFolder = (p: string) => fs.stat(p).then((s) => s.isDirectory(), () => false);

export function stylizeCommand(): Command {
  const cmd = new Command('stylize')
    .description('repaint CONTENT in the style of STYLE (several styles are blended)')
    .argument('<content>', 'the image to repaint, or a folder: each image in it (see --recursive)')
    .argument('<style...>', 'one or more style images, or gallery:ID for a painting of the gallery (neural-style styles)')
    .addOption(pathOption('-o, --output <file>', 'where to write the result: a file (.png, .jpg, .webp), or a folder (default: <content>.<style>.stylized.png beside the content); for a folder of images, the folder of results (default: <folder>.<style>.stylized/ beside it)', 'a file name (.png, .jpg, .webp) or a folder'))
    .option('--overwrite', 'replace the output file if it exists')
    .addOption(new Option('--format <format>', 'output format, when the output\'s name does not say (default: png)').choices(OUTPUT_FORMATS))
    .option('--quality <1-100>', 'JPEG/WebP quality', String(DEFAULT_QUALITY))
    .addOption(pathOption('--weights <file>', 'VGG19 weights (.h5); else $NEURAL_STYLE_WEIGHTS, the cache, or a download', 'a weights file (.h5)'))
    .addOption(pathOption('--cache-dir <dir>', 'where downloaded weights are kept (else $NEURAL_STYLE_CACHE or the user cache)', 'a folder'))
    .addOption(pathOption('--preview-dir <dir>', 'write a preview image there at every preview interval', 'a folder'))
    .addOption(pathOption(
      '--mask <file>',
      'where to style: a greyscale image resized to the picture, white styled, black the content kept (with two ' +
        'styles: white the first, black the second); saved beside the result as <result>.mask.png',
      'a greyscale image',
    ))
    .option('--recursive', 'with a folder as content, its sub-folders\' images too (kept in sub-folders of the results)')
    .option('-q, --quiet', 'no progress or information output, only notes on the picture, errors and the result');
  addStyleOptionFlags(cmd);
  return cmd.action(async (content: string, styles: string[], flags: StylizeFlags) => {
    const explicit = explicitStyleOptions(cmd);
    const options = resolveOptions(explicit);
    const [unused] = unusedOptions(options.method, Object.keys(explicit) as StyleOptionKey[]);
    if (unused) throw new UserError(`${flagName(unused)} is not used by --method ${options.method}; leave it out`);
    const notForFast = OPTIMIZE_ONLY_FLAGS.find((f) => cmd.getOptionValueSource(f.key) === 'cli');
    if (notForFast && options.method === 'fast') throw new UserError(`${notForFast.flag} is not used by --method fast; leave it out`);
    const maskLabel = flags.mask === undefined ? undefined : `--mask ${flags.mask}`;
    const problems = crossOptionProblems(options, styles.length, flagName, maskLabel);
    if (problems.length > 0) throw new UserError(problems[0]);
    const quality = Number(flags.quality);
    if (!(/^\s*\d+\s*$/.test(flags.quality) && quality >= 1 && quality <= 100)) {
      throw new UserError(`--quality must be a whole number from 1 to 100, got "${flags.quality}"`);
    }
    const sources = await Promise.all(styles.map((s) => styleSource(s, (m) => process.stderr.write(`note: ${printable(m)}\n`))));
    const checkQuality = (format: ResultFormat) => {
      if (format === 'png' && cmd.getOptionValueSource('quality') === 'cli') {
        throw new UserError('--quality is not used by PNG output, which is lossless; leave it out or write .jpg or .webp');
      }
    };
    if (await isFolder(content)) {
      const single = FILE_ONLY_FLAGS.find((f) => cmd.getOptionValueSource(f.key) === 'cli');
      if (single) throw new UserError(`${single.flag} is not used with a folder to stylize; leave it out`);
      checkQuality(flags.format ?? 'png');
      return stylizeFolder({
        folder: content, styles: sources, options, output: flags.output, format: flags.format, quality,
        overwrite: !!flags.overwrite, recursive: !!flags.recursive, quiet: !!flags.quiet, optionName: flagName,
        weights: (signal) => weightsForCli(flags.weights, flags.cacheDir, process.stderr, !!flags.quiet, signal),
      });
    }
    if (flags.recursive) throw new UserError(`--recursive is for a folder to stylize, and ${content} is a file; leave it out`);
    const contentInput = { name: content, bytes: await readImageBytes(content) };
    // An animation is refused to the optimisation before anything else, and written as an animation.
    const animation = await contentAnimation({ content: contentInput, options, optionName: flagName });
    const target = await outputTarget(flags, content, sources.map((s) => s.name), flags.mask !== undefined, animation?.format);
    checkQuality(target.format);

    const err = process.stderr;
    const view = progressView(err, !!flags.quiet);
    const previews = flags.previewDir ? await PreviewWriter.open(flags.previewDir, (m) => view.note(m)) : undefined;
    const styleInputs = await Promise.all(sources.map(async (s) => ({ name: s.name, bytes: await s.read() })));
    const maskInput = flags.mask === undefined ? undefined : { name: flags.mask, label: maskLabel, bytes: await readMaskBytes(flags.mask) };

    // Ctrl-C stops between steps and keeps the best image so far; a second one, or SIGTERM, leaves at once (the
    // temporary files being written are removed on the way out).
    const abort = new AbortController();
    const onSigint = () => {
      if (abort.signal.aborted) process.exit(130);
      view.note('stopping after this step (Ctrl-C again to quit at once)...');
      abort.abort();
    };
    const onSigterm = () => process.exit(143);
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    try {
      const result = await stylizeImages({
        content: contentInput, styles: styleInputs, mask: maskInput, options, format: target.format, quality,
        weights: () => weightsForCli(flags.weights, flags.cacheDir, err, !!flags.quiet, abort.signal),
        signal: abort.signal,
        // What the run loads is information, which quiet leaves out; notes are about the picture, and stay.
        onBackend: flags.quiet ? undefined : (name, detail) => view.note(`backend: ${name} (${detail})`),
        onNotice: (m) => view.note(`note: ${m}`),
        optionName: flagName,
        onProgress: (p) => view.update(p),
        onFrame: (p) => view.frame(p),
        onPreview: previews && ((png, p) => previews.write(png, p)),
      }).catch((e: unknown) => {
        // Stopped while the weights were downloading: the download says so with its abort reason.
        if (abort.signal.aborted && !(e instanceof UserError)) return undefined;
        throw e;
      });
      view.stop();
      await previews?.finished();
      if (!result || result.steps === 0) {
        process.stdout.write('stopped before the first step: nothing written\n');
        process.exitCode = 130;
        return;
      }
      const { mask } = result;
      const written = await (mask
        ? writeWithMask(localOutputFs, target.path, result.bytes, mask, target.mode)
        : writeOutput(localOutputFs, target.path, result.bytes, target.mode).then((picture) => ({ picture, mask: undefined }))
      ).catch((e: unknown) => {
        if (e instanceof TargetExistsError) throw new UserError(`${e.target} already exists; choose another name or pass --overwrite`);
        throw new UserError(`cannot write ${target.path}: ${fileProblem(e)}`);
      });
      const early = animation ? 'the frames made so far' : 'the best image so far';
      const how = result.outcome === 'done' ? '' : result.outcome === 'cancelled' ? ` (stopped early: ${early})` : ` (${result.message})`;
      const seconds = `${(result.elapsedMs / 1000).toFixed(2)} s`;
      const work = animation
        ? `${result.steps} frames by the fast method in ${seconds}`
        : options.method === 'fast'
        ? `the fast method in ${seconds}`
        : `${result.steps} steps in ${duration(result.elapsedMs)}`;
      process.stdout.write(`wrote ${printable(written.picture)}: ${result.width}x${result.height}, ${work} on ${result.backend}${how}\n`);
      if (written.mask) process.stdout.write(`wrote ${printable(written.mask)}: the mask it was made with\n`);
      if (result.outcome === 'diverged') process.exitCode = 1;
      if (result.outcome === 'cancelled') process.exitCode = 130;
    } finally {
      view.stop();
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    }
  });
}

/** The mask file's bytes; a problem reading it names the flag. */
async function readMaskBytes(file: string): Promise<Buffer> {
  try {
    return await readImageBytes(file);
  } catch (e) {
    throw e instanceof UserError ? new UserError(`--mask: ${e.message}`) : e;
  }
}
