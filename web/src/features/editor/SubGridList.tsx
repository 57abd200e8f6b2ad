/**
 * 微网格与专属网格 of the open grid: its micro grids (code, name, households, area) and the 专属网格
 * of its community by kind, each focusable to frame it on the map and selectable (编辑) to reshape its
 * vertices and browse its history (also by a double click on it on the map). Drawing new ones is a mode of the
 * tool bar (modes/subGrid.mode.ts); this list shows what the server holds after each save.
 */
import type { InferResponseType } from 'hono/client';
import type { api } from '../../api/client';
import type { SubGridTarget } from './editorState';
import { formatArea } from './format';

type SubGridCollection = InferResponseType<typeof api.api.levels.$get, 200>;
export type SubGridFeature = SubGridCollection['features'][number];

export interface SubGridListProps {
  baseCode: string;
  subGrids: SubGridCollection | undefined;
  loading: boolean;
  /** The sub grid being edited, if any. */
  selected: SubGridTarget | null;
  busy: boolean;
  onFocus: (geometry: GeoJSON.Geometry) => void;
  onSelect: (feature: SubGridFeature | null) => void;
}

export function SubGridList({ baseCode, subGrids, loading, selected, busy, onFocus, onSelect }: SubGridListProps) {
  const features = subGrids?.features ?? [];
  const micro = features.filter((f) => f.properties.level === 'micro' && f.properties.parentGridCode === baseCode);
  const exclusive = features.filter((f) => f.properties.level === 'exclusive');
  const row = (f: (typeof features)[number]) => (
    <li key={f.properties.code} className={selected?.code === f.properties.code ? 'current' : undefined}>
      <button type="button" className="text-button" onClick={() => onFocus(f.geometry)} title="在地图上显示">
        <code>{f.properties.code}</code> {f.properties.name}
      </button>
      <span className="muted">
        {f.properties.kind ? `${f.properties.kind} · ` : ''}
        {f.properties.households} 户 · {formatArea(f.properties.areaM2)}
      </span>
      {selected?.code !== f.properties.code && (
        <button type="button" className="text-button" disabled={busy} onClick={() => onSelect(f)} aria-label={`编辑 ${f.properties.code}`}>
          编辑
        </button>
      )}
    </li>
  );
  return (
    <section className="editor-section" aria-label="微网格与专属网格" data-testid="sub-grid-list">
      {selected && (
        <div className="editor-notice" data-testid="sub-grid-selected">
          正在编辑{selected.level === 'micro' ? '微网格' : '专属网格'} <code>{selected.code}</code> {selected.name}（版本 <span data-testid="sub-grid-version">{selected.version}</span>）：拖动顶点后按 Enter 保存
          {selected.level === 'micro' ? '，开启“自动调整相邻网格”时同一基础网格内的其他微网格让出或接收面积' : ''}。
          <button type="button" className="text-button" disabled={busy} onClick={() => onSelect(null)}>
            返回基础网格
          </button>
        </div>
      )}
      <h3>微网格（{micro.length}）</h3>
      {loading && <p className="muted">正在加载…</p>}
      {!loading && micro.length === 0 && <p className="muted">本网格尚未划分微网格。用工具栏“绘制微网格”划出第一个，其余部分自动成为另一个微网格。</p>}
      <ul className="sub-grid-list" data-testid="micro-grid-list">
        {micro.map(row)}
      </ul>
      <h3>本社区专属网格（{exclusive.length}）</h3>
      <ul className="sub-grid-list" data-testid="exclusive-grid-list">
        {exclusive.map(row)}
      </ul>
    </section>
  );
}
