/**
 * 网格编辑: planners reshape grids (drag/insert/delete vertices with snapping),
 * draw, split, merge and renumber, check with the server's rules (校验) before
 * saving, see which neighbours a save adjusted, and browse or revert history.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { errorMessage, useConfig, useRegionTree } from '../../api/queries';
import type { GridDetail } from '../../api/client';
import { streetColourExpression, streetColours } from '../map/streetColours';
import { pages } from '../../pages';
import { describeResult, neighbourChanges, type EditFailure, type EditResult } from './editOutcome';
import { EditorMap } from './EditorMap';
import {
  applyRenumber,
  createGridAt,
  editGridQuery,
  EditFailed,
  loadActor,
  mergeGridsTogether,
  neighboursQuery,
  regionQuery,
  revertGridTo,
  saveActor,
  signedInQuery,
  splitGridBy,
  updateGeometry,
  type RenumberPlanEntry,
} from './editorQueries';
import { editorReducer, initialEditorState, isDirty, MODE_NAMES, type BaseGrid, type Mode } from './editorState';
import { boundsOf, ringsOf, sketchLine, sketchPolygon, vertices, type PolygonalGeometry } from './geometryOps';
import { HistoryPanel, type Overlay } from './HistoryPanel';
import { editorKey } from './keyboard';
import { RenumberPanel } from './RenumberPanel';
import { ImportDialog } from '../grid-import/ImportDialog';
import { refreshGridTiles } from './tileRefresh';
import { ruleName, violationNumber } from './violations';
import { formatArea } from './format';
import { canRedo, canUndo } from './undoStack';
import './editor.css';

declare global {
  interface Window {
    __dangjianEditor?: { draft: PolygonalGeometry | null };
  }
}

type Outcome = { kind: 'saved' | 'checked'; text: string; neighbours: string[] } | { kind: 'failed'; failure: EditFailure };

const EMPTY_FC: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const MODE_HELP: Record<Mode, string> = {
  edit: '拖动白色顶点移动；拖动边中点插入顶点；点击顶点后按 Delete 删除。靠近相邻网格或社区边界时自动吸附（按住 Alt 不吸附）。',
  draw: '在地图上依次点击新网格的顶点（至少 3 个），按 Enter 保存；相邻网格会让出新网格占用的区域。',
  split: '点击画一条完全穿过网格的分割线，按 Enter 分割。',
  merge: '点击相邻网格加入或移出合并（蓝色），按 Enter 合并为编码最小的网格。',
};

const toBase = (g: GridDetail): BaseGrid => ({
  code: g.code,
  name: g.name,
  version: g.version,
  geometry: g.geometry,
  communityCode: g.community.code,
  communityName: g.community.name,
  areaM2: g.areaM2,
});

/** The grid's bounds grown by its own size on every side: neighbours to snap to. */
function neighbourBbox(geometry: GeoJSON.Geometry | undefined): string | null {
  const b = boundsOf([geometry]);
  if (!b) return null;
  const dx = b[2] - b[0];
  const dy = b[3] - b[1];
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy].map((n) => n.toFixed(6)).join(',');
}

export function EditorPage() {
  const config = useConfig();
  const tree = useRegionTree();
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(editorReducer, initialEditorState);
  const [code, setCode] = useState<string | null>(() => new URLSearchParams(window.location.search).get('grid'));
  const [codeInput, setCodeInput] = useState(code ?? '');
  const [actor, setActor] = useState(loadActor);
  const [adjustNeighbours, setAdjustNeighbours] = useState(true);
  const [snapping, setSnapping] = useState(true);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const [tab, setTab] = useState<'history' | 'renumber'>('history');
  const [importOpen, setImportOpen] = useState(false);
  const mapRef = useRef<maplibregl.Map | null>(null);

  const streets = useMemo(() => streetColours(tree.data ?? []), [tree.data]);
  const gridColour = useMemo(() => streetColourExpression(streets), [streets]);

  const me = useQuery(signedInQuery);
  const grid = useQuery({ ...editGridQuery(code ?? ''), enabled: code !== null });
  useEffect(() => {
    if (grid.data) dispatch({ type: 'load', grid: toBase(grid.data) });
  }, [grid.data]);

  const base = state.base;
  const bbox = neighbourBbox(base?.geometry);
  const neighbours = useQuery({ ...neighboursQuery(bbox ?? ''), enabled: bbox !== null });
  const community = useQuery({ ...regionQuery(base?.communityCode ?? ''), enabled: !!base });

  const snapLines = useMemo(() => {
    const others = (neighbours.data?.features ?? []).filter((f) => state.mode === 'draw' || f.properties.code !== base?.code).map((f) => f.geometry);
    return ringsOf([...others, community.data?.geometry]);
  }, [neighbours.data, community.data, base?.code, state.mode]);

  /** `afterSave`: the grid a write produced (split, merge, new, renumbered): keep showing that write's outcome. */
  const selectGrid = useCallback((next: string | null, afterSave = false) => {
    setCode(next);
    setCodeInput(next ?? '');
    if (!afterSave) setOutcome(null);
    setOverlay(null);
    const url = new URL(window.location.href);
    if (next) url.searchParams.set('grid', next);
    else url.searchParams.delete('grid');
    window.history.replaceState(null, '', url);
  }, []);

  const dirty = isDirty(state);
  const pickGrid = (next: string) => {
    if (dirty) {
      setNotice('当前网格有未保存的修改：请先保存，或按 Esc 放弃修改');
      return;
    }
    setNotice(null);
    selectGrid(next);
  };

  /** After any write: fresh tiles, fresh reads, and the grid to show next. */
  const afterWrite = async (nextCode: string | null) => {
    if (mapRef.current) refreshGridTiles(mapRef.current);
    // Switch first: the old code may no longer exist (merged away, renumbered).
    if (nextCode && nextCode !== code) selectGrid(nextCode, true);
    await queryClient.invalidateQueries({ queryKey: ['editor'] });
    // The main map's cached details are stale too.
    void queryClient.invalidateQueries({ queryKey: ['grid'] });
    void queryClient.invalidateQueries({ queryKey: ['grids'] });
  };

  const perform = async (
    label: string,
    run: () => Promise<EditResult>,
    opts: { edited: string[]; dryRun: boolean; next?: (r: EditResult) => string | null; describe?: (r: EditResult) => string },
  ): Promise<boolean> => {
    if (busy) return false;
    setBusy(label);
    setNotice(null);
    setOutcome(null);
    try {
      const r = await run();
      // Adjusted neighbours and new grids are outlined on the map.
      const neighbours = [...neighbourChanges(r, opts.edited).filter((c) => !r.deleted.includes(c.code)).map((c) => c.code), ...r.created];
      setOutcome({ kind: opts.dryRun ? 'checked' : 'saved', text: opts.describe?.(r) ?? describeResult(r, opts.edited), neighbours });
      if (!opts.dryRun) {
        setOverlay(null);
        await afterWrite(opts.next ? opts.next(r) : code);
      }
      return true;
    } catch (e) {
      const failure: EditFailure = e instanceof EditFailed ? e.failure : { kind: 'error', status: 0, message: errorMessage(e) };
      setOutcome({ kind: 'failed', failure });
      if (failure.kind === 'conflict' && failure.current) {
        setOverlay({
          title: `服务器上的当前形状（版本 ${failure.current.version}）`,
          legend: [{ role: 'current', label: '他人保存的形状' }],
          features: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: failure.current.geometry, properties: { role: 'current' } }] },
        });
      }
      return false;
    } finally {
      setBusy(null);
    }
  };

  const write = async (dryRun: boolean) => {
    if (!base) return setNotice('请先选择一个网格');
    const present = state.history.present;
    const o = { actor, dryRun };
    const verb = dryRun ? '正在校验…' : '正在保存…';
    switch (state.mode) {
      case 'edit': {
        if (!dirty || !present.geometry) return setNotice('没有未保存的修改');
        const geometry = present.geometry;
        return void perform(verb, () => updateGeometry(base.code, { version: base.version, geometry, adjustNeighbours }, o), { edited: [base.code], dryRun });
      }
      case 'draw': {
        const polygon = sketchPolygon(present.sketch);
        if (!polygon) return setNotice('新网格至少需要 3 个顶点');
        return void perform(verb, () => createGridAt({ communityCode: base.communityCode, geometry: polygon }, o), { edited: [], dryRun, next: (r) => r.created[0] ?? null });
      }
      case 'split': {
        const line = sketchLine(present.sketch);
        if (!line) return setNotice('分割线至少需要 2 个点');
        return void perform(verb, () => splitGridBy(base.code, { version: base.version, line }, o), { edited: [base.code], dryRun });
      }
      case 'merge': {
        if (state.mergeCodes.length < 2) return setNotice('请至少再选择一个相邻网格');
        const codes = [...state.mergeCodes].sort();
        return void perform(
          verb,
          async () => {
            // Versions as the server has them now: a stale one is a 409, as it should be.
            const details = await Promise.all(codes.map((c) => queryClient.fetchQuery(editGridQuery(c))));
            return mergeGridsTogether(details.map((d) => ({ code: d.code, version: d.version })), o);
          },
          { edited: codes, dryRun, next: () => codes[0] ?? null },
        );
      }
    }
  };

  const revert = (toVersion: number) => {
    if (!base) return;
    void perform('正在回退…', () => revertGridTo(base.code, { toVersion, version: base.version }, { actor }), { edited: [base.code], dryRun: false });
  };

  const renumber = (plan: RenumberPlanEntry[]) => {
    if (!base) return Promise.resolve(false);
    const expected = plan.map(({ oldCode, newCode }) => ({ oldCode, newCode }));
    const mine = plan.find((p) => p.oldCode === base.code)?.newCode ?? base.code;
    return perform('正在重新编号…', () => applyRenumber(base.communityCode, expected, { actor }), {
      edited: [],
      dryRun: false,
      next: () => mine,
      describe: (r) => `已重新编号：${base.communityName} ${plan.filter((p) => p.changed).length} 个网格编码已变更（${r.changes.length} 个网格写入新版本）`,
    });
  };

  const reloadAfterConflict = async () => {
    setOutcome(null);
    setOverlay(null);
    if (code) await queryClient.invalidateQueries({ queryKey: editGridQuery(code).queryKey });
    // Identical data keeps its identity, so reset the draft explicitly too.
    const fresh = code ? queryClient.getQueryData(editGridQuery(code).queryKey) : undefined;
    if (fresh) dispatch({ type: 'load', grid: toBase(fresh) });
    if (mapRef.current) refreshGridTiles(mapRef.current);
  };

  const cancel = () => {
    if (state.mode === 'edit' && !dirty && (outcome || overlay)) {
      setOutcome(null);
      setOverlay(null);
    }
    setNotice(null);
    dispatch({ type: 'cancel' });
  };

  // Keyboard shortcuts, reading the latest handlers.
  const keys = useRef({ write, cancel });
  keys.current = { write, cancel };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = editorKey({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, altKey: e.altKey, targetTag: (e.target as HTMLElement | null)?.tagName });
      if (!action) return;
      // Enter on a focused button presses it; do not also save.
      if (action === 'save' && (e.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      e.preventDefault();
      if (action === 'undo') dispatch({ type: 'undo' });
      else if (action === 'redo') dispatch({ type: 'redo' });
      else if (action === 'deleteVertex') dispatch({ type: 'deleteVertex' });
      else if (action === 'cancel') keys.current.cancel();
      else void keys.current.write(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Browser tests read the draft exactly (rendered handles are tile-quantised).
  useEffect(() => {
    window.__dangjianEditor = { draft: state.history.present.geometry };
  }, [state.history.present.geometry]);

  const violations = outcome?.kind === 'failed' && outcome.failure.kind === 'rejected' ? outcome.failure.violations : [];
  const changedCodes = outcome && outcome.kind !== 'failed' ? outcome.neighbours : [];
  const shownNotice = notice ?? state.notice;
  const vertexCount = state.history.present.geometry ? vertices(state.history.present.geometry).length : 0;

  const focusGeometry = (g: GeoJSON.Geometry | undefined) => {
    const b = boundsOf([g]);
    if (b && mapRef.current) mapRef.current.fitBounds(b, { padding: 120, maxZoom: 18, duration: 400 });
  };

  return (
    <div className="editor-page">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>党建版图</h1>
          <span className="brand-sub">网格编辑</span>
        </div>
        <nav className="page-nav" aria-label="页面">
          <a href="/">党建地图</a>
          {pages
            .filter((p) => !(p as { hidden?: boolean }).hidden)
            .map((p) => (
              <a key={p.path} href={p.path} aria-current={p.path === '/editor' ? 'page' : undefined}>
                {p.title}
              </a>
            ))}
        </nav>
        {me.data?.kind === 'user' ? (
          <span className="editor-actor" data-testid="editor-user">
            当前用户 <strong>{me.data.name}</strong>
            {me.data.role && <span className="muted">（{me.data.role}）</span>}
          </span>
        ) : me.data?.kind === 'signedOut' ? (
          <span className="editor-actor">
            未登录，无法保存{pages.some((p) => p.path === '/login') && <a href={`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`}>登录</a>}
          </span>
        ) : (
          <label className="editor-actor">
            规划员
            <input
              value={actor}
              maxLength={50}
              onChange={(e) => setActor(e.target.value)}
              onBlur={() => {
                saveActor(actor);
                setActor(loadActor());
              }}
              aria-label="规划员姓名（记录在版本历史中）"
            />
          </label>
        )}
      </header>

      <div className="editor-toolbar" role="toolbar" aria-label="编辑工具">
        <div className="editor-modes">
          {(Object.keys(MODE_NAMES) as Mode[]).map((m) => (
            <button key={m} type="button" className="text-button" aria-pressed={state.mode === m} onClick={() => dispatch({ type: 'mode', mode: m })} disabled={!base && m !== 'edit'}>
              {MODE_NAMES[m]}
            </button>
          ))}
        </div>
        <div className="editor-actions">
          <button type="button" className="text-button" onClick={() => dispatch({ type: 'undo' })} disabled={!canUndo(state.history)} title="Ctrl+Z">
            撤销
          </button>
          <button type="button" className="text-button" onClick={() => dispatch({ type: 'redo' })} disabled={!canRedo(state.history)} title="Ctrl+Shift+Z">
            重做
          </button>
          <button type="button" className="text-button" onClick={cancel} title="Esc">
            取消
          </button>
          <button type="button" className="text-button" onClick={() => void write(true)} disabled={!base || !!busy} data-testid="editor-validate">
            校验
          </button>
          <button type="button" className="text-button editor-primary" onClick={() => void write(false)} disabled={!base || !!busy} title="Enter" data-testid="editor-save">
            保存
          </button>
          <button type="button" className="text-button" onClick={() => setImportOpen(true)} disabled={!!busy} data-testid="editor-import">
            导入网格
          </button>
        </div>
        <div className="editor-options">
          <label>
            <input type="checkbox" checked={adjustNeighbours} onChange={(e) => setAdjustNeighbours(e.target.checked)} />
            自动调整相邻网格
          </label>
          <label>
            <input type="checkbox" checked={snapping} onChange={(e) => setSnapping(e.target.checked)} />
            吸附
          </label>
        </div>
      </div>

      {importOpen && (
        <ImportDialog
          onClose={() => setImportOpen(false)}
          onImported={() => void afterWrite(null)}
          onLocate={(at) => mapRef.current?.flyTo({ center: at, zoom: Math.max(16, mapRef.current.getZoom()), duration: 400 })}
        />
      )}

      <main className="editor-workspace">
        <section className="editor-map-area">
          {config.data ? (
            <EditorMap
              config={config.data}
              gridColour={gridColour}
              state={state}
              dispatch={dispatch}
              snapLines={snapLines}
              snapping={snapping}
              community={community.data?.geometry ?? null}
              violations={violations}
              overlay={overlay?.features ?? EMPTY_FC}
              changedCodes={changedCodes}
              onPickGrid={pickGrid}
              onMapReady={(m) => (mapRef.current = m)}
            />
          ) : (
            <div className="map-placeholder" role="status">
              {config.isError ? errorMessage(config.error) : '正在加载地图…'}
            </div>
          )}
          {busy && (
            <div className="editor-busy" role="status">
              {busy}
            </div>
          )}
          {overlay && (
            <div className="editor-legend" data-testid="editor-overlay">
              <strong>{overlay.title}</strong>
              {overlay.legend.map((l) => (
                <span key={l.role} className={`editor-legend-item role-${l.role}`}>
                  {l.label}
                </span>
              ))}
              <button type="button" className="text-button" onClick={() => setOverlay(null)}>
                关闭
              </button>
            </div>
          )}
        </section>

        <aside className="editor-panel" aria-label="网格编辑面板">
          <form
            className="editor-open"
            onSubmit={(e) => {
              e.preventDefault();
              const c = codeInput.trim();
              if (/^\d{15}$/.test(c)) pickGrid(c);
              else setNotice('网格编码应为 15 位数字');
            }}
          >
            <input value={codeInput} onChange={(e) => setCodeInput(e.target.value)} placeholder="输入网格编码，或在地图上点击网格" aria-label="网格编码" />
            <button type="submit" className="text-button">
              打开
            </button>
          </form>

          {shownNotice && (
            <p className="editor-notice" role="status" data-testid="editor-notice">
              {shownNotice}
            </p>
          )}

          {!code && <p className="muted">在地图上点击一个网格开始编辑。</p>}
          {grid.isError && <p className="error-message">{errorMessage(grid.error)}</p>}
          {base && (
            <section className="editor-section" data-testid="editor-grid">
              <h2>
                {base.name} <span className="editor-code" data-testid="editor-grid-code">{base.code}</span>
              </h2>
              <dl className="editor-facts">
                <dt>所属社区</dt>
                <dd>{base.communityName}</dd>
                <dt>版本</dt>
                <dd data-testid="editor-grid-version">{base.version}</dd>
                <dt>面积</dt>
                <dd>{formatArea(base.areaM2)}</dd>
                <dt>顶点</dt>
                <dd>{vertexCount}</dd>
              </dl>
              {dirty && <p className="editor-dirty">有未保存的修改（Enter 保存，Esc 放弃）</p>}
              <p className="muted editor-hint">
                <strong>{MODE_NAMES[state.mode]}：</strong>
                {MODE_HELP[state.mode]}
              </p>
              {state.mode === 'merge' && (
                <p data-testid="editor-merge-list">
                  合并：{state.mergeCodes.join('、')}（{state.mergeCodes.length} 个）
                </p>
              )}
            </section>
          )}

          {outcome && (
            <section className={`editor-section editor-outcome ${outcome.kind}`} data-testid="editor-outcome" role="status">
              {outcome.kind !== 'failed' ? (
                <>
                  <p>{outcome.text}</p>
                  {outcome.neighbours.length > 0 && <p className="muted">地图上青色虚线标出了本次{outcome.kind === 'checked' ? '将' : ''}变动的其他网格。</p>}
                </>
              ) : outcome.failure.kind === 'rejected' ? (
                <>
                  <p className="error-message">保存被拒绝，没有写入任何修改：</p>
                  <ul className="editor-violations" data-testid="editor-violations">
                    {outcome.failure.violations.map((v, i) => (
                      <li key={i}>
                        <button type="button" className="editor-link" onClick={() => focusGeometry(v.geometry)} disabled={!v.geometry}>
                          <span className="editor-rule">
                            {violationNumber(i)} {ruleName(v.rule)}
                          </span>
                          {v.message}
                        </button>
                      </li>
                    ))}
                  </ul>
                </>
              ) : outcome.failure.kind === 'conflict' ? (
                <>
                  <p className="error-message" data-testid="editor-conflict">
                    {outcome.failure.current
                      ? `网格 ${outcome.failure.current.code} 已被 ${outcome.failure.current.updatedBy ?? '他人'} 修改为版本 ${outcome.failure.current.version}，你的修改未保存。`
                      : `${outcome.failure.message}：数据已被他人修改，请重新加载后再试。`}
                  </p>
                  <button type="button" className="text-button" onClick={() => void reloadAfterConflict()}>
                    重新加载（放弃我的修改）
                  </button>
                </>
              ) : (
                <p className="error-message">{outcome.failure.message}</p>
              )}
            </section>
          )}

          {base && (
            <section className="editor-section">
              <div className="editor-tabs" role="tablist">
                <button type="button" role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
                  历史版本
                </button>
                <button type="button" role="tab" aria-selected={tab === 'renumber'} onClick={() => setTab('renumber')}>
                  社区重新编号
                </button>
              </div>
              {tab === 'history' ? (
                <HistoryPanel code={base.code} currentVersion={base.version} busy={!!busy} onShow={setOverlay} onRevert={revert} />
              ) : (
                <RenumberPanel key={base.communityCode} communityCode={base.communityCode} communityName={base.communityName} busy={!!busy} onApply={renumber} />
              )}
            </section>
          )}
        </aside>
      </main>
    </div>
  );
}
