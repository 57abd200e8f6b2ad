/**
 * 管理: edit 示范带/示范圈 (name, description, 认定日期, geometry drawn by clicking the map,
 * member communities — computed by intersection when left blank) and the star
 * rating of a grid (picked on the map). The server checks the signed-in user's role.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, call, type GridDetail } from '../../api/client';
import { errorMessage } from '../../api/queries';
import { fetchGrid, type DemoBelt, type DemoCircle, type Demonstrations } from './screenApi';
import { STAR_LABELS } from './starColours';

export interface Draft {
  kind: 'belt' | 'circle';
  /** belt: route vertices; circle: [centre] */
  points: [number, number][];
  /** belt corridor half-width or circle radius, metres */
  sizeM: number;
}

interface Props {
  demos: Demonstrations;
  draft: Draft | null;
  onDraft: (draft: Draft | null) => void;
  draftGeometry: GeoJSON.Polygon | null;
  pickedGrid: string | null;
  onPickGrid: (code: string | null) => void;
  onClose: () => void;
}

interface FormState {
  id: number | null;
  kind: 'belt' | 'circle';
  name: string;
  description: string;
  members: string;
  /** 认定日期 YYYY-MM-DD, '' = not recorded. */
  designatedOn: string;
}

const EMPTY: FormState = { id: null, kind: 'circle', name: '', description: '', members: '', designatedOn: '' };
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function AdminPanel({ demos, draft, onDraft, pickedGrid, onPickGrid, onClose }: Props) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<FormState>(EMPTY);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['screen'] });
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage(await work());
      await refresh();
    } catch (e) {
      setMessage(`失败：${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const members = form.members
    .split(/[\s,，、]+/)
    .map((s) => s.trim())
    .filter(Boolean);

  const save = () =>
    run(async () => {
      const name = form.name.trim();
      if (!name) throw new Error('请填写名称');
      if (form.designatedOn && form.designatedOn > chinaToday()) throw new Error('认定日期不能晚于今天');
      // An edit sends the date as it stands (empty clears it); a new one only when given.
      const date = form.designatedOn ? { designatedOn: form.designatedOn } : form.id === null ? {} : { designatedOn: null };
      const common = { name, description: form.description.trim() || null, ...date, ...(members.length ? { memberCommunityCodes: members } : {}) };
      const drawn = draft?.points.length ? draft : null;
      if (!drawn && form.id === null) throw new Error('请先在地图上绘制范围');
      let saved: DemoBelt | DemoCircle;
      if (form.kind === 'belt') {
        if (drawn && drawn.points.length < 2) throw new Error('示范带路线至少需要在地图上点两个点');
        const json = { ...common, ...(drawn ? { route: { type: 'LineString' as const, coordinates: drawn.points }, corridorM: drawn.sizeM } : {}) };
        const belts = api.api.demonstrations.belts;
        saved = await (form.id === null ? call(belts.$post({ json })) : call(belts[':id'].$put({ param: { id: String(form.id) }, json })));
      } else {
        const json = { ...common, ...(drawn ? { centre: drawn.points[0]!, radiusM: drawn.sizeM } : {}) };
        const circles = api.api.demonstrations.circles;
        saved = await (form.id === null ? call(circles.$post({ json })) : call(circles[':id'].$put({ param: { id: String(form.id) }, json })));
      }
      onDraft(null);
      setForm(EMPTY);
      return `已保存「${name}」，成员社区 ${saved.members.length} 个`;
    });

  const remove = (kind: 'belt' | 'circle', id: number, name: string) =>
    run(async () => {
      if (!window.confirm(`删除「${name}」？`)) return '已取消';
      await call(api.api.demonstrations[':kind{belts|circles}'][':id'].$delete({ param: { kind: kind === 'belt' ? 'belts' : 'circles', id: String(id) } }));
      return `已删除「${name}」`;
    });

  const edit = (d: DemoBelt | DemoCircle) => {
    setForm({ id: d.id, kind: d.kind, name: d.name, description: d.description ?? '', members: d.members.map((m) => m.code).join(', '), designatedOn: d.designatedOn ?? '' });
    onDraft(null);
  };

  return (
    <div className="admin-panel" data-testid="admin-panel" onPointerDown={(e) => e.stopPropagation()}>
      <div className="admin-head">
        <strong>管理</strong>
        <button type="button" className="screen-button" onClick={onClose}>
          关闭
        </button>
      </div>

      <StarEditor code={pickedGrid} onCode={onPickGrid} run={run} busy={busy} />

      <h3>示范带 / 示范圈</h3>
      <ul className="admin-list">
        {[...demos.belts, ...demos.circles].map((d) => (
          <li key={`${d.kind}-${d.id}`}>
            <span>
              {d.kind === 'belt' ? '带' : '圈'} · {d.name}（{d.members.length} 社区，{d.designatedOn ? `${d.designatedOn} 认定` : '未登记认定日期'}）
            </span>
            <button type="button" onClick={() => edit(d)}>
              编辑
            </button>
            <button type="button" onClick={() => remove(d.kind, d.id, d.name)}>
              删除
            </button>
          </li>
        ))}
      </ul>
      <div className="admin-form">
        <div className="admin-row">
          <select value={form.kind} disabled={form.id !== null} onChange={(e) => setForm({ ...form, kind: e.target.value as 'belt' | 'circle' })}>
            <option value="circle">示范圈</option>
            <option value="belt">示范带</option>
          </select>
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="名称" />
        </div>
        <label className="admin-row">
          认定日期
          <input type="date" value={form.designatedOn} max={chinaToday()} onChange={(e) => setForm({ ...form, designatedOn: e.target.value })} data-testid="admin-designated-on" />
        </label>
        <textarea value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} placeholder="简介" rows={2} />
        <input value={form.members} onChange={(e) => setForm({ ...form, members: e.target.value })} placeholder="成员社区代码（留空则按范围自动计算）" />
        <div className="admin-row">
          <button type="button" onClick={() => onDraft({ kind: form.kind, points: [], sizeM: form.kind === 'belt' ? 500 : 1000 })}>
            {form.id === null ? '在地图上绘制' : '重新绘制'}
          </button>
          {draft && (
            <>
              <label>
                {draft.kind === 'belt' ? '走廊半宽' : '半径'}
                <input type="number" min={50} max={5000} value={draft.sizeM} onChange={(e) => onDraft({ ...draft, sizeM: Number(e.target.value) || 500 })} />米
              </label>
              <button type="button" onClick={() => onDraft({ ...draft, points: [] })}>
                清除
              </button>
            </>
          )}
        </div>
        {draft && <p className="screen-note">{draft.kind === 'belt' ? `点击地图依次添加路线点（已 ${draft.points.length} 个）` : draft.points.length ? '已选圆心，可再次点击更换' : '点击地图选择圆心'}</p>}
        <div className="admin-row">
          <button type="button" className="screen-button on" disabled={busy} onClick={save}>
            {form.id === null ? '新建' : '保存修改'}
          </button>
          {form.id !== null && (
            <button
              type="button"
              onClick={() => {
                setForm(EMPTY);
                onDraft(null);
              }}
            >
              取消编辑
            </button>
          )}
        </div>
      </div>
      {message && (
        <p className="admin-message" role="status">
          {message}
        </p>
      )}
    </div>
  );
}

function StarEditor({ code, onCode, run, busy }: { code: string | null; onCode: (c: string | null) => void; run: (w: () => Promise<string>) => Promise<void>; busy: boolean }) {
  const [grid, setGrid] = useState<GridDetail | null>(null);
  const [stars, setStars] = useState(0);
  const [input, setInput] = useState(code ?? '');
  useEffect(() => {
    setInput(code ?? '');
    if (!code) return setGrid(null);
    let cancelled = false;
    fetchGrid(code)
      .then((g) => {
        if (cancelled) return;
        setGrid(g);
        setStars(g.starRating);
      })
      .catch(() => !cancelled && setGrid(null));
    return () => {
      cancelled = true;
    };
  }, [code]);
  return (
    <div className="admin-form">
      <h3>网格党组织星级</h3>
      <div className="admin-row">
        <input value={input} onChange={(e) => setInput(e.target.value)} placeholder="点击地图上的网格或输入编码" />
        <button type="button" onClick={() => onCode(/^\d{15}$/.test(input.trim()) ? input.trim() : null)}>
          查找
        </button>
      </div>
      {grid && (
        <div className="admin-row">
          <span>{grid.name}</span>
          <select value={stars} onChange={(e) => setStars(Number(e.target.value))} aria-label="星级">
            {STAR_LABELS.map((l, i) => (
              <option key={l} value={i}>
                {l}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={busy || stars === grid.starRating}
            onClick={() =>
              run(async () => {
                await call(api.api.grids[':code'].$put({ param: { code: grid.code }, query: {}, json: { version: grid.version, attributes: { starRating: stars } } }));
                const fresh = await fetchGrid(grid.code);
                setGrid(fresh);
                return `已将「${grid.name}」设为${STAR_LABELS[stars]}（版本 ${fresh.version}）`;
              })
            }
          >
            保存星级
          </button>
        </div>
      )}
    </div>
  );
}
