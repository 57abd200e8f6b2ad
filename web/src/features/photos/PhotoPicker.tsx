/**
 * 选择照片: choose up to 9 photos (camera or gallery) for one step, see them as
 * previews, remove any; each is checked by its bytes and shrunk to 1 600 px in the
 * browser as it is chosen (preparePhoto.ts). Controlled: the form owns the list and
 * uploads it when its step exists (usePhotoUpload → the new transition's id), and
 * passes `progress` while it does. Nothing is uploaded by the picker itself.
 */
import { useEffect, useRef, useState } from 'react';
import { PHOTOS_PER_STEP } from './photoBytes';
import { PhotoNotAccepted, type PreparedPhoto, preparePhoto, releasePhoto } from './preparePhoto';
import './photos.css';

export interface PhotoPickerProps {
  value: readonly PreparedPhoto[];
  onChange: (photos: PreparedPhoto[]) => void;
  /** How many this step may still take (default 9). */
  max?: number;
  /** 0–1 while the form uploads; null otherwise. */
  progress?: number | null;
  disabled?: boolean;
  /** Text of the choose button. */
  label?: string;
}

const ACCEPT = 'image/jpeg,image/png,image/webp';

export function PhotoPicker({ value, onChange, max = PHOTOS_PER_STEP, progress = null, disabled = false, label = '添加照片' }: PhotoPickerProps) {
  const input = useRef<HTMLInputElement>(null);
  const [preparing, setPreparing] = useState(0);
  const [problems, setProblems] = useState<string[]>([]);
  const latest = useRef(value);
  latest.current = value;
  // Previews belong to the picker's lifetime: release whatever is left when it goes.
  useEffect(() => () => latest.current.forEach(releasePhoto), []);

  const room = Math.max(0, max - value.length);
  const busy = disabled || progress !== null || preparing > 0;

  const choose = async (files: File[]) => {
    const taken = files.slice(0, room);
    const notes = files.length > room ? [`每个环节最多 ${max} 张照片，已忽略多出的 ${files.length - room} 张`] : [];
    setPreparing(taken.length);
    const ready: PreparedPhoto[] = [];
    for (const file of taken) {
      try {
        ready.push(await preparePhoto(file));
      } catch (e) {
        notes.push(e instanceof PhotoNotAccepted ? e.message : `「${file.name}」处理失败`);
      }
      setPreparing((n) => n - 1);
    }
    setProblems(notes);
    if (ready.length > 0) onChange([...latest.current, ...ready]);
  };

  const remove = (photo: PreparedPhoto) => {
    releasePhoto(photo);
    onChange(value.filter((p) => p !== photo));
  };

  return (
    <div className="photo-picker" data-testid="photo-picker">
      <div className="photo-picker-bar">
        <button type="button" onClick={() => input.current?.click()} disabled={busy || room === 0}>
          {label}
        </button>
        <span className="muted">
          {value.length} / {max} 张（JPEG、PNG、WebP，每张不超过 10 MB，自动压缩到 1600 像素）
        </span>
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          multiple
          hidden
          data-testid="photo-picker-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) void choose(files);
          }}
        />
      </div>
      {preparing > 0 ? <p className="muted">正在处理 {preparing} 张照片…</p> : null}
      {problems.length > 0 ? (
        <ul className="photo-picker-problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {value.length > 0 ? (
        <ul className="photo-strip" aria-label="待上传的照片">
          {value.map((p) => (
            <li key={p.previewUrl}>
              <img src={p.previewUrl} alt={p.originalName} width={80} height={80} className="photo-strip-thumb" />
              <button type="button" className="photo-picker-remove" onClick={() => remove(p)} disabled={progress !== null} aria-label={`移除 ${p.originalName}`}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {progress !== null ? (
        <div className="photo-picker-progress">
          <progress max={1} value={progress} aria-label="照片上传进度" />
          <span>{Math.round(progress * 100)}%</span>
        </div>
      ) : null}
    </div>
  );
}
