import type { BackendName } from '../engine/backend';
import type { RunReport } from '../engine/report';
import { resizeAlpha } from '../image/alpha';
import type { DecodedImage } from '../image/decode';
import { encodeImage } from '../image/encode';
import type { Raster } from '../image/raster';
import { recordedSettings } from './recorded-settings';
import type { StylizeImagesRequest } from './stylize-images';

/** The picture encoded as asked, with the content's transparency and the run's settings recorded inside. */
export function encodeResult(image: Raster, content: DecodedImage, req: StylizeImagesRequest, backend: BackendName, report: RunReport): Promise<Uint8Array> {
  const alpha = content.alpha && resizeAlpha(content.alpha, content.raster.width, content.raster.height, image.width, image.height);
  return encodeImage(image, {
    format: req.format,
    quality: req.quality,
    alpha,
    metadata: recordedSettings(req.options, req.content.name, req.styles.map((s) => s.name), backend, report),
  });
}
