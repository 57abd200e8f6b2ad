/**
 * Why: before saving, the planner sees whose households a boundary move shifts — the dry
 * run's impact (server/buildings/impact.ts): moved buildings, households, population, open
 * incidents, households inside 15-minute circles, each grid's new totals against the
 * community's household band (out-of-band grids highlighted), and grid workers' open load.
 */
import { BAND_STATUS_LABELS } from '../../../../kernel/householdBand';
import type { EditResult } from './editOutcome';

export type EditImpact = NonNullable<EditResult['impact']>;

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function ImpactPanel({ impact }: { impact: EditImpact }) {
  const m = impact.moved;
  return (
    <div className="editor-impact" data-testid="editor-impact">
      <h4>
        影响预览（户数目标区间 {impact.band.min}–{impact.band.max} 户{impact.band.configured ? '' : '，默认'}）
      </h4>
      <p data-testid="impact-moved">
        移动楼栋 {m.buildings} 栋，{m.households} 户，{m.population} 人；在办事件 {m.openIncidents} 件；15分钟服务圈内 {m.coveredHouseholds} 户
      </p>
      {impact.buildings.length > 0 && (
        <ul className="impact-buildings">
          {impact.buildings.slice(0, 50).map((b) => (
            <li key={b.code}>
              {b.name ?? b.code}：{b.households} 户，{b.from ?? '无网格'} → {b.to ?? '无网格'}
              {b.covered ? '（服务圈内）' : ''}
            </li>
          ))}
          {impact.buildings.length > 50 && <li className="muted">……共 {impact.buildings.length} 栋</li>}
        </ul>
      )}
      <table className="impact-grids">
        <thead>
          <tr>
            <th>网格</th>
            <th>户数</th>
            <th>人口</th>
            <th>在办事件</th>
            <th>区间</th>
          </tr>
        </thead>
        <tbody>
          {impact.grids.map((g) => (
            <tr key={g.code} className={`band-${g.status}`} data-testid="impact-grid" data-status={g.status}>
              <td title={g.code}>{g.name}</td>
              <td>
                {g.after.households}（{signed(g.after.households - g.before.households)}）
              </td>
              <td>{g.after.population}</td>
              <td>{g.after.openIncidents}</td>
              <td>{BAND_STATUS_LABELS[g.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {impact.workers.length > 0 && <p className="muted">网格员在办负荷：{impact.workers.map((w) => `${w.displayName} ${w.before}→${w.after}`).join('，')}</p>}
    </div>
  );
}
