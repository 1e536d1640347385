import type { BackendName } from '../common/backends';
import type { RunReport } from '../common/report';
import { resizeAlpha } from '../image/alpha';
import type { DecodedImage } from '../image/decode';
import { encodeImage } from '../image/encode';
import type { Mask } from '../image/mask';
import { encodeMask } from '../image/mask-image';
import type { Raster } from '../image/raster';
import { recordedSettings } from './recorded-settings';
import type { StylizeImagesRequest } from './stylize-images';

/**
 * The picture encoded as asked, with the content's transparency and the run's settings recorded inside, and the
 * mask it was made with as a PNG.
 */
export async function encodeResult(
  image: Raster,
  content: DecodedImage,
  req: StylizeImagesRequest,
  backend: BackendName,
  report: RunReport,
  mask: Mask | undefined,
): Promise<{ bytes: Uint8Array; mask?: Uint8Array }> {
  const alpha = content.alpha && resizeAlpha(content.alpha, content.raster.width, content.raster.height, image.width, image.height);
  const bytes = await encodeImage(image, {
    format: req.format,
    quality: req.quality,
    alpha,
    metadata: recordedSettings(req.options, { content: req.content.name, styles: req.styles.map((s) => s.name), mask: req.mask?.name }, backend, report),
  });
  return mask ? { bytes, mask: await encodeMask(mask) } : { bytes };
}
