/**
 * 巡查: start a patrol, and while this page is open the GPS position is recorded every
 * 20 s when there is a new fix (a visible notice says so; browsers stop it when the page is hidden), sent in
 * batches through the outbox; 打卡 (check-in) at a place with a note; stop. The current
 * patrol survives a reload (localStorage) and works offline like every other write.
 */
import { useEffect, useRef, useState } from 'react';
import { useGeolocation } from '../geo/useGeolocation';
import { enqueue, outboxDb } from '../outbox/outboxDb';
import { newIdempotencyKey } from '../outbox/retry';
import { syncNow } from '../outbox/sync';

const CURRENT = 'wanggetong.patrol';
export const POINT_EVERY_MS = 20_000;
/** Points are sent in batches of this many (about every 100 s) and at stop. */
const BATCH = 5;

/** One track point as POST /api/patrols/:id/points takes it (recordedAt: the GPS fix's own time). */
interface Point {
  recordedAt: string;
  lon: number;
  lat: number;
  accuracyM: number;
}

const patrolItem = (patrolKey: string, op: 'start' | 'points' | 'checkin' | 'stop', title: string, body: Record<string, unknown>) =>
  enqueue({ kind: 'patrol', op, patrolKey, key: newIdempotencyKey(), title, body, photos: [] }).then(() => void syncNow());

export function PatrolTab() {
  const [current, setCurrent] = useState<string | null>(() => localStorage.getItem(CURRENT));
  const geo = useGeolocation();
  const [recorded, setRecorded] = useState(0);
  const [note, setNote] = useState('');
  const buffer = useRef<Point[]>([]);
  const latestFix = useRef(geo.fix);
  const lastTaken = useRef<number | null>(null);
  latestFix.current = geo.fix;

  const flush = async (key: string) => {
    const points = buffer.current.splice(0);
    if (points.length > 0) await patrolItem(key, 'points', `巡查轨迹：${points.length} 个点`, { points });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: flush reads refs only; the timer follows the current patrol
  useEffect(() => {
    if (!current) return;
    const take = () => {
      const fix = latestFix.current;
      // No new fix since the last point (no signal): nothing new to record.
      if (!fix || fix.at === lastTaken.current) return;
      lastTaken.current = fix.at;
      buffer.current.push({ recordedAt: new Date(fix.at).toISOString(), lon: fix.lon, lat: fix.lat, accuracyM: Math.round(fix.accuracy) });
      setRecorded((n) => n + 1);
      if (buffer.current.length >= BATCH) void flush(current);
    };
    take();
    const timer = setInterval(take, POINT_EVERY_MS);
    return () => {
      clearInterval(timer);
      void flush(current);
    };
  }, [current]);

  async function start() {
    const key = newIdempotencyKey();
    await outboxDb.patrols.put({ key, serverId: null, startedAt: Date.now(), stoppedAt: null, points: 0 });
    localStorage.setItem(CURRENT, key);
    setCurrent(key);
    setRecorded(0);
    await patrolItem(key, 'start', '开始巡查', {});
  }

  async function stop() {
    if (!current) return;
    await flush(current);
    await patrolItem(current, 'stop', '结束巡查', {});
    await outboxDb.patrols.update(current, { stoppedAt: Date.now() });
    localStorage.removeItem(CURRENT);
    setCurrent(null);
  }

  async function checkin() {
    if (!current || !geo.fix || !note.trim()) return;
    await patrolItem(current, 'checkin', `巡查打卡：${note.trim()}`, { placeName: note.trim(), lon: geo.fix.lon, lat: geo.fix.lat, accuracyM: Math.round(geo.fix.accuracy), recordedAt: new Date().toISOString() });
    setNote('');
  }

  return (
    <section className="m-form">
      <p data-testid="patrol-position">{geo.fix ? `当前位置精度约 ${Math.round(geo.fix.accuracy)} 米` : (geo.error ?? '正在定位…')}</p>
      {current ? (
        <>
          <p className="m-notice" role="status" data-testid="patrol-notice">
            巡查进行中：本页面打开期间每 {POINT_EVERY_MS / 1000} 秒记录一次位置（已记录 {recorded} 个点）。请保持屏幕常亮，切到其他应用时记录会暂停。
          </p>
          <label className="m-field">
            打卡地点
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} placeholder="例如：XX小区东门" />
          </label>
          <button type="button" className="m-button" onClick={() => void checkin()} disabled={!geo.fix || !note.trim()}>
            打卡
          </button>
          <button type="button" className="m-primary m-danger" onClick={() => void stop()}>
            结束巡查
          </button>
        </>
      ) : (
        <button type="button" className="m-primary" onClick={() => void start()}>
          开始巡查
        </button>
      )}
    </section>
  );
}
