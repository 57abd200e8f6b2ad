/**
 * Byte-level helpers for photos in the browser, pure so they are tested in node:
 * the type by magic bytes (the same rule the server applies, so a wrong file is
 * refused before it travels), the size a long edge of at most 1 600 px gives, and
 * carrying a JPEG's EXIF (time, GPS) over to its resized copy — a canvas writes
 * none, and the server reads the photo's time and place from EXIF. The copy is drawn
 * upright already, so its EXIF orientation is reset to 1 (else viewers rotate twice).
 */
import { sniffImageType } from '../../../../kernel/photos';

export { PHOTO_MAX_BYTES, type PhotoMime, PHOTOS_PER_STEP, sniffImageType } from '../../../../kernel/photos';

/** Long edge the browser resizes to before upload. */
export const UPLOAD_LONG_EDGE = 1600;

/** The size within `longEdge`, keeping the aspect; null when it already fits. */
export function fitWithin(width: number, height: number, longEdge = UPLOAD_LONG_EDGE): { width: number; height: number } | null {
  const long = Math.max(width, height);
  if (long <= longEdge) return null;
  const scale = longEdge / long;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

interface Segment {
  marker: number;
  start: number;
  end: number;
}

/** The marker segments of a JPEG up to the image data (SOS). */
function jpegSegments(jpeg: Uint8Array): Segment[] {
  const out: Segment[] = [];
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const marker = jpeg[i + 1]!;
    if (marker === 0xda || marker === 0xd9) break;
    const length = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
    if (length < 2 || i + 2 + length > jpeg.length) break;
    out.push({ marker, start: i, end: i + 2 + length });
    i += 2 + length;
  }
  return out;
}

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
const isExif = (jpeg: Uint8Array, s: Segment) => s.marker === 0xe1 && EXIF_HEADER.every((b, k) => jpeg[s.start + 4 + k] === b);

/** The APP1 "Exif" segment of a JPEG (marker included), or null. */
export function exifSegment(jpeg: Uint8Array): Uint8Array | null {
  if (sniffImageType(jpeg) !== 'image/jpeg') return null;
  const s = jpegSegments(jpeg).find((seg) => isExif(jpeg, seg));
  return s ? jpeg.slice(s.start, s.end) : null;
}

/** A copy of an EXIF segment whose IFD0 Orientation (tag 0x0112) says 1 (upright). */
export function withUprightOrientation(segment: Uint8Array): Uint8Array {
  const out = segment.slice();
  const tiff = 10; // FF E1, length (2), "Exif\0\0"
  if (out.length < tiff + 8) return out;
  const little = out[tiff] === 0x49;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const u16 = (at: number) => view.getUint16(at, little);
  const ifd0 = tiff + view.getUint32(tiff + 4, little);
  if (ifd0 + 2 > out.length) return out;
  const count = u16(ifd0);
  for (let e = 0; e < count; e++) {
    const entry = ifd0 + 2 + e * 12;
    if (entry + 12 > out.length) break;
    if (u16(entry) === 0x0112) view.setUint16(entry + 8, 1, little);
  }
  return out;
}

/** `jpeg` with `segment` (an APP1 Exif) placed after its SOI/APP0, replacing any EXIF it had. */
export function withExifSegment(jpeg: Uint8Array, segment: Uint8Array): Uint8Array {
  const segments = jpegSegments(jpeg);
  const kept = segments.filter((s) => !isExif(jpeg, s));
  const app0 = kept[0]?.marker === 0xe0 ? kept[0] : null;
  const insertAt = app0 ? app0.end : 2;
  const headEnd = segments.length > 0 ? segments[segments.length - 1]!.end : 2;
  const parts: Uint8Array[] = [jpeg.subarray(0, insertAt), segment];
  for (const s of kept) if (s.start >= insertAt) parts.push(jpeg.subarray(s.start, s.end));
  parts.push(jpeg.subarray(headEnd));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
