/**
 * What one uploaded photo is, decided from its bytes alone: the type by its magic
 * bytes (never the file name or the Content-Type a client claims), whether it really
 * decodes (sharp), its displayed size, the EXIF time and GPS position the camera
 * wrote, and a small JPEG thumbnail with every piece of metadata stripped (the
 * original keeps its EXIF as evidence; the thumbnail, shown in lists, carries none).
 * A file that fails any of this is a PhotoRefusal naming the file — nothing is
 * stored unless every file of the request passes (server/photos/photos.ts).
 */
import { createHash } from 'node:crypto';
import exifr from 'exifr';
import sharp from 'sharp';
import { PHOTO_MAX_BYTES, type PhotoMime, sniffImageType } from '../../kernel/photos';

export { PHOTO_MAX_BYTES, PHOTOS_PER_STEP } from '../../kernel/photos';

/** Long edge of the thumbnail in pixels. */
export const THUMB_EDGE = 320;
/**
 * Pixels sharp agrees to decode: a 10 MB PNG of one colour can claim billions of
 * pixels (a decompression bomb); 100 MP is more than any phone camera a grid worker uses.
 */
const MAX_PIXELS = 100_000_000;

const MIME_LABELS: Record<PhotoMime, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP' };
const SHARP_FORMAT: Record<PhotoMime, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

/** One file of a request, refused; `status` 413 for size, 422 for content. */
export interface PhotoRefusal {
  status: 413 | 422;
  field: string;
  reason: string;
}

export interface InspectedPhoto {
  mime: PhotoMime;
  sha256: string;
  bytes: number;
  width: number;
  height: number;
  takenAt: Date | null;
  lon: number | null;
  lat: number | null;
  data: Uint8Array;
  thumb: Uint8Array;
}

/** How a file is named in a refusal: its position in the request and its name. */
export const fileLabel = (index: number, name: string) => `第 ${index + 1} 个文件${name ? `「${name.slice(0, 80)}」` : ''}`;

/**
 * EXIF DateTimeOriginal is a wall-clock time without a zone; OffsetTimeOriginal
 * says the zone when the camera wrote it, otherwise China Standard Time (UTC+8, no
 * daylight saving) — where the product's phones take their pictures.
 */
export function exifInstant(dateTime: unknown, offset: unknown): Date | null {
  if (typeof dateTime !== 'string') return null;
  const m = dateTime.trim().match(/^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/);
  if (!m) return null;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : '+08:00';
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** EXIF as sharp hands it over ("Exif\0\0" + a TIFF block), read by exifr for every type alike (exifr alone does not read WebP). */
async function readExif(exif: Buffer | undefined): Promise<{ takenAt: Date | null; lon: number | null; lat: number | null }> {
  const none = { takenAt: null, lon: null, lat: null };
  if (!exif || exif.length < 8) return none;
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const tags = (await exifr
    .parse(tiff, { gps: true, reviveValues: false, pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'GPSLatitude', 'GPSLongitude', 'GPSLatitudeRef', 'GPSLongitudeRef'] })
    .catch(() => null)) as Record<string, unknown> | null;
  if (!tags) return none;
  const lat = typeof tags.latitude === 'number' && Number.isFinite(tags.latitude) && Math.abs(tags.latitude) <= 90 ? tags.latitude : null;
  const lon = typeof tags.longitude === 'number' && Number.isFinite(tags.longitude) && Math.abs(tags.longitude) <= 180 ? tags.longitude : null;
  // A position needs both halves; (0, 0) is a camera without a fix, not the Gulf of Guinea.
  const located = lat !== null && lon !== null && !(lat === 0 && lon === 0);
  return { takenAt: exifInstant(tags.DateTimeOriginal, tags.OffsetTimeOriginal), lon: located ? lon : null, lat: located ? lat : null };
}

/** Checks one file and prepares what is stored; a refusal says why, naming the file. */
export async function inspectPhoto(data: Uint8Array, index: number, name: string): Promise<InspectedPhoto | PhotoRefusal> {
  const field = `files[${index}]`;
  const label = fileLabel(index, name);
  if (data.length === 0) return { status: 422, field, reason: `${label}是空文件` };
  if (data.length > PHOTO_MAX_BYTES) return { status: 413, field, reason: `${label}大小为 ${(data.length / 1024 / 1024).toFixed(1)} MB，每张照片不能超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB` };
  const mime = sniffImageType(data);
  if (!mime) return { status: 422, field, reason: `${label}不是 JPEG、PNG 或 WebP 图片（按文件内容判断，与扩展名无关）` };
  const options = { failOn: 'truncated', limitInputPixels: MAX_PIXELS } as const;
  try {
    const meta = await sharp(data, options).metadata();
    if (meta.format !== SHARP_FORMAT[mime]) return { status: 422, field, reason: `${label}的内容不是完整的 ${MIME_LABELS[mime]} 图片` };
    // Decoding the whole image for the thumbnail is what proves the file is a picture, not only a header.
    const thumb = await sharp(data, options).rotate().resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' }).jpeg({ quality: 78, mozjpeg: true }).toBuffer();
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) return { status: 422, field, reason: `${label}无法读取图片尺寸` };
    return {
      mime,
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
      width,
      height,
      ...(await readExif(meta.exif)),
      data,
      thumb: new Uint8Array(thumb),
    };
  } catch (e) {
    const tooBig = /pixel limit/i.test((e as Error).message);
    return { status: 422, field, reason: tooBig ? `${label}像素过多（超过 1 亿像素），请缩小后再上传` : `${label}已损坏或不完整，无法作为 ${MIME_LABELS[mime]} 图片解码` };
  }
}
