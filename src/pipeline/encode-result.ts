import type { BackendName } from '../common/backends';
import type { OutputFormat, ResultFormat } from '../common/formats';
import type { StyleOptions } from '../common/options';
import type { RunReport } from '../common/report';
import { resizeAlpha } from '../image/alpha';
import type { DecodedImage } from '../image/decode';
import { encodeImage } from '../image/encode';
import type { Mask } from '../image/mask';
import { encodeMask } from '../image/mask-image';
import type { Raster } from '../image/raster';
import { recordedSettings, type RunInputs } from './recorded-settings';

export interface ResultEncoding {
  /** A still's format; an animation's is this if it holds animations, else its own (see animationFormat). */
  readonly format: ResultFormat;
  readonly quality?: number;
}

/** `format` as a still's: GIF is written for animations only (the command line takes .gif for those alone). */
export function stillFormat(format: ResultFormat): OutputFormat {
  if (format === 'gif') throw new Error('a still picture asked for as a GIF');
  return format;
}

/**
 * A job's picture encoded as its output: in the format asked for, with the content's transparency and the run's
 * settings recorded inside (`options` and the inputs' names), and the mask it was made with as a PNG.
 */
export async function encodeResult(
  image: Raster,
  content: DecodedImage,
  encoding: ResultEncoding & { readonly format: OutputFormat },
  recorded: { readonly options: StyleOptions; readonly inputs: RunInputs; readonly backend: BackendName; readonly report: RunReport },
  mask: Mask | undefined,
): Promise<{ bytes: Uint8Array; mask?: Uint8Array }> {
  const alpha = content.alpha && resizeAlpha(content.alpha, content.raster.width, content.raster.height, image.width, image.height);
  const bytes = await encodeImage(image, {
    format: encoding.format,
    quality: encoding.quality,
    alpha,
    metadata: recordedSettings(recorded.options, recorded.inputs, recorded.backend, recorded.report),
  });
  return mask ? { bytes, mask: await encodeMask(mask) } : { bytes };
}
