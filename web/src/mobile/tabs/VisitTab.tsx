/**
 * 走访: log a visit to a household or building of my grid with a note (the GPS position
 * is attached when known); it goes through the outbox like every write.
 */
import { type FormEvent, useState } from 'react';
import { useGeolocation } from '../geo/useGeolocation';
import { enqueue } from '../outbox/outboxDb';
import { newIdempotencyKey } from '../outbox/retry';
import { syncNow } from '../outbox/sync';
import { useMobileSession } from '../session';

export function VisitTab() {
  const user = useMobileSession().data!;
  const geo = useGeolocation();
  const [grid, setGrid] = useState(user.gridCodes[0] ?? '');
  const [household, setHousehold] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    await enqueue({
      kind: 'visit',
      key: newIdempotencyKey(),
      title: `走访：${household.trim()}`,
      body: { gridCode: grid, target: household.trim(), note: note.trim(), visitedAt: new Date().toISOString(), ...(geo.fix ? { lon: geo.fix.lon, lat: geo.fix.lat, accuracyM: Math.round(geo.fix.accuracy) } : {}) },
      photos: [],
    });
    void syncNow();
    setHousehold('');
    setNote('');
    setDone(navigator.onLine ? '走访已记录，正在发送' : '当前离线：走访已保存到队列');
  }

  return (
    <form className="m-form" onSubmit={submit} aria-label="走访记录">
      {done && (
        <p className="m-notice" role="status">
          {done}
        </p>
      )}
      <label className="m-field">
        网格
        <select value={grid} onChange={(e) => setGrid(e.target.value)} required>
          {user.gridCodes.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      </label>
      <label className="m-field">
        住户或楼栋<span className="m-required">*</span>
        <input value={household} onChange={(e) => setHousehold(e.target.value)} maxLength={100} placeholder="例如：3栋2单元501" required />
      </label>
      <label className="m-field">
        走访情况<span className="m-required">*</span>
        <textarea rows={4} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} required />
        <span className="m-hint">提示：可用输入法的语音输入。</span>
      </label>
      <button type="submit" className="m-primary" disabled={!grid || !household.trim() || !note.trim()}>
        记录走访
      </button>
    </form>
  );
}
