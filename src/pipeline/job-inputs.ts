import { printable, UserError } from '../common/errors';
import type { OutputFormat } from '../common/formats';
import { crossOptionProblems, settingName } from '../common/options';
import { planInputs, type NamedSize } from '../engine/plan';
import { readJobImages, type DecodedImage } from '../image/decode';
import { uniformMask, type Mask } from '../image/mask';
import { readMask } from '../image/mask-image';
import type { ImageInput, StylizeImagesRequest } from './stylize-images';

/** The job's notices, their file names escaped: those could hold control characters, as in errors (see UserError). */
export function jobNotice(req: Pick<StylizeImagesRequest, 'onNotice'>): (message: string) => void {
  return (message) => req.onNotice?.(printable(message));
}

/**
 * The job's content and `styles` (all of the job's, or those the method needs decoded), each decoded as large as
 * the method needs and no larger; what was done to them is said in a notice.
 */
export async function readJobInputs(
  req: Pick<StylizeImagesRequest, 'content' | 'options' | 'maxPixels' | 'optionName'>,
  styles: readonly ImageInput[],
  notice: (message: string) => void,
): Promise<{ content: DecodedImage; styles: DecodedImage[] }> {
  const sides = planInputs(req.options);
  // The fast method makes a whole animation of an animated content (see FastSession); the optimisation refuses one.
  const wholeAnimation = req.options.method === 'fast';
  const [content, ...decoded] = await readJobImages(
    [{ ...req.content, needLongSide: sides.content, wholeAnimation }, ...styles.map((s) => ({ ...s, needLongSide: sides.style }))],
    { maxPixels: req.maxPixels, onNotice: notice, optionName: req.optionName ?? settingName },
  );
  return { content, styles: decoded };
}

/** Says so when the output format cannot keep the content's transparency. */
export function noticeFlattened(content: DecodedImage, input: ImageInput, format: OutputFormat, notice: (message: string) => void): void {
  if (content.alpha && format === 'jpeg') {
    notice(`${input.name} is transparent, and JPEG cannot be: the picture is flattened onto white (PNG and WebP keep the transparency)`);
  }
}

/** A decoded image's size as the plan sees it, with the name the user knows it by. */
export function namedSize(image: DecodedImage, input: ImageInput): NamedSize {
  return { name: input.name, width: image.raster.width, height: image.raster.height, source: image.source };
}

/**
 * The job's mask at the picture's size, after checking that it goes with the job; what was done to fit it, or that
 * it leaves one region only, is said in a notice. A mask that would leave the optimisation's minutes unused is refused.
 */
export async function jobMask(
  req: Pick<StylizeImagesRequest, 'mask' | 'options' | 'styles' | 'optionName' | 'maxPixels' | 'onNotice'>,
  method: 'fast' | 'optimize',
  size: { width: number; height: number },
): Promise<Mask> {
  const input = req.mask!;
  const label = input.label ?? `mask ${input.name}`;
  const [problem] = crossOptionProblems(req.options, req.styles.length, req.optionName ?? settingName, label);
  if (problem) throw new UserError(problem);
  const { mask, notes } = await readMask(input.bytes, label, size, req.maxPixels);
  const uniform = uniformMask(mask);
  if (uniform === 'black' && req.styles.length === 1) {
    if (method === 'optimize') throw new UserError(`${label} is black all over: nothing would be styled; paint white where the style goes`);
    notes.push(`${label} is black all over: nothing is styled, the picture is the content`);
  } else if (uniform && req.styles.length === 2) {
    notes.push(`${label} is ${uniform} all over: only the ${uniform === 'white' ? 'first' : 'second'} style shows`);
  }
  if (method === 'optimize') notes.push(`${label}: the optimisation styles the whole picture, then the content is kept where the mask is black`);
  notes.forEach(jobNotice(req));
  return mask;
}
