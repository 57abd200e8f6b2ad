/**
 * Why: 均衡 — a community's grids drift out of the household band as estates fill up; the
 * server suggests whole buildings to move between neighbouring grids (server/buildings/
 * rebalance.ts). The planner sees the suggestion as a preview (the moving buildings on the map
 * in their target grid's colour, the new outlines, each grid's totals and band status before
 * and after), unticks moves they do not want, checks the rest with the server's dry run (its
 * impact list appears above) and saves through the normal validated, community-locked write.
 * Each save is a batch the server keeps; 已保存的均衡 lists them (50 a page, 加载更早的均衡 for older), and 撤销 takes one back as a
 * whole: first the server's dry run (the impact list above), then 确认撤销 — through the same
 * validated write, refused (409, shown above) when its grids or buildings were edited since.
 */
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { BAND_STATUS_LABELS } from '../../../../kernel/householdBand';
import { errorMessage } from '../../api/queries';
import { BandEditor } from './BandEditor';
import type { EditResult } from './editOutcome';
import { rebalanceBatchesQuery, rebalanceSuggestion, type RebalanceBatch, type RebalanceMoveInput, type RebalanceSuggestion } from './editorQueries';
import { formatTime } from './format';
import { outOfBand, plannedTotals, previewFeatures, targetColours } from './rebalancePlan';

type Body = { moves: RebalanceMoveInput[]; versions: { code: string; version: number }[] };

export interface RebalancePanelProps {
  communityCode: string;
  communityName: string;
  busy: boolean;
  /** The map preview (null: none). */
  onPreview: (features: GeoJSON.FeatureCollection | null) => void;
  onApply: (community: string, body: Body, dryRun: boolean, label?: string) => Promise<EditResult | null>;
  /** Undo a saved 均衡 as a whole (dryRun: its impact in the outcome, nothing written). */
  onUndo: (community: string, batch: number, dryRun: boolean) => Promise<EditResult | null>;
  /** Frames a new suggestion on the map. */
  onFocus: (geometry: GeoJSON.Geometry) => void;
}

const selectionKey = (chosen: ReadonlySet<string>) => [...chosen].sort().join(',');

/** The newest version of each grid a write touched. */
function versionsAfter(result: EditResult): { code: string; version: number }[] {
  const newest = new Map<string, number>();
  for (const c of result.changes) newest.set(c.code, Math.max(newest.get(c.code) ?? 0, c.version));
  return [...newest].map(([code, version]) => ({ code, version }));
}

export function RebalancePanel({ communityCode, communityName, busy, onPreview, onApply, onUndo, onFocus }: RebalancePanelProps) {
  const queryClient = useQueryClient();
  const [suggestion, setSuggestion] = useState<RebalanceSuggestion | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [checked, setChecked] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const suggest = async () => {
    setLoading(true);
    setError(null);
    setChecked(null);
    try {
      const s = await rebalanceSuggestion(communityCode);
      setSuggestion(s);
      setChosen(new Set(s.moves.map((m) => m.building)));
      const points = s.moves.flatMap((m) => (m.position ? [{ type: 'Point' as const, coordinates: m.position }] : []));
      if (points.length > 0) onFocus({ type: 'GeometryCollection', geometries: [...points, ...s.geometries.map((g) => g.geometry)] });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };

  const clear = () => {
    setSuggestion(null);
    setChecked(null);
  };

  const planned = useMemo(() => (suggestion ? plannedTotals(suggestion.grids, suggestion.moves, chosen, suggestion.band) : []), [suggestion, chosen]);
  const colours = useMemo(() => targetColours(suggestion?.moves ?? []), [suggestion]);
  const names = useMemo(() => new Map((suggestion?.grids ?? []).map((g) => [g.code, g.name])), [suggestion]);

  // The preview on the map follows the ticks; it goes when the panel does.
  useEffect(() => {
    onPreview(suggestion && suggestion.moves.length > 0 ? previewFeatures(suggestion.moves, chosen, suggestion.geometries) : null);
  }, [suggestion, chosen, onPreview]);
  useEffect(() => () => onPreview(null), [onPreview]);

  const toggle = (building: string) => {
    const next = new Set(chosen);
    if (next.has(building)) next.delete(building);
    else next.add(building);
    setChosen(next);
    setChecked(null);
  };

  const body = (): Body => ({
    moves: (suggestion?.moves ?? []).filter((m) => chosen.has(m.building)).map((m) => ({ building: m.building, to: m.to })),
    versions: (suggestion?.grids ?? []).map((g) => ({ code: g.code, version: g.version })),
  });

  const check = async () => {
    if (await onApply(communityCode, body(), true)) setChecked(selectionKey(chosen));
  };

  const save = async () => {
    if (!suggestion) return;
    const moves = suggestion.moves.filter((m) => chosen.has(m.building));
    const result = await onApply(communityCode, body(), false);
    if (!result) return;
    setSaved(
      `${moves.length} 栋楼（${moves.map((m) => m.building).join('、')}），网格 ${versionsAfter(result)
        .map((v) => `${v.code} 版本 ${v.version}`)
        .join('、')}`,
    );
    clear();
    void queryClient.invalidateQueries({ queryKey: ['editor', 'buildingSums'] });
  };

  const chosenCount = suggestion?.moves.filter((m) => chosen.has(m.building)).length ?? 0;
  const isChecked = checked !== null && checked === selectionKey(chosen);

  return (
    <div className="editor-rebalance" data-testid="editor-rebalance">
      <BandEditor
        communityCode={communityCode}
        communityName={communityName}
        onChanged={() => {
          clear();
          void queryClient.invalidateQueries({ queryKey: ['editor', 'buildingSums'] });
        }}
      />

      <p className="muted editor-hint">均衡：按楼栋整栋移入相邻网格，使 {communityName} 的网格户数回到目标区间。先预览，可取消勾选个别移动，校验后保存。</p>
      <button type="button" className="text-button" onClick={() => void suggest()} disabled={loading || busy} data-testid="rebalance-suggest">
        {loading ? '正在计算…' : suggestion ? '重新生成均衡建议' : '生成均衡建议'}
      </button>
      {error && <p className="error-message">{error}</p>}

      <SavedBatches
        communityCode={communityCode}
        busy={busy}
        onUndo={onUndo}
        onUndone={() => {
          clear();
          setSaved(null);
          void queryClient.invalidateQueries({ queryKey: ['editor', 'buildingSums'] });
        }}
      />

      {saved && !suggestion && (
        <p className="muted" data-testid="rebalance-saved">
          已保存均衡：{saved}。
        </p>
      )}

      {suggestion && (
        <>
          <p data-testid="rebalance-summary">
            目标区间 {suggestion.band.min}–{suggestion.band.max} 户{suggestion.band.configured ? '' : '（默认）'}：现有 {outOfBand(suggestion.grids.map((g) => ({ status: g.statusBefore })))} 个网格在区间外，按所选移动后{' '}
            {outOfBand(planned)} 个。
          </p>
          {suggestion.moves.length === 0 ? (
            <p className="muted" data-testid="rebalance-none">
              {outOfBand(planned) === 0 ? '所有网格都在目标区间内，无需均衡。' : '没有可整栋移入相邻网格的楼栋能使网格更接近区间（没有楼栋的网格不参与）。'}
            </p>
          ) : (
            <>
              <div className="editor-table-scroll">
                <table data-testid="rebalance-moves">
                  <caption className="muted">
                    建议移动 {suggestion.moves.length} 栋，已选 {chosenCount} 栋（地图上按目标网格着色，灰色为未选）
                  </caption>
                  <thead>
                    <tr>
                      <th>选用</th>
                      <th>楼栋</th>
                      <th>户数</th>
                      <th>原网格 → 目标网格</th>
                    </tr>
                  </thead>
                  <tbody>
                    {suggestion.moves.map((m) => (
                      <tr key={m.building} data-testid="rebalance-move" data-building={m.building} className={chosen.has(m.building) ? undefined : 'unchosen'}>
                        <td>
                          <input type="checkbox" checked={chosen.has(m.building)} onChange={() => toggle(m.building)} aria-label={`选用楼栋 ${m.building} 的移动`} />
                        </td>
                        <td>
                          <span className="rebalance-swatch" style={{ background: chosen.has(m.building) ? colours.get(m.to) : '#8a94a6' }} aria-hidden="true" />
                          {m.building}
                        </td>
                        <td>{m.households}</td>
                        <td title={`${m.from} → ${m.to}`}>
                          {names.get(m.from) ?? m.from} → {names.get(m.to) ?? m.to}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {chosenCount !== suggestion.moves.length && <p className="muted">取消了部分移动：地图上不再画出新边界，保存时由服务器按所选楼栋重新计算并校验。</p>}
            </>
          )}

          <div className="editor-table-scroll">
            <table className="impact-grids" data-testid="rebalance-grids">
              <thead>
                <tr>
                  <th>网格</th>
                  <th>现有户数</th>
                  <th>均衡后</th>
                  <th>区间（前 → 后）</th>
                </tr>
              </thead>
              <tbody>
                {planned.map((g) => (
                  <tr key={g.code} className={`band-${g.status}${g.changed ? ' changed' : ''}`} data-testid="rebalance-grid" data-code={g.code} data-after={g.after} data-status={g.status}>
                    <td title={g.code}>{g.name}</td>
                    <td className={`band-${g.statusBefore}`}>{g.before}</td>
                    <td>{g.after}</td>
                    <td>
                      {BAND_STATUS_LABELS[g.statusBefore]} → {BAND_STATUS_LABELS[g.status]}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          {suggestion.moves.length > 0 && (
            <div className="editor-band-actions">
              <button type="button" className="text-button" disabled={busy || chosenCount === 0} onClick={() => void check()} data-testid="rebalance-check">
                接受所选并校验
              </button>
              <button type="button" className="text-button editor-primary" disabled={busy || chosenCount === 0 || !isChecked} onClick={() => void save()} data-testid="rebalance-save">
                保存均衡
              </button>
              <button type="button" className="text-button" disabled={busy} onClick={clear}>
                放弃
              </button>
            </div>
          )}
          {suggestion.moves.length > 0 && !isChecked && chosenCount > 0 && <p className="muted">先“接受所选并校验”：上方列出移动的楼栋、户数、人口、在办事件、服务圈覆盖和网格员负荷，再保存。</p>}
        </>
      )}
    </div>
  );
}

/** 已保存的均衡: newest first, each with 撤销 → the dry run's impact (above) → 确认撤销. */
function SavedBatches({ communityCode, busy, onUndo, onUndone }: { communityCode: string; busy: boolean; onUndo: RebalancePanelProps['onUndo']; onUndone: () => void }) {
  const batches = useInfiniteQuery(rebalanceBatchesQuery(communityCode));
  // The batch whose dry run passed and waits for 确认撤销.
  const [pending, setPending] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = batches.data?.pages.flatMap((p) => p.batches) ?? [];
  if (batches.error) return <p className="error-message">{errorMessage(batches.error)}</p>;
  if (list.length === 0) return null;

  const check = async (b: RebalanceBatch) => {
    setDone(null);
    setPending((await onUndo(communityCode, b.id, true)) ? b.id : null);
  };
  const confirm = async (b: RebalanceBatch) => {
    const r = await onUndo(communityCode, b.id, false);
    setPending(null);
    if (r) {
      setDone(`已撤销均衡 #${b.id}：${b.moves.length} 栋楼回到原网格`);
      onUndone();
    }
  };

  return (
    <div className="editor-table-scroll">
      <table data-testid="rebalance-batches">
        <caption className="muted">已保存的均衡（最新在前）：撤销会先校验并列出影响，确认后整体恢复均衡前的网格边界和楼栋归属</caption>
        <thead>
          <tr>
            <th>时间</th>
            <th>操作人</th>
            <th>移动</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((b) => (
            <tr key={b.id} data-testid="rebalance-batch" data-batch={b.id} data-undone={b.undoneAt ? 'true' : 'false'}>
              <td title={`#${b.id}`}>{formatTime(b.at)}</td>
              <td>{b.actor}</td>
              <td title={b.moves.map((m) => `${m.building}：${m.from} → ${m.to}`).join('\n')}>
                {b.moves.length} 栋 {b.households} 户，网格 {b.grids.length} 个
              </td>
              <td>
                {b.undoneAt ? (
                  <span className="muted">
                    已由 {b.undoneBy ?? '他人'} 于 {formatTime(b.undoneAt)} 撤销
                  </span>
                ) : pending === b.id ? (
                  <>
                    <button type="button" className="text-button editor-primary" disabled={busy} onClick={() => void confirm(b)} data-testid="rebalance-undo-confirm">
                      确认撤销
                    </button>
                    <button type="button" className="text-button" disabled={busy} onClick={() => setPending(null)}>
                      取消
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" className="text-button" disabled={busy} onClick={() => void check(b)} data-testid="rebalance-undo">
                      撤销
                    </button>
                    {!b.undoable && <span className="muted">（其后网格已修改）</span>}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {batches.hasNextPage && (
        <button type="button" className="text-button" disabled={batches.isFetchingNextPage} onClick={() => void batches.fetchNextPage()} data-testid="rebalance-batches-more">
          {batches.isFetchingNextPage ? '正在加载…' : '加载更早的均衡'}
        </button>
      )}
      {pending !== null && <p className="muted">上方列出撤销将移回的楼栋、户数和网格：确认后整体恢复。</p>}
      {done && (
        <p className="muted" data-testid="rebalance-undone">
          {done}。
        </p>
      )}
    </div>
  );
}
