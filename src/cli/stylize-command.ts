import { Command, Option } from 'commander';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../engine/errors';
import { resolveOptions } from '../engine/options';
import type { Progress } from '../engine/run';
import { DEFAULT_QUALITY, type OutputFormat } from '../image/encode';
import { freeName, writeImageFile } from '../image/files';
import { readImageBytes } from '../image/input-file';
import { stylizeImages } from '../pipeline/stylize-images';
import { addStyleOptionFlags, explicitStyleOptions } from './option-flags';
import { duration, progressView } from './progress';
import { weightsForCli } from './weights';

interface StylizeFlags {
  output?: string;
  overwrite?: boolean;
  format: OutputFormat;
  quality: string;
  weights?: string;
  cacheDir?: string;
  previewDir?: string;
  quiet?: boolean;
}

/** `<content>.<style>.stylized.<ext>` beside the content image, like the extension's default name. */
function defaultOutput(content: string, style: string, format: OutputFormat): string {
  const stem = (p: string) => path.basename(p, path.extname(p));
  const ext = format === 'jpeg' ? 'jpg' : format;
  return path.join(path.dirname(content), `${stem(content)}.${stem(style)}.stylized.${ext}`);
}

export function stylizeCommand(): Command {
  const cmd = new Command('stylize')
    .description('repaint CONTENT in the style of STYLE (several styles are blended)')
    .argument('<content>', 'the image to repaint')
    .argument('<style...>', 'one or more style images')
    .option('-o, --output <file>', 'where to write the result (default: <content>.<style>.stylized.png beside the content)')
    .option('--overwrite', 'replace the output file if it exists')
    .addOption(new Option('--format <format>', 'output format').choices(['png', 'jpeg', 'webp']).default('png'))
    .option('--quality <1-100>', 'JPEG/WebP quality', String(DEFAULT_QUALITY))
    .option('--weights <file>', 'VGG19 weights (.h5); else $NEURAL_STYLE_WEIGHTS, the cache, or a download')
    .option('--cache-dir <dir>', 'where downloaded weights are kept (else $NEURAL_STYLE_CACHE or the user cache)')
    .option('--preview-dir <dir>', 'write a preview image there at every preview interval')
    .option('-q, --quiet', 'no progress output');
  addStyleOptionFlags(cmd);
  return cmd.action(async (content: string, styles: string[], flags: StylizeFlags) => {
    const options = resolveOptions(explicitStyleOptions(cmd));
    const quality = Number(flags.quality);
    if (!(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
      throw new UserError(`--quality must be an integer from 1 to 100, got "${flags.quality}"`);
    }
    const explicitOutput = flags.output !== undefined;
    let output = path.resolve(flags.output ?? defaultOutput(content, styles[0], flags.format));
    // Refuse before minutes of work, not after; the final write checks again (without overwrite it never clobbers).
    if (explicitOutput && !flags.overwrite && (await exists(output))) {
      throw new UserError(`${output} already exists; choose another name or pass --overwrite`);
    }
    if (!explicitOutput) output = await freeName(output);
    await fs.access(path.dirname(output)).catch(() => {
      throw new UserError(`output folder does not exist: ${path.dirname(output)}`);
    });
    if (flags.previewDir) await fs.mkdir(flags.previewDir, { recursive: true });

    const err = process.stderr;
    const view = progressView(err, !!flags.quiet);
    const contentInput = { name: content, bytes: await readImageBytes(content) };
    const styleInputs = await Promise.all(styles.map(async (s) => ({ name: s, bytes: await readImageBytes(s) })));
    const weightsPath = await weightsForCli(flags.weights, flags.cacheDir, err, !!flags.quiet);

    // Ctrl-C stops between steps and keeps the best image so far; a second one leaves at once.
    const abort = new AbortController();
    const onSigint = () => {
      if (abort.signal.aborted) process.exit(130);
      view.note('stopping after this step (Ctrl-C again to quit at once)...');
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    let previewCount = 0;
    try {
      const result = await stylizeImages({
        content: contentInput, styles: styleInputs, options, weightsPath, format: flags.format, quality,
        signal: abort.signal,
        onBackend: (name, detail) => view.note(`backend: ${name} (${detail})`),
        onNotice: (m) => view.note(`note: ${m}`),
        onProgress: (p: Progress) => view.update(p),
        onPreview: flags.previewDir
          ? (png, p) => {
              const file = path.join(flags.previewDir!, `preview-${String(++previewCount).padStart(4, '0')}-step${p.step}.png`);
              void fs.writeFile(file, png);
            }
          : undefined,
      });
      view.stop();
      const written = await writeImageFile(output, result.bytes, { overwrite: !!flags.overwrite });
      const how = result.outcome === 'done' ? '' : result.outcome === 'cancelled' ? ' (stopped early: the best image so far)' : ` (${result.message})`;
      process.stdout.write(
        `wrote ${written}: ${result.width}x${result.height}, ${result.steps} steps in ${duration(result.elapsedMs)} on ${result.backend}${how}\n`,
      );
      if (result.outcome === 'diverged') process.exitCode = 1;
      if (result.outcome === 'cancelled') process.exitCode = 130;
    } finally {
      view.stop();
      process.off('SIGINT', onSigint);
    }
  });
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}
