/**
 * 上报: category (this phone's recent ones first), description (the keyboard's voice
 * input works in the text box), up to 9 photos, the place from GPS (accuracy shown) or a
 * tap on the map, a warning when the place is outside my grids, and 就地解决 — a small
 * matter solved on the spot closes at once, with a photo. The report goes into the
 * outbox (with its Idempotency-Key) and is sent now or when the phone is back online.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useMemo, useState } from 'react';
import { categoriesQuery } from '../categories';
import type { PreparedPhoto } from '../../features/photos/preparePhoto';
import { useGeolocation } from '../geo/useGeolocation';
import { navigate } from '../MobileApp';
import { myGridAt, useMyGrids } from '../myGrids';
import { enqueue, photoOf } from '../outbox/outboxDb';
import { newIdempotencyKey } from '../outbox/retry';
import { syncNow } from '../outbox/sync';
import { PhotoInput } from '../parts/PhotoInput';
import { loadRecent, orderByRecent, rememberCategory } from '../parts/recentCategories';
import { useMobileSession } from '../session';

const MapPicker = lazy(() => import('../map/GridMap').then((m) => ({ default: m.GridMap })));

export function ReportTab() {
  const user = useMobileSession().data!;
  const categories = useQuery(categoriesQuery);
  const { grids } = useMyGrids(user.gridCodes.length > 0);
  const geo = useGeolocation();
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<PreparedPhoto[]>([]);
  const [picked, setPicked] = useState<[number, number] | null>(null);
  const [picking, setPicking] = useState(false);
  const [onSpot, setOnSpot] = useState(false);
  const [onSpotNote, setOnSpotNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const ordered = useMemo(() => orderByRecent(categories.data ?? [], loadRecent()), [categories.data]);

  const place: [number, number] | null = picked ?? (geo.fix ? [geo.fix.lon, geo.fix.lat] : null);
  const inGrid = place ? myGridAt(grids, place) : null;
  const outside = place !== null && grids.length > 0 && inGrid === null;
  const ready = category !== '' && description.trim() !== '' && place !== null && (!onSpot || (onSpotNote.trim() !== '' && photos.length > 0));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready || !place) return;
    setBusy(true);
    const chosen = categories.data?.find((c) => c.code === category);
    await enqueue({
      kind: 'report',
      key: newIdempotencyKey(),
      title: `${onSpot ? '就地解决' : '上报'}：${chosen ? `${chosen.major}·${chosen.minor}` : category}`,
      body: { category, description: description.trim(), lon: place[0], lat: place[1], source: 'grid', ...(onSpot ? { onSpot: onSpotNote.trim() } : {}) },
      photos: await Promise.all(photos.map((p) => photoOf(p.file))),
    });
    rememberCategory(category);
    void syncNow();
    setDescription('');
    setPhotos([]);
    setOnSpot(false);
    setOnSpotNote('');
    setPicked(null);
    setBusy(false);
    setDone(navigator.onLine ? '已提交，正在发送（见「队列」）' : '当前离线：已保存到「队列」，联网后自动发送');
  }

  return (
    <form className="m-form" onSubmit={submit} aria-label="上报事件">
      {done && (
        <p className="m-notice" role="status" data-testid="report-done">
          {done}{' '}
          <button type="button" className="m-link" onClick={() => navigate('queue')}>
            查看队列
          </button>
        </p>
      )}
      <fieldset>
        <legend>
          类别<span className="m-required">*</span>
        </legend>
        {ordered.recent.length > 0 && (
          <div className="m-chips" role="group" aria-label="最近使用">
            {ordered.recent.map((c) => (
              <button key={c.code} type="button" className="m-chip" aria-pressed={category === c.code} onClick={() => setCategory(c.code)}>
                {c.minor}
              </button>
            ))}
          </div>
        )}
        <select aria-label="类别" value={category} onChange={(e) => setCategory(e.target.value)} required>
          <option value="">{categories.isPending ? '正在加载类别…' : '（请选择类别）'}</option>
          {[...ordered.recent, ...ordered.rest].map((c) => (
            <option key={c.code} value={c.code}>
              {c.major}·{c.minor}
            </option>
          ))}
        </select>
      </fieldset>
      <label className="m-field">
        描述<span className="m-required">*</span>
        <textarea rows={4} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="发生了什么、在哪里、有多严重" required />
        <span className="m-hint">提示：可点输入法键盘上的话筒按钮语音输入。</span>
      </label>
      <PhotoInput value={photos} onChange={setPhotos} required={onSpot} />
      <fieldset>
        <legend>
          位置<span className="m-required">*</span>
        </legend>
        <p data-testid="report-place">
          {picked
            ? `地图选点：${picked[0].toFixed(6)}, ${picked[1].toFixed(6)}`
            : geo.fix
              ? `GPS：${geo.fix.lon.toFixed(6)}, ${geo.fix.lat.toFixed(6)}（精度约 ${Math.round(geo.fix.accuracy)} 米）`
              : (geo.error ?? '正在定位…')}
        </p>
        {inGrid && <p className="m-ok">在我的网格内：{inGrid.name}</p>}
        {outside && (
          <p className="m-warning" role="alert" data-testid="outside-grid">
            注意：此位置不在您负责的网格内。仍可上报，事件将按位置分配到所在网格。
          </p>
        )}
        <div className="m-row">
          <button type="button" className="m-button" onClick={() => setPicking((p) => !p)}>
            {picking ? '收起地图' : '在地图上点选位置'}
          </button>
          {picked && (
            <button type="button" className="m-button" onClick={() => setPicked(null)}>
              改用 GPS
            </button>
          )}
        </div>
        {picking && (
          <Suspense fallback={<p className="m-status">正在加载地图…</p>}>
            <div className="m-map-picker">
              <MapPicker grids={grids} position={geo.fix} picked={picked} onPick={setPicked} />
            </div>
          </Suspense>
        )}
      </fieldset>
      {user.role === 'grid_worker' && (
        <fieldset>
          <label className="m-check">
            <input type="checkbox" checked={onSpot} onChange={(e) => setOnSpot(e.target.checked)} />
            就地解决（小事不出网格：提交即结案，需附照片）
          </label>
          {onSpot && (
            <label className="m-field">
              解决情况<span className="m-required">*</span>
              <textarea rows={2} maxLength={500} value={onSpotNote} onChange={(e) => setOnSpotNote(e.target.value)} required />
            </label>
          )}
        </fieldset>
      )}
      <button type="submit" className="m-primary" disabled={!ready || busy}>
        {busy ? '正在保存…' : onSpot ? '提交并结案' : '提交上报'}
      </button>
    </form>
  );
}
