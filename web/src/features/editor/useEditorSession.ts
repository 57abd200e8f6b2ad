/**
 * The editor's conversation with the server: which grid is open (?grid= in the
 * URL), loading it into the draft, and every write — 校验 (dry run) and 保存 of
 * the active mode, 回退, 重新编号 — with its outcome: saved or checked (with the
 * neighbours the server adjusted), rejected (422 violations, drawn on the map) or
 * a version conflict (409, the server's current shape shown to compare). A selected 微网格/专属网格
 * is written through /api/levels the same way, and re-read after each write (its new version).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useState, type Dispatch, type RefObject } from 'react';
import type { GridDetail } from '../../api/client';
import { describeResult, failureOf, neighbourChanges, type EditFailure, type EditResult } from './editOutcome';
import { applyRebalanceMoves, applyRenumber, editGridQuery, editorKeys, revertGridTo, revertSubGridTo, subGridsQuery, undoRebalanceBatch, type RebalanceMoveInput, type RenumberPlanEntry } from './editorQueries';
import { isDirty, type BaseGrid, type EditorAction, type EditorState, type SubGridTarget } from './editorState';
import type { Overlay } from './HistoryPanel';
import type { EditorMode, WriteRequest } from './modes';
import { refreshGridTiles } from './tileRefresh';

export type Outcome = { kind: 'saved' | 'checked'; text: string; neighbours: string[]; impact?: EditResult['impact'] } | { kind: 'failed'; failure: EditFailure };

const toBase = (g: GridDetail): BaseGrid => ({
  code: g.code,
  name: g.name,
  version: g.version,
  geometry: g.geometry,
  communityCode: g.community.code,
  communityName: g.community.name,
  areaM2: g.areaM2,
});

type SubGridFeature = Awaited<ReturnType<NonNullable<ReturnType<typeof subGridsQuery>['queryFn']>>>['features'][number];

/** A listed 微网格/专属网格 as the editor's target. */
export const toSubGridTarget = (f: SubGridFeature): SubGridTarget => ({ code: f.properties.code, level: f.properties.level, name: f.properties.name, version: f.properties.version, geometry: f.geometry });

const codeFromUrl = () => new URLSearchParams(window.location.search).get('grid');

export interface EditorSessionOptions {
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  mapRef: RefObject<maplibregl.Map | null>;
}

export function useEditorSession({ state, dispatch, mapRef }: EditorSessionOptions) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState<string | null>(codeFromUrl);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const grid = useQuery({ ...editGridQuery(code ?? ''), enabled: code !== null });
  useEffect(() => {
    if (grid.data) dispatch({ type: 'load', grid: toBase(grid.data) });
  }, [grid.data, dispatch]);

  const base = state.base;
  const dirty = isDirty(state);

  /** `afterSave`: the grid a write produced (split, merge, new, renumbered): keep showing that write's outcome. */
  const selectGrid = useCallback((next: string | null, afterSave = false) => {
    setCode(next);
    if (!afterSave) setOutcome(null);
    setOverlay(null);
    const url = new URL(window.location.href);
    if (next) url.searchParams.set('grid', next);
    else url.searchParams.delete('grid');
    window.history.replaceState(null, '', url);
  }, []);

  /** Opens another grid, unless the open one has unsaved changes. */
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

  /** The selected sub grid as the server has it now (new version after a save or revert); gone: back to the base grid. */
  const reloadSubGrid = async (subCode: string) => {
    if (!base) return;
    const fresh = await queryClient.fetchQuery(subGridsQuery(base.communityCode));
    const f = fresh.features.find((x) => x.properties.code === subCode);
    dispatch({ type: 'selectSubGrid', subGrid: f ? toSubGridTarget(f) : null });
  };

  /** Opens a 微网格/专属网格 of the community for vertex editing (from the list or a double click on the map). */
  const pickSubGrid = (f: SubGridFeature) => {
    setOutcome(null);
    setOverlay(null);
    setNotice(null);
    dispatch({ type: 'selectSubGrid', subGrid: toSubGridTarget(f) });
  };

  const perform = async (label: string, request: WriteRequest, dryRun: boolean, describe?: (r: EditResult) => string): Promise<EditResult | null> => {
    if (busy) return null;
    const editedSub = state.subGrid && request.edited.includes(state.subGrid.code) ? state.subGrid.code : null;
    setBusy(label);
    setNotice(null);
    setOutcome(null);
    try {
      const r = await request.run(dryRun);
      // Adjusted neighbours and new grids are outlined on the map.
      const neighbours = [
        ...neighbourChanges(r, request.edited)
          .filter((c) => !r.deleted.includes(c.code))
          .map((c) => c.code),
        ...r.created,
      ];
      setOutcome({ kind: dryRun ? 'checked' : 'saved', text: describe?.(r) ?? describeResult(r, request.edited), neighbours, impact: 'impact' in r ? r.impact : undefined });
      if (!dryRun) {
        setOverlay(null);
        await afterWrite(request.next ? request.next(r) : code);
        if (editedSub) await reloadSubGrid(editedSub);
      }
      return r;
    } catch (e) {
      const failure = failureOf(e);
      setOutcome({ kind: 'failed', failure });
      if (failure.kind === 'conflict' && failure.current) {
        setOverlay({
          title: `服务器上的当前形状（版本 ${failure.current.version}）`,
          legend: [{ role: 'current', label: '他人保存的形状' }],
          features: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: failure.current.geometry, properties: { role: 'current' } }] },
        });
      }
      return null;
    } finally {
      setBusy(null);
    }
  };

  /** 校验 (dryRun) or 保存 what the active mode has drafted. */
  const write = async (mode: EditorMode, dryRun: boolean, adjustNeighbours: boolean) => {
    if (!base) return setNotice('请先选择一个网格');
    const request = mode.write({ base, state, dirty, adjustNeighbours, fetchGrid: (c) => queryClient.fetchQuery(editGridQuery(c)) });
    if ('notice' in request) return setNotice(request.notice);
    await perform(dryRun ? '正在校验…' : '正在保存…', request, dryRun);
  };

  /** 回退 of the open grid, or of the selected sub grid (a micro grid's siblings adjusted when 自动调整相邻网格 is on). */
  const revert = (toVersion: number, adjustNeighbours = true) => {
    if (!base) return;
    const sub = state.subGrid;
    if (sub) {
      const adjustSiblings = sub.level === 'micro' && adjustNeighbours;
      void perform('正在回退…', { edited: [sub.code], run: () => revertSubGridTo(sub.code, { toVersion, version: sub.version }, { dryRun: false, adjustSiblings }) }, false);
      return;
    }
    void perform('正在回退…', { edited: [base.code], run: () => revertGridTo(base.code, { toVersion, version: base.version }) }, false);
  };

  const renumber = (plan: RenumberPlanEntry[]) => {
    if (!base) return Promise.resolve(false);
    const expected = plan.map(({ oldCode, newCode }) => ({ oldCode, newCode }));
    const mine = plan.find((p) => p.oldCode === base.code)?.newCode ?? base.code;
    return perform(
      '正在重新编号…',
      { edited: [], run: () => applyRenumber(base.communityCode, expected), next: () => mine },
      false,
      (r) => `已重新编号：${base.communityName} ${plan.filter((p) => p.changed).length} 个网格编码已变更（${r.changes.length} 个网格写入新版本）`,
    ).then((r) => r !== null);
  };

  /** 均衡: check (dryRun, with the impact) or save the chosen building moves through the community transaction. */
  const rebalance = (community: string, body: { moves: RebalanceMoveInput[]; versions: { code: string; version: number }[] }, dryRun: boolean, label = '均衡') => {
    const grids = (r: EditResult) => [...new Set(r.changes.map((c) => c.code))];
    return perform(dryRun ? `正在校验${label}…` : `正在保存${label}…`, { edited: [], run: (d) => applyRebalanceMoves(community, body, d) }, dryRun, (r) =>
      r.dryRun ? `${label}校验通过（未保存）：移动 ${body.moves.length} 栋楼，将调整网格 ${grids(r).join('、') || '无'}` : `${label}已保存：移动 ${body.moves.length} 栋楼，网格 ${grids(r).join('、') || '无'} 写入新版本`,
    );
  };

  /** Undo a saved 均衡 as a whole: dryRun shows its impact; a 409 (edited since) is the outcome's conflict. */
  const undoRebalance = (community: string, batch: number, dryRun: boolean) => {
    const grids = (r: EditResult) => [...new Set(r.changes.map((c) => c.code))];
    return perform(dryRun ? '正在校验撤销…' : '正在撤销均衡…', { edited: [], run: (d) => undoRebalanceBatch(community, batch, d) }, dryRun, (r) =>
      r.dryRun ? `撤销均衡 #${batch} 校验通过（未保存）：将恢复网格 ${grids(r).join('、') || '无'}` : `已撤销均衡 #${batch}：网格 ${grids(r).join('、') || '无'} 恢复为均衡前的边界`,
    );
  };

  const reloadAfterConflict = async () => {
    setOutcome(null);
    setOverlay(null);
    if (state.subGrid) {
      // Its history has the other person's version too.
      await queryClient.invalidateQueries({ queryKey: editorKeys.history(state.subGrid.code, 'sub') });
      await reloadSubGrid(state.subGrid.code);
      if (mapRef.current) refreshGridTiles(mapRef.current);
      return;
    }
    if (code) await queryClient.invalidateQueries({ queryKey: editGridQuery(code).queryKey });
    // Identical data keeps its identity, so reset the draft explicitly too.
    const fresh = code ? queryClient.getQueryData(editGridQuery(code).queryKey) : undefined;
    if (fresh) dispatch({ type: 'load', grid: toBase(fresh) });
    if (mapRef.current) refreshGridTiles(mapRef.current);
  };

  /** Esc in the vertex mode with nothing to undo also clears the last outcome and overlay. */
  const dismiss = () => {
    if (state.mode === 'edit' && !dirty && (outcome || overlay)) {
      setOutcome(null);
      setOverlay(null);
    }
    setNotice(null);
  };

  return { code, grid, dirty, selectGrid, pickGrid, pickSubGrid, afterWrite, busy, outcome, overlay, setOverlay, notice, setNotice, write, revert, renumber, rebalance, undoRebalance, reloadAfterConflict, dismiss };
}

export type EditorSession = ReturnType<typeof useEditorSession>;
