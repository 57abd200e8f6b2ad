/**
 * Reporting a new incident (上报): the place is a click on the map (the grid under it
 * is named) or a grid chosen from the reporter's own grids or typed in; then the
 * category, a description and photos. The report is signed by the server (account,
 * clock); the photos go to the report once it exists.
 */
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api/queries';
import { ApiError } from '../../api/client';
import { useSession } from '../auth/session';
import { useCategories } from '../incidents/incidentQueries';
import { PhotoField } from './PhotoField';
import { usePhotoUpload } from '../photos/photoRequest';
import type { PreparedPhoto } from '../photos/preparePhoto';
import { reportIncident } from './workbenchApi';

export interface CreateIncidentFormProps {
  pickedAt: [number, number] | null;
  pickedGrid: string | null;
  onCreated: (id: number) => void;
  onCancel: () => void;
}

export function CreateIncidentForm({ pickedAt, pickedGrid, onCreated, onCancel }: CreateIncidentFormProps) {
  const user = useSession();
  const categories = useCategories();
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [grid, setGrid] = useState('');
  const [photos, setPhotos] = useState<PreparedPhoto[]>([]);
  const photoUpload = usePhotoUpload();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const gridCode = grid || pickedGrid || '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // A map click gives the point (the server locates its grid); a chosen grid alone is located at the grid.
      const place = pickedAt && !grid ? { lon: pickedAt[0], lat: pickedAt[1] } : { gridCode };
      const created = await reportIncident({ category, description, source: 'grid', ...place });
      if (photos.length > 0)
        await photoUpload.upload(
          created.id,
          photos.map((p) => p.file),
        );
      onCreated(created.id);
    } catch (err) {
      setError(err instanceof ApiError && err.problem.errors?.length ? err.problem.errors.map((x) => `${x.field}：${x.reason}`).join('；') : errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <form className="wb-create" onSubmit={submit} aria-label="上报事件" data-testid="create-form">
      <h3>上报事件</h3>
      <p className="muted">{pickedAt ? `位置：${pickedAt[0].toFixed(6)}, ${pickedAt[1].toFixed(6)}${pickedGrid ? `（网格 ${pickedGrid}）` : ''}` : '在地图上点击位置，或选择网格'}</p>
      <div className="wb-field">
        <label htmlFor="wb-create-grid">网格</label>
        {user.gridCodes.length > 0 ? (
          <select id="wb-create-grid" value={grid} onChange={(e) => setGrid(e.target.value)}>
            <option value="">{pickedGrid ? `地图所选（${pickedGrid}）` : '（请选择）'}</option>
            {user.gridCodes.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        ) : (
          <input id="wb-create-grid" inputMode="numeric" pattern="\d{15}" placeholder={pickedGrid ?? '15 位网格编码'} value={grid} onChange={(e) => setGrid(e.target.value)} />
        )}
      </div>
      <div className="wb-field">
        <label htmlFor="wb-create-category">
          类别<span className="wb-required">*</span>
        </label>
        <select id="wb-create-category" required value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">（请选择）</option>
          {(categories.data ?? []).map((c) => (
            <option key={c.code} value={c.code}>
              {c.major}·{c.minor}
            </option>
          ))}
        </select>
      </div>
      <div className="wb-field">
        <label htmlFor="wb-create-description">
          描述<span className="wb-required">*</span>
        </label>
        <textarea id="wb-create-description" rows={3} maxLength={500} required value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <PhotoField value={photos} onChange={setPhotos} progress={photoUpload.progress} />
      {error && (
        <p className="error-message" role="alert">
          {error}
        </p>
      )}
      <div className="wb-form-buttons">
        <button type="submit" className="wb-primary" disabled={busy || !category || (!pickedAt && !gridCode)}>
          {busy ? '正在上报…' : '上报'}
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
      </div>
    </form>
  );
}
