import type { BackendName } from '../common/backends';
import type { OutputFormat } from '../common/formats';
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
  readonly format: OutputFormat;
  readonly quality?: number;
}

/**
 * A job's picture encoded as its output: in the format asked for, with the content's transparency and the run's
 * settings recorded inside (`options` and the inputs' names), and the mask it was made with as a PNG.
 */
export async function encodeResult(
  image: Raster,
  content: DecodedImage,
  encoding: ResultEncoding,
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
