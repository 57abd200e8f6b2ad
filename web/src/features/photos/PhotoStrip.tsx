/**
 * 照片条: the thumbnails of one step (or a whole incident) in a row; a click opens the
 * full image in a viewer with the EXIF time and place the camera recorded (and who
 * uploaded it when). Give it the photos (from the incident's list, filtered by
 * transitionId) or an incidentId to fetch them. Keys in the viewer: ← → Esc.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type IncidentPhoto, photosQuery } from './photoRequest';
import './photos.css';

export interface PhotoStripProps {
  /** The photos to show; when absent they are fetched for `incidentId`. */
  photos?: readonly IncidentPhoto[];
  incidentId?: number;
  /** Only the photos of this step (null: the report); undefined: all. */
  transitionId?: number | null;
  /** Shown when there are none; nothing by default. */
  emptyText?: string;
}

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export const formatPhotoTime = (iso: string) => TIME.format(new Date(iso));
export const formatPosition = (lon: number, lat: number) => `${lat >= 0 ? '北纬' : '南纬'} ${Math.abs(lat).toFixed(5)}°，${lon >= 0 ? '东经' : '西经'} ${Math.abs(lon).toFixed(5)}°`;

/** One line about where and when the photo was taken, as the camera said. */
export function photoCaption(photo: IncidentPhoto): string {
  const when = photo.takenAt ? `拍摄于 ${formatPhotoTime(photo.takenAt)}` : '无拍摄时间';
  const where = photo.lon !== null && photo.lat !== null ? formatPosition(photo.lon, photo.lat) : '无拍摄位置';
  return `${when} · ${where}`;
}

export function PhotoStrip({ photos, incidentId, transitionId, emptyText }: PhotoStripProps) {
  const fetched = useQuery({ ...photosQuery(incidentId ?? 0), enabled: photos === undefined && incidentId !== undefined });
  const all = photos ?? fetched.data?.photos ?? [];
  const shown = transitionId === undefined ? all : all.filter((p) => p.transitionId === transitionId);
  const [open, setOpen] = useState<number | null>(null);

  if (fetched.isError && photos === undefined) return <p className="photo-strip-error">照片加载失败：{fetched.error.message}</p>;
  if (shown.length === 0) return emptyText ? <p className="muted photo-strip-empty">{emptyText}</p> : null;
  return (
    <>
      <ul className="photo-strip" aria-label="照片" data-testid="photo-strip">
        {shown.map((p, i) => (
          <li key={p.id}>
            <button type="button" className="photo-strip-thumb" onClick={() => setOpen(i)} title={photoCaption(p)} aria-label={`查看照片 ${i + 1}：${photoCaption(p)}`}>
              <img src={p.thumbUrl} alt={`照片 ${i + 1}`} loading="lazy" width={80} height={80} />
              {p.lon !== null && p.lat !== null ? (
                <span className="photo-strip-badge" aria-hidden="true">
                  定位
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      {open !== null && shown[open] ? <PhotoViewer photos={shown} index={open} onIndex={setOpen} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

interface ViewerProps {
  photos: readonly IncidentPhoto[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
}

function PhotoViewer({ photos, index, onIndex, onClose }: ViewerProps) {
  const photo = photos[index]!;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      else if (e.key === 'ArrowRight' && index < photos.length - 1) onIndex(index + 1);
      else if (e.key === 'ArrowLeft' && index > 0) onIndex(index - 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, photos.length, onIndex, onClose]);
  return (
    <div className="photo-viewer" role="dialog" aria-modal="true" aria-label={`照片 ${index + 1} / ${photos.length}`} data-testid="photo-viewer">
      <figure>
        <img src={photo.url} alt={`照片 ${index + 1}`} />
        <figcaption>
          <span data-testid="photo-exif">{photoCaption(photo)}</span>
          <span className="muted">
            {photo.uploadedBy.name} 上传于 {formatPhotoTime(photo.uploadedAt)} · {photo.width}×{photo.height} · {(photo.bytes / 1024).toFixed(0)} KB
          </span>
        </figcaption>
        <div className="photo-viewer-nav">
          <button type="button" disabled={index === 0} onClick={() => onIndex(index - 1)}>
            上一张
          </button>
          <span>
            {index + 1} / {photos.length}
          </span>
          <button type="button" disabled={index === photos.length - 1} onClick={() => onIndex(index + 1)}>
            下一张
          </button>
          <a href={photo.url} target="_blank" rel="noreferrer">
            原图
          </a>
          <button type="button" onClick={onClose}>
            关闭
          </button>
        </div>
      </figure>
    </div>
  );
}
