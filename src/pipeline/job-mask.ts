import { UserError } from '../common/errors';
import { crossOptionProblems, settingName } from '../common/options';
import { uniformMask, type Mask } from '../image/mask';
import { readMask } from '../image/mask-image';
import type { StylizeImagesRequest } from './stylize-images';

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
  for (const note of notes) req.onNotice?.(note);
  return mask;
}
