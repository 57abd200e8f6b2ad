/**
 * A grid's versions (who, when, what, area before → after). Each version can be
 * shown on the map (before vs after), two can be compared overlaid, and the grid
 * can be reverted to one (a new version, checked by the same rules as any save).
 * The same panel serves a base grid (`level` grid) and a 微网格/专属网格 (`level` sub).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../api/queries';
import { actionName } from './editOutcome';
import { historyQuery, versionQuery, type HistoryLevel } from './editorQueries';
import type { OverlayRole } from './editorLayers';
import { formatArea, formatAreaChange, formatTime } from './format';

export interface Overlay {
  title: string;
  legend: { role: OverlayRole; label: string }[];
  features: GeoJSON.FeatureCollection;
}

const feature = (geometry: GeoJSON.Geometry | null, role: OverlayRole): GeoJSON.Feature[] => (geometry ? [{ type: 'Feature', geometry, properties: { role } }] : []);

export interface HistoryPanelProps {
  code: string;
  /** Whose versions: a base grid's (default) or a sub grid's. */
  level?: HistoryLevel;
  currentVersion: number;
  busy: boolean;
  onShow: (overlay: Overlay | null) => void;
  onRevert: (toVersion: number) => void;
}

export function HistoryPanel({ code, level = 'grid', currentVersion, busy, onShow, onRevert }: HistoryPanelProps) {
  const history = useQuery(historyQuery(code, level));
  const queryClient = useQueryClient();
  const [compare, setCompare] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);

  const show = async (version: number) => {
    setError(null);
    try {
      const v = await queryClient.fetchQuery(versionQuery(code, version, level));
      onShow({
        title: `版本 ${version}（${actionName(v.action)}，${v.actor}）`,
        legend: [
          { role: 'before', label: '修改前' },
          { role: 'after', label: '修改后' },
        ],
        features: { type: 'FeatureCollection', features: [...feature(v.before, 'before'), ...feature(v.after, 'after')] },
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const toggleCompare = async (version: number) => {
    const next = compare.includes(version) ? compare.filter((v) => v !== version) : [...compare, version].slice(-2);
    setCompare(next);
    if (next.length < 2) return;
    const [a, b] = [...next].sort((x, y) => x - y) as [number, number];
    setError(null);
    try {
      const [va, vb] = await Promise.all([queryClient.fetchQuery(versionQuery(code, a, level)), queryClient.fetchQuery(versionQuery(code, b, level))]);
      onShow({
        title: `对比版本 ${a} 与版本 ${b}`,
        legend: [
          { role: 'a', label: `版本 ${a}` },
          { role: 'b', label: `版本 ${b}` },
        ],
        features: { type: 'FeatureCollection', features: [...feature(va.after ?? va.before, 'a'), ...feature(vb.after ?? vb.before, 'b')] },
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (history.isPending) return <p className="muted">正在加载历史版本…</p>;
  if (history.isError) return <p className="error-message">{errorMessage(history.error)}</p>;
  return (
    <div className="editor-history" data-testid="editor-history">
      <p className="muted editor-hint">勾选两个版本叠加对比；“查看”显示该版本修改前后的形状。</p>
      {error && <p className="error-message">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>对比</th>
            <th>版本</th>
            <th>修改人 / 时间</th>
            <th>面积（前 → 后）</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {history.data.map((v) => (
            <tr key={v.version} className={v.version === currentVersion ? 'current' : undefined}>
              <td>
                <input type="checkbox" aria-label={`对比版本 ${v.version}`} checked={compare.includes(v.version)} onChange={() => void toggleCompare(v.version)} disabled={!v.areaAfterM2} />
              </td>
              <td title={v.note ?? undefined}>
                {v.version}
                {v.version === currentVersion && <span className="editor-tag">当前</span>}
                <br />
                {actionName(v.action)}
              </td>
              <td>
                {v.actor}
                <br />
                <span className="muted">{formatTime(v.at)}</span>
              </td>
              <td>
                {formatArea(v.areaBeforeM2)} → {formatArea(v.areaAfterM2)}
                <br />
                <span className="muted">{formatAreaChange(v.areaBeforeM2, v.areaAfterM2)}</span>
              </td>
              <td className="editor-history-actions">
                <button type="button" className="text-button" onClick={() => void show(v.version)}>
                  查看
                </button>
                {v.version !== currentVersion && v.areaAfterM2 != null && (
                  <button type="button" className="text-button" disabled={busy} onClick={() => onRevert(v.version)}>
                    回退到此版本
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
