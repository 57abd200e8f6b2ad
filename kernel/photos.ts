/**
 * The photo rules both sides apply: which files are photos (by their magic bytes,
 * never a name or a claimed type) and how many and how large. The server enforces
 * them (server/photos/); the browser checks the same before uploading (web/src/features/photos/).
 */

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** Photos one step of the loop (the report, or one history row) may carry. */
export const PHOTOS_PER_STEP = 9;

/** The image type the first bytes say: JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, WebP RIFF....WEBP. */
export function sniffImageType(bytes: Uint8Array): PhotoMime | null {
  const starts = (offset: number, ...sig: number[]) => bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b);
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}
