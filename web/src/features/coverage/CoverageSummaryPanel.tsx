/**
 * 15-minute circle coverage for a region: the share of households inside any
 * circle, the rows below the target, and the communities short of the
 * 30 m² per 100 households norm. Self-contained: give it a region (or none for
 * the whole city) and, optionally, a handler for clicking a row.
 */
import { useState } from 'react';
import { errorMessage } from '../../api/queries';
import { useCommunityNorms, useCoverageSummary, type SummaryParams } from './coverageQueries';

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const count = (n: number) => Math.round(n).toLocaleString('zh-CN');

export interface CoverageSummaryPanelProps {
  region?: string;
  /** Target share in percent. */
  target?: number;
  onSelectRegion?: (code: string) => void;
}

export function CoverageSummaryPanel({ region, target = 80, onSelectRegion }: CoverageSummaryPanelProps) {
  const [level, setLevel] = useState<SummaryParams['level']>('community');
  const summary = useCoverageSummary({ level, region, target });
  const norms = useCommunityNorms(region);
  const below = summary.data?.rows.filter((r) => r.belowTarget) ?? [];

  return (
    <section className="coverage-summary" aria-label="15分钟党群服务圈覆盖" data-testid="coverage-summary">
      <header>
        <h2>15分钟党群服务圈覆盖</h2>
        <label>
          统计层级
          <select value={level} onChange={(e) => setLevel(e.target.value as SummaryParams['level'])}>
            <option value="street">街道</option>
            <option value="community">社区</option>
            <option value="grid">网格</option>
          </select>
        </label>
      </header>
      {summary.isError ? <p role="alert">加载失败：{errorMessage(summary.error)}</p> : null}
      {summary.isPending ? <p>正在计算服务圈覆盖…（首次计算需要数秒）</p> : null}
      {summary.data ? (
        <>
          <p className="coverage-total">
            <strong>{summary.data.total.name}</strong> 覆盖户数 {count(summary.data.total.coveredHouseholds)} / {count(summary.data.total.households)}（<strong>{percent(summary.data.total.householdShare)}</strong>
            ），覆盖人口 {percent(summary.data.total.populationShare)}
          </p>
          <p className="coverage-note">
            步行 {summary.data.minutes} 分钟、每分钟 {summary.data.speedMPerMin.toFixed(1)} 米；按网格被覆盖面积比例折算户数。
          </p>
          <h3>
            低于目标 {target}% 的{level === 'street' ? '街道' : level === 'community' ? '社区' : '网格'}（{below.length}）
          </h3>
          <ol className="coverage-below">
            {below
              .slice()
              .sort((a, b) => a.householdShare - b.householdShare)
              .map((r) => (
                <li key={r.code}>
                  <button type="button" onClick={() => onSelectRegion?.(r.code)} disabled={!onSelectRegion}>
                    {r.name}
                  </button>{' '}
                  {percent(r.householdShare)} · 未覆盖 {count(r.households - r.coveredHouseholds)} 户
                </li>
              ))}
          </ol>
        </>
      ) : null}
      <h3>阵地面积达标（每百户 30 平方米）</h3>
      {norms.isError ? <p role="alert">加载失败：{errorMessage(norms.error)}</p> : null}
      {norms.data ? (
        norms.data.communities.length === 0 ? (
          <p>全部社区达标</p>
        ) : (
          <>
            <p>
              {norms.data.shortCount} 个社区未达标，合计缺口 {count(norms.data.totalShortfallM2)} 平方米
            </p>
            <ol className="coverage-norm">
              {norms.data.communities.map((n) => (
                <li key={n.code}>
                  {n.name}：现有 {count(n.providedM2)} / 应有 {count(n.requiredM2)} 平方米，缺 {count(n.shortfallM2)} 平方米
                </li>
              ))}
            </ol>
          </>
        )
      ) : null}
    </section>
  );
}
