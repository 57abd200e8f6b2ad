/**
 * 双报到 · 三清单 · 星级 (issue 16 points 4 and 7) for one region: the figures (units,
 * members reported, 报到率 with its definition, services done) for the region and its
 * children, the reporting units (contacts as the server masks them), a community's
 * 三清单, and the year's 五好 ratings with their stage. Its 双报到 figures (units, members
 * reported, 报到率 — of the region and of each child) open the figure drill-down panel
 * (server/figures/registry.ts screen.dualReport.*; 服务完成 lists both of its tables, entity `services`).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { LIST_ITEM_STATUS_LABELS, type ListItemStatus, PROJECT_STATUS_LABELS } from '../../../../kernel/partyService';
import { FIVE_GOOD, RATING_STATUS_LABELS, totalScore } from '../../../../kernel/starRating';
import { api, call } from '../../api/client';
import { useSession } from '../auth/session';
import { FigureButton } from '../figures/FigureButton';
import { useFigurePanel } from '../figures/useFigurePanel';
import './dualReport.css';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function DualReportPage() {
  const user = useSession();
  const [region, setRegion] = useState(user.jurisdictionCode ?? '450902005');
  const [draft, setDraft] = useState(region);
  const [year, setYear] = useState(2026);
  const figures = useQuery({ queryKey: ['dual-report', 'figures', region], queryFn: () => call(api.api['dual-report'].figures.$get({ query: { region } })) });
  const units = useQuery({ queryKey: ['dual-report', 'units', region], queryFn: () => call(api.api['dual-report'].units.$get({ query: { region } })) });
  const lists = useQuery({ queryKey: ['service-lists', region], queryFn: () => call(api.api['service-lists'][':community'].$get({ param: { community: region } })), enabled: region.length === 12 });
  const stars = useQuery({ queryKey: ['stars', region, year], queryFn: () => call(api.api.stars.$get({ query: { region, year: String(year) } })) });
  const data = figures.data;
  const f = data?.figures;
  const { opener, panel } = useFigurePanel(data ? data.region.code : null);
  return (
    <main className="dr-page">
      <header className="dr-head">
        <h1>双报到 · 三清单 · 星级评定{figures.data ? ` — ${figures.data.region.name}` : ''}</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (/^(\d{6}|\d{9}|\d{12})$/.test(draft)) setRegion(draft);
          }}
        >
          <label>
            区域编码 <input value={draft} onChange={(e) => setDraft(e.target.value.trim())} maxLength={12} aria-label="区域编码" />
          </label>
          <button type="submit">查看</button>
        </form>
      </header>
      {figures.error && <p className="dr-error">{(figures.error as Error).message}</p>}
      {data && f && (
        <section aria-label="双报到">
          <div className="dr-kpis" data-testid="dr-figures">
            <FigureButton figure="screen.dualReport.units" label="报到单位" opener={opener}>
              报到单位 {f.units} 个
            </FigureButton>
            <FigureButton figure="screen.dualReport.membersReported" label="报到党员" opener={opener}>
              报到党员 {f.membersReported} 名
            </FigureButton>
            <FigureButton figure="screen.dualReport.reportRate" label="报到率" opener={opener}>
              报到率 {pct(f.reportRate)}（{f.unitMembersReported}/{f.unitMembers}）
            </FigureButton>
            <FigureButton figure="screen.dualReport.servicesDone" label="服务完成" opener={opener}>
              服务完成 {f.servicesDone} 项
            </FigureButton>
          </div>
          <p className="dr-note">
            {data.definitions.reportRate}；{figures.data.definitions.servicesDone}
          </p>
          {data.children.length > 0 && (
            <table className="dr-table">
              <thead>
                <tr>
                  <th>下级区域</th>
                  <th>报到单位</th>
                  <th>报到党员</th>
                  <th>报到率</th>
                  <th>服务完成</th>
                </tr>
              </thead>
              <tbody>
                {data.children.map((c) => (
                  <tr key={c.code}>
                    <td>
                      <button
                        type="button"
                        className="dr-link"
                        onClick={() => {
                          setDraft(c.code);
                          setRegion(c.code);
                        }}
                      >
                        {c.name}
                      </button>
                    </td>
                    <td>
                      <FigureButton figure="screen.dualReport.units" label={`${c.name} 报到单位`} drill={{ region: c.code }} opener={opener}>
                        {c.units}
                      </FigureButton>
                    </td>
                    <td>
                      <FigureButton figure="screen.dualReport.membersReported" label={`${c.name} 报到党员`} drill={{ region: c.code }} opener={opener}>
                        {c.membersReported}
                      </FigureButton>
                    </td>
                    <td>
                      <FigureButton figure="screen.dualReport.reportRate" label={`${c.name} 报到率`} drill={{ region: c.code }} opener={opener}>
                        {pct(c.reportRate)}
                      </FigureButton>
                    </td>
                    <td>
                      <FigureButton figure="screen.dualReport.servicesDone" label={`${c.name} 服务完成`} drill={{ region: c.code }} opener={opener}>
                        {c.servicesDone}
                      </FigureButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {units.data && (
        <details className="dr-section">
          <summary>报到单位（{units.data.units.length}）</summary>
          <table className="dr-table">
            <thead>
              <tr>
                <th>单位</th>
                <th>类型</th>
                <th>社区</th>
                <th>联系人</th>
                <th>电话</th>
                <th>党员（已报到/应报到）</th>
                <th>报到日期</th>
              </tr>
            </thead>
            <tbody>
              {units.data.units.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.kind}</td>
                  <td>{u.communityName}</td>
                  <td>{u.personalDataWithheld ? '无权查看' : (u.contactName ?? '—')}</td>
                  <td>{u.personalDataWithheld ? '无权查看' : (u.contactPhone ?? '—')}</td>
                  <td>
                    {u.reportedMembers}/{u.memberCount}
                  </td>
                  <td>{u.reportedOn}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {lists.data && (
        <section className="dr-section dr-lists" aria-label="三清单">
          <div>
            <h2>需求清单</h2>
            <ul>
              {lists.data.needs.map((n) => (
                <li key={n.id}>
                  {n.title}（{n.category}，{LIST_ITEM_STATUS_LABELS[n.status as ListItemStatus]}）
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h2>资源清单</h2>
            <ul>
              {lists.data.resources.map((r) => (
                <li key={r.id}>
                  {r.title}（{r.category}）
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h2>共建项目清单</h2>
            <ul>
              {lists.data.projects.map((p) => (
                <li key={p.id}>
                  {p.title} — {PROJECT_STATUS_LABELS[p.status]}
                  {p.unitName ? `（${p.unitName}）` : ''}
                </li>
              ))}
            </ul>
          </div>
        </section>
      )}
      <section className="dr-section" aria-label="星级评定">
        <h2>
          五好星级评定{' '}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))} aria-label="年度">
            {[2026, 2025, 2024].map((y) => (
              <option key={y} value={y}>
                {y} 年
              </option>
            ))}
          </select>
        </h2>
        <table className="dr-table">
          <thead>
            <tr>
              <th>组织</th>
              {FIVE_GOOD.map((i) => (
                <th key={i.key}>{i.label}</th>
              ))}
              <th>总分</th>
              <th>星级</th>
              <th>阶段</th>
            </tr>
          </thead>
          <tbody>
            {stars.data?.ratings.map((r) => {
              const scores = r.reviewScores ?? r.selfScores;
              return (
                <tr key={r.id}>
                  <td>{r.orgName}</td>
                  {FIVE_GOOD.map((i) => (
                    <td key={i.key}>{scores[i.key]}</td>
                  ))}
                  <td>{totalScore(scores)}</td>
                  <td>{r.stars ? '★'.repeat(r.stars) : '—'}</td>
                  <td>
                    {RATING_STATUS_LABELS[r.status]}
                    {r.status === 'public' && r.publicUntil ? `（至 ${r.publicUntil.slice(0, 10)}，异议 ${r.objections.length}）` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {panel}
    </main>
  );
}
