/**
 * Photos on the phone: 拍照 opens the camera (`capture`), 相册 the album, up to 9 in all;
 * each is checked and shrunk to ≤ 1600 px JPEG in the browser (features/photos/preparePhoto,
 * the desktop's own rule) before it is queued, so a 4 000 px photo becomes a few hundred kB.
 */
import { useEffect, useRef, useState } from 'react';
import { PHOTOS_PER_STEP } from '../../features/photos/photoBytes';
import { PhotoNotAccepted, type PreparedPhoto, preparePhoto, releasePhoto } from '../../features/photos/preparePhoto';

export interface PhotoInputProps {
  value: readonly PreparedPhoto[];
  onChange: (photos: PreparedPhoto[]) => void;
  /** Marked as required in the label (就地解决, 处置反馈). */
  required?: boolean;
}

export function PhotoInput({ value, onChange, required = false }: PhotoInputProps) {
  const camera = useRef<HTMLInputElement>(null);
  const album = useRef<HTMLInputElement>(null);
  const [preparing, setPreparing] = useState(0);
  const [problems, setProblems] = useState<string[]>([]);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => () => latest.current.forEach(releasePhoto), []);
  const room = Math.max(0, PHOTOS_PER_STEP - value.length);

  async function choose(files: File[]) {
    const taken = files.slice(0, room);
    const notes = files.length > room ? [`最多 ${PHOTOS_PER_STEP} 张照片，已忽略多出的 ${files.length - room} 张`] : [];
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
  }

  const input = (ref: React.RefObject<HTMLInputElement | null>, capture: boolean, testId: string) => (
    <input
      ref={ref}
      type="file"
      accept="image/*"
      multiple
      {...(capture ? { capture: 'environment' as const } : {})}
      hidden
      data-testid={testId}
      onChange={(e) => {
        const files = [...(e.target.files ?? [])];
        e.target.value = '';
        if (files.length > 0) void choose(files);
      }}
    />
  );

  return (
    <fieldset className="m-photos">
      <legend>
        照片{required && <span className="m-required">*</span>}（{value.length}/{PHOTOS_PER_STEP}）
      </legend>
      <div className="m-row">
        <button type="button" className="m-button" onClick={() => camera.current?.click()} disabled={room === 0 || preparing > 0}>
          拍照
        </button>
        <button type="button" className="m-button" onClick={() => album.current?.click()} disabled={room === 0 || preparing > 0}>
          相册
        </button>
        {input(camera, true, 'photo-camera')}
        {input(album, false, 'photo-album')}
      </div>
      {preparing > 0 && (
        <p className="m-muted" role="status">
          正在压缩 {preparing} 张照片…
        </p>
      )}
      {problems.length > 0 && (
        <ul className="m-error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {value.length > 0 && (
        <ul className="m-thumbs" aria-label="已选照片">
          {value.map((p) => (
            <li key={p.previewUrl}>
              <img src={p.previewUrl} alt={p.originalName} />
              <button
                type="button"
                aria-label={`移除 ${p.originalName}`}
                onClick={() => {
                  releasePhoto(p);
                  onChange(value.filter((x) => x !== p));
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
