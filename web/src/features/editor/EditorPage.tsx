/**
 * 网格编辑: planners reshape grids (drag/insert/delete vertices with snapping),
 * draw, split, merge and renumber, draw 微网格 and 专属网格 (modes/subGrid.mode.ts) and reshape them (select one in the list or
 * double-click it: the same vertex tools, saved through /api/levels, with its own history), set the community's household band and
 * rebalance it (均衡), check with the server's rules (校验) before saving, see which neighbours a save adjusted, and browse or revert history.
 * The page lays out the shared header, tool bar, map and panel; the modes
 * (modes/*.mode.ts) handle the pointer, useEditorSession the writes.
 */
import { useQuery } from '@tanstack/react-query';
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { errorMessage, useConfig, useRegionTree } from '../../api/queries';
import { ImportDialog } from '../grid-import/ImportDialog';
import { Header } from '../header/Header';
import { streetColourExpression, streetColours } from '../map/streetColours';
import { useLatest } from '../map/useLatest';
import { EditorMap } from './EditorMap';
import { neighboursQuery, regionQuery, subGridsQuery } from './editorQueries';
import { editorReducer, initialEditorState } from './editorState';
import { EditorTabs } from './EditorTabs';
import { EditorToolbar } from './EditorToolbar';
import { boundsOf } from '../../../../kernel/bbox';
import { ringsOf, type PolygonalGeometry } from './geometryOps';
import { GridSummary } from './GridSummary';
import { editorKey } from './keyboard';
import { createModes } from './modes';
import { OpenGridForm } from './OpenGridForm';
import { OutcomeSection } from './OutcomeSection';
import { SubGridList } from './SubGridList';
import { useEditorSession } from './useEditorSession';
import './editor.css';

declare global {
  interface Window {
    __dangjianEditor?: { draft: PolygonalGeometry | null };
  }
}

const EMPTY_FC: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

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
  const [state, dispatch] = useReducer(editorReducer, initialEditorState);
  const [modes] = useState(createModes);
  const [adjustNeighbours, setAdjustNeighbours] = useState(true);
  const [snapping, setSnapping] = useState(true);
  const [importOpen, setImportOpen] = useState(false);
  const [rebalancePreview, setRebalancePreview] = useState<GeoJSON.FeatureCollection | null>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const session = useEditorSession({ state, dispatch, mapRef });

  const streets = useMemo(() => streetColours(tree.data ?? []), [tree.data]);
  const gridColour = useMemo(() => streetColourExpression(streets), [streets]);

  const base = state.base;
  const mode = modes[state.mode];
  const bbox = neighbourBbox(base?.geometry);
  const neighbours = useQuery({ ...neighboursQuery(bbox ?? ''), enabled: bbox !== null });
  const community = useQuery({ ...regionQuery(base?.communityCode ?? ''), enabled: !!base });
  const subGrids = useQuery({ ...subGridsQuery(base?.communityCode ?? ''), enabled: !!base });

  // Drawing snaps to the grids around, the community boundary and (for the levels) the 微网格/专属网格 drawn already;
  // reshaping a sub grid snaps to its base grid and the other sub grids.
  const selectedSub = state.subGrid;
  const snapLines = useMemo(() => {
    const drawing = state.mode === 'draw' || state.mode === 'micro' || state.mode === 'exclusive' || selectedSub !== null;
    const others = (neighbours.data?.features ?? []).filter((f) => drawing || f.properties.code !== base?.code).map((f) => f.geometry);
    const levels = drawing ? (subGrids.data?.features ?? []).filter((f) => f.properties.code !== selectedSub?.code).map((f) => f.geometry) : [];
    return ringsOf([...others, ...levels, community.data?.geometry]);
  }, [neighbours.data, community.data, subGrids.data, base?.code, state.mode, selectedSub]);

  // The selected sub grid is drawn as the draft, not also as its stored outline.
  const shownSubGrids = useMemo<GeoJSON.FeatureCollection>(
    () => ({ type: 'FeatureCollection', features: (subGrids.data?.features ?? []).filter((f) => f.properties.code !== selectedSub?.code) }),
    [subGrids.data, selectedSub?.code],
  );
  const pickSubGridCode = (subCode: string) => {
    const f = subGrids.data?.features.find((x) => x.properties.code === subCode);
    if (f && f.properties.code !== selectedSub?.code) session.pickSubGrid(f);
  };

  const write = (dryRun: boolean) => void session.write(mode, dryRun, adjustNeighbours);
  const cancel = () => {
    session.dismiss();
    dispatch({ type: 'cancel' });
  };

  // Keyboard shortcuts, reading the latest handlers; the active mode has its own keys first.
  const keys = useLatest({ write, cancel, mode });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = editorKey({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, altKey: e.altKey, targetTag: (e.target as HTMLElement | null)?.tagName });
      if (!action) return;
      // Enter on a focused button presses it; do not also save.
      if (action === 'save' && (e.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      e.preventDefault();
      if (keys.current.mode.onKey?.(action, dispatch)) return;
      if (action === 'undo') dispatch({ type: 'undo' });
      else if (action === 'redo') dispatch({ type: 'redo' });
      // Nothing to delete outside the vertex mode: the reducer says so.
      else if (action === 'deleteVertex') dispatch({ type: 'deleteVertex' });
      else if (action === 'cancel') keys.current.cancel();
      else keys.current.write(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys]);

  // Browser tests read the draft exactly (rendered handles are tile-quantised).
  useEffect(() => {
    window.__dangjianEditor = { draft: state.history.present.geometry };
  }, [state.history.present.geometry]);

  const { outcome, overlay, busy } = session;
  const violations = outcome?.kind === 'failed' && outcome.failure.kind === 'rejected' ? outcome.failure.violations : [];
  const changedCodes = outcome && outcome.kind !== 'failed' ? outcome.neighbours : [];
  const shownNotice = session.notice ?? state.notice;

  const focusGeometry = (g: GeoJSON.Geometry | undefined) => {
    const b = boundsOf([g]);
    if (b && mapRef.current) mapRef.current.fitBounds(b, { padding: 120, maxZoom: 18, duration: 400 });
  };

  return (
    <div className="editor-page">
      <Header dataset={config.data?.dataset} streets={streets} current="/editor" subtitle="网格编辑" />

      <EditorToolbar
        state={state}
        dispatch={dispatch}
        busy={!!busy}
        onCancel={cancel}
        onWrite={write}
        onImport={() => setImportOpen(true)}
        adjustNeighbours={adjustNeighbours}
        onAdjustNeighbours={setAdjustNeighbours}
        snapping={snapping}
        onSnapping={setSnapping}
      />

      {importOpen && (
        <ImportDialog
          onClose={() => setImportOpen(false)}
          onImported={() => void session.afterWrite(null)}
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
              modes={modes}
              snapLines={snapLines}
              snapping={snapping}
              community={community.data?.geometry ?? null}
              violations={violations}
              overlay={overlay?.features ?? EMPTY_FC}
              rebalance={rebalancePreview ?? EMPTY_FC}
              subGrids={shownSubGrids}
              changedCodes={changedCodes}
              onPickGrid={session.pickGrid}
              onPickSubGrid={pickSubGridCode}
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
              <button type="button" className="text-button" onClick={() => session.setOverlay(null)}>
                关闭
              </button>
            </div>
          )}
        </section>

        <aside className="editor-panel" aria-label="网格编辑面板">
          <OpenGridForm key={session.code ?? ''} code={session.code} onOpen={session.pickGrid} onInvalid={session.setNotice} />

          {shownNotice && (
            <p className="editor-notice" role="status" data-testid="editor-notice">
              {shownNotice}
            </p>
          )}

          {!session.code && <p className="muted">在地图上点击一个网格开始编辑。</p>}
          {session.grid.isError && <p className="error-message">{errorMessage(session.grid.error)}</p>}
          {base && <GridSummary base={base} state={state} mode={mode} dirty={session.dirty} />}
          {outcome && <OutcomeSection outcome={outcome} onFocus={focusGeometry} onReload={() => void session.reloadAfterConflict()} />}
          {base && (
            <SubGridList
              baseCode={base.code}
              subGrids={subGrids.data}
              loading={subGrids.isLoading}
              selected={selectedSub}
              busy={!!busy}
              onFocus={focusGeometry}
              onSelect={(f) => {
                if (f) {
                  session.pickSubGrid(f);
                  focusGeometry(f.geometry);
                } else dispatch({ type: 'selectSubGrid', subGrid: null });
              }}
            />
          )}
          {base && (
            <EditorTabs
              base={base}
              subGrid={selectedSub}
              busy={!!busy}
              onShow={session.setOverlay}
              onRevert={(v) => session.revert(v, adjustNeighbours)}
              onRenumber={session.renumber}
              onRebalancePreview={setRebalancePreview}
              onRebalance={session.rebalance}
              onUndoRebalance={session.undoRebalance}
              onFocus={focusGeometry}
            />
          )}
        </aside>
      </main>
    </div>
  );
}
