import sharp from 'sharp';
import { UserError } from '../common/errors';
import { type ImageSettings, checkSettings } from './metadata';
import { packHalved, packPixels } from './pixels';
import { insertPngText } from './png-text';
import type { Raster } from './raster';
import { settingsToXmp } from './xmp';
import type { OutputFormat } from '../common/formats';


/** High enough that the brush strokes a style run paints survive compression. */
export const DEFAULT_QUALITY = 92;

export interface EncodeOptions {
  readonly format: OutputFormat;
  /** 1..100 for JPEG and WebP (default DEFAULT_QUALITY); PNG is lossless and ignores it. */
  readonly quality?: number;
  /** Opacity per pixel in [0, 1], the raster's size. JPEG has no alpha: the image is flattened onto white. */
  readonly alpha?: Float32Array;
  /** Stored as PNG text chunks or, in JPEG and WebP, as XMP; read back by readImageMetadata. */
  readonly metadata?: ImageSettings;
}

function rawImage(r: Raster, alpha?: Float32Array): sharp.Sharp {
  const { bytes, channels } = packPixels(r, alpha);
  return sharp(bytes, { raw: { width: r.width, height: r.height, channels } });
}

/** `image` set to be written in `format`. */
export function encoder(image: sharp.Sharp, format: OutputFormat, quality = DEFAULT_QUALITY): sharp.Sharp {
  switch (format) {
    case 'png':
      return image.png();
    case 'jpeg':
      // 4:4:4 keeps the colour detail of painted textures that 4:2:0 would smear.
      return image.flatten({ background: '#ffffff' }).jpeg({ quality, chromaSubsampling: '4:4:4' });
    case 'webp':
      return image.webp({ quality });
  }
}

export async function encodeImage(r: Raster, opts: EncodeOptions): Promise<Buffer> {
  const quality = opts.quality ?? DEFAULT_QUALITY;
  if (!(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
    throw new UserError(`image quality must be a whole number from 1 to 100, not ${quality}`);
  }
  const settings = opts.metadata ?? {};
  checkSettings(settings);
  const image = encoder(rawImage(r, opts.alpha), opts.format, quality);
  if (Object.keys(settings).length === 0) return image.toBuffer();
  // sharp writes XMP but no PNG text chunks, which is what PNG readers show; those are added to the stream.
  if (opts.format === 'png') return insertPngText(await image.toBuffer(), settings);
  return image.withXmp(settingsToXmp(settings)).toBuffer();
}

/** A small PNG of the image, its longer side at most `maxSide`, for progress previews (a few ms at 512 px). */
export async function encodePreview(r: Raster, maxSide: number): Promise<Uint8Array> {
  return rawImage(r)
    .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/**
 * A quick JPEG of the image, its longer side at most `maxSide`: what a panel shows while a control moves. An image
 * twice that size or more is halved as it is packed (packHalved), which at 2048x1536 takes 14 ms where packing it
 * whole and letting sharp shrink it takes 32.
 */
export async function encodeQuickPreview(r: Raster, maxSide: number, quality: number): Promise<Uint8Array> {
  const halved = Math.max(r.width, r.height) >= 2 * maxSide && packHalved(r);
  const image = halved ? sharp(halved.bytes, { raw: { width: halved.width, height: halved.height, channels: 3 } }) : rawImage(r);
  return image.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality }).toBuffer();
}
