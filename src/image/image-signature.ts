import type { InputFormat } from './decode';

/** Bytes of a file's start that tell its format (see imageFormatOf). */
export const SIGNATURE_BYTES = 32;

const ascii = (head: Uint8Array, at: number, text: string) => [...text].every((c, i) => head[at + i] === c.charCodeAt(0));

/** ISO base media brands of the HEIF family (AVIF, HEIC): what the `ftyp` box of such an image names. */
const HEIF_BRANDS = ['avif', 'avis', 'heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'];

/**
 * The image format a file's first bytes (SIGNATURE_BYTES of them, or all of a shorter file) announce, among those
 * the decoder reads, or undefined: what tells an image from other files in a folder, whatever its name says. A
 * HEIF that is no AVIF counts as one too, so that its refusal by the decoder is said rather than passed over.
 */
export function imageFormatOf(head: Uint8Array): InputFormat | undefined {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head[0] === 0x89 && ascii(head, 1, 'PNG\r\n\x1a\n')) return 'png';
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'gif';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'webp';
  if (ascii(head, 0, 'II*\0') || ascii(head, 0, 'MM\0*')) return 'tiff';
  if (ascii(head, 4, 'ftyp') && HEIF_BRANDS.some((b) => ascii(head, 8, b))) return 'avif';
  return undefined;
}
