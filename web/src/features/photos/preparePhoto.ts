/**
 * Makes a chosen file ready to upload, in the browser: refused early when its bytes
 * are not a JPEG/PNG/WebP (the server's own rule), shrunk to a long edge of 1 600 px
 * on a canvas when larger (phone photos are 4 000 px and several MB; 1 600 px is plenty
 * to see a pothole and uploads quickly on a field connection), keeping a JPEG's EXIF
 * time and GPS. A photo that already fits is sent untouched.
 */
import { exifSegment, fitWithin, PHOTO_MAX_BYTES, type PhotoMime, sniffImageType, withExifSegment, withUprightOrientation } from './photoBytes';

export interface PreparedPhoto {
  /** What is uploaded. */
  file: File;
  /** Object URL of `file` for the preview; revoke with releasePhoto. */
  previewUrl: string;
  /** The name the user chose. */
  originalName: string;
  originalBytes: number;
  resized: boolean;
}

export class PhotoNotAccepted extends Error {}

const canvasBlob = (canvas: HTMLCanvasElement, type: string, quality: number) =>
  new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new PhotoNotAccepted('浏览器无法压缩这张照片'))), type, quality));

async function shrink(file: File, type: PhotoMime): Promise<File | null> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' }).catch(() => null);
  if (!bitmap) throw new PhotoNotAccepted(`「${file.name}」无法作为图片打开，可能已损坏`);
  const size = fitWithin(bitmap.width, bitmap.height);
  if (!size) {
    bitmap.close();
    return null;
  }
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) throw new PhotoNotAccepted('浏览器无法压缩照片');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  // Photos become JPEG; PNG/WebP (screenshots, maybe transparent) stay lossless-ish WebP.
  const outType = type === 'image/jpeg' ? 'image/jpeg' : 'image/webp';
  let bytes: Uint8Array = new Uint8Array(await (await canvasBlob(canvas, outType, 0.85)).arrayBuffer());
  if (type === 'image/jpeg') {
    const exif = exifSegment(new Uint8Array(await file.arrayBuffer()));
    if (exif) bytes = withExifSegment(bytes, withUprightOrientation(exif));
  }
  const base = file.name.replace(/\.[^.]*$/, '') || 'photo';
  return new File([bytes as Uint8Array<ArrayBuffer>], `${base}.${outType === 'image/jpeg' ? 'jpg' : 'webp'}`, { type: outType });
}

export async function preparePhoto(file: File): Promise<PreparedPhoto> {
  const type = sniffImageType(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  if (!type) throw new PhotoNotAccepted(`「${file.name}」不是 JPEG、PNG 或 WebP 图片`);
  const shrunk = await shrink(file, type);
  const ready = shrunk ?? file;
  if (ready.size > PHOTO_MAX_BYTES) throw new PhotoNotAccepted(`「${file.name}」超过 10 MB`);
  return { file: ready, previewUrl: URL.createObjectURL(ready), originalName: file.name, originalBytes: file.size, resized: shrunk !== null };
}

export const releasePhoto = (photo: PreparedPhoto) => URL.revokeObjectURL(photo.previewUrl);
