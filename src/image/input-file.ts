import { readRegularFile, type FileKind } from './regular-file';

/**
 * The largest image file read. A compressed photo or painting of the 100 megapixels decoding allows is far
 * smaller, and even an uncompressed 8-bit RGB file of 89 megapixels fits; past it, the bytes alone would weigh
 * on memory before a single pixel is decoded.
 */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

const IMAGE_FILE: FileKind = { name: 'image', maxBytes: MAX_IMAGE_FILE_BYTES, advice: 'give the path of an image file' };

/** The bytes of the image file `file`: a regular file of at most MAX_IMAGE_FILE_BYTES (see readRegularFile). */
export function readImageBytes(file: string): Promise<Buffer> {
  return readRegularFile(file, IMAGE_FILE);
}
