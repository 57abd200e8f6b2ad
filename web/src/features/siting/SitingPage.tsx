/**
 * 选址分析: drop candidate facilities (any kind) on the map and see, within
 * seconds, their walking circles and the households/population newly covered per
 * community and street — nothing is saved. Candidates are kept as named
 * scenarios (per user), compared side by side and exported; suggested sites
 * (greedy maximal coverage, the gain per site in order) and the priority list of
 * communities (with the reason, CSV) sit beside.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FACILITY_KIND_INFO, FACILITY_KINDS, type FacilityKind } from '../../../../kernel/facilityKinds';
import { errorMessage, useConfig } from '../../api/queries';
import { Header } from '../header/Header';
import { SitingMap } from './SitingMap';
import {
  CANDIDATE_SOURCE_LABELS,
  type CandidateSource,
  fetchCompare,
  fetchFacilities,
  fetchPriority,
  fetchScenarios,
  fetchSuggest,
  fetchWhatIf,
  saveScenario,
  type CompareAnswer,
  type DraftCandidate,
  type SuggestAnswer,
} from './sitingApi';
import './siting.css';

const int = (n: number) => Math.round(n).toLocaleString('zh-CN');
const pct = (s: number) => `${(s * 100).toFixed(1)}%`;
const signed = (n: number) => `${n >= 0 ? '+' : ''}${int(n)}`;

export function SitingPage() {
  const config = useConfig();
  const client = useQueryClient();
  const [kind, setKind] = useState<FacilityKind>('red_station');
  const [candidates, setCandidates] = useState<DraftCandidate[]>([]);
  const [scenarioName, setScenarioName] = useState('');
  const [count, setCount] = useState(5);
  const [source, setSource] = useState<CandidateSource>('nodes');
  const [hexM, setHexM] = useState(300);
  const [suggestion, setSuggestion] = useState<SuggestAnswer | null>(null);
  const [compare, setCompare] = useState<CompareAnswer | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const facilities = useQuery({ queryKey: ['siting', 'facilities'], queryFn: fetchFacilities });
  const whatIf = useQuery({ queryKey: ['siting', 'what-if', candidates], queryFn: () => fetchWhatIf(candidates), enabled: candidates.length > 0 });
  const priority = useQuery({ queryKey: ['siting', 'priority'], queryFn: fetchPriority });
  const scenarios = useQuery({ queryKey: ['siting', 'scenarios'], queryFn: fetchScenarios });
  const save = useMutation({ mutationFn: () => saveScenario(scenarioName, candidates), onSuccess: () => client.invalidateQueries({ queryKey: ['siting', 'scenarios'] }) });
  const suggest = useMutation({ mutationFn: () => fetchSuggest(kind, count, source, hexM), onSuccess: setSuggestion });
  const comparing = useMutation({ mutationFn: () => fetchCompare(picked), onSuccess: setCompare });

  const drop = (position: [number, number]) => setCandidates((c) => [...c, { name: `候选${FACILITY_KIND_INFO[kind].short}${c.length + 1}`, kind, position }]);
  const result = candidates.length > 0 ? whatIf.data : undefined;

  return (
    <div className="app siting-app">
      <Header dataset={config.data?.dataset} streets={[]} current="/siting" subtitle="选址分析" />
      <main className="siting-page">
        <section className="siting-side" aria-label="候选点">
          <h2>候选点</h2>
          <label>
            类型
            <select value={kind} onChange={(e) => setKind(e.target.value as FacilityKind)} aria-label="候选点类型">
              {FACILITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {FACILITY_KIND_INFO[k].label}
                </option>
              ))}
            </select>
          </label>
          <p className="siting-hint">在地图上点击放置候选点（不会保存为阵地）；15 分钟步行圈（约 1000 米，GB 50180-2018）。</p>
          <ol className="siting-candidates">
            {candidates.map((c, i) => (
              <li key={`${c.name}@${c.position.join(',')}`}>
                {c.name}（{FACILITY_KIND_INFO[c.kind].label}）
                <button type="button" onClick={() => setCandidates((all) => all.filter((_, k) => k !== i))} aria-label={`删除${c.name}`}>
                  删除
                </button>
              </li>
            ))}
          </ol>
          {candidates.length > 0 && (
            <button type="button" onClick={() => setCandidates([])}>
              清空
            </button>
          )}
          {whatIf.isFetching && <p role="status">正在计算步行圈与覆盖变化…</p>}
          {whatIf.error && <p role="alert">{errorMessage(whatIf.error)}</p>}
          {result && (
            <div className="siting-delta" data-testid="siting-delta">
              <h3>覆盖变化</h3>
              <p>
                新增覆盖 <strong>{int(result.total.householdsGained)}</strong> 户、<strong>{int(result.total.populationGained)}</strong> 人（计算{' '}
                {result.elapsedMs.state + result.elapsedMs.circles + result.elapsedMs.delta} ms，叠加 {result.total.gridsOverlaid} 个网格）
              </p>
              <table>
                <thead>
                  <tr>
                    <th>街道/社区</th>
                    <th>新增户数</th>
                    <th>覆盖率</th>
                  </tr>
                </thead>
                <tbody>
                  {[...result.streets.map((s) => ({ ...s, street: true })), ...result.communities.map((c) => ({ ...c, street: false }))].map((a) => (
                    <tr key={a.code} className={a.street ? 'siting-street' : undefined}>
                      <td>{a.name}</td>
                      <td>{signed(a.householdsGained)}</td>
                      <td>
                        {pct(a.shareBefore)} → {pct(a.shareAfter)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  save.mutate();
                }}
              >
                <input value={scenarioName} onChange={(e) => setScenarioName(e.target.value)} placeholder="方案名称" aria-label="方案名称" required />
                <button type="submit" disabled={save.isPending}>
                  保存方案
                </button>
                {save.error && <span role="alert">{errorMessage(save.error)}</span>}
                {save.isSuccess && <span role="status">已保存</span>}
              </form>
            </div>
          )}
          <h2>已存方案</h2>
          <ul className="siting-scenarios">
            {scenarios.data?.scenarios.map((s) => (
              <li key={s.id}>
                <label>
                  <input type="checkbox" checked={picked.includes(s.id)} onChange={(e) => setPicked((p) => (e.target.checked ? [...p, s.id] : p.filter((x) => x !== s.id)))} />
                  {s.name}（{s.candidates.length} 个点）
                </label>
                <button type="button" onClick={() => setCandidates(s.candidates)}>
                  打开
                </button>
                <a href={`/api/siting/scenarios/${s.id}/export?format=csv`}>CSV</a> <a href={`/api/siting/scenarios/${s.id}/export?format=geojson`}>GeoJSON</a>
              </li>
            ))}
          </ul>
          {picked.length > 1 && (
            <button type="button" onClick={() => comparing.mutate()} disabled={comparing.isPending}>
              对比所选方案
            </button>
          )}
          {compare && (
            <table className="siting-compare">
              <thead>
                <tr>
                  <th>方案</th>
                  <th>新增户数</th>
                  <th>新增人口</th>
                </tr>
              </thead>
              <tbody>
                {compare.scenarios.map((s) => (
                  <tr key={s.scenario.id}>
                    <td>{s.scenario.name}</td>
                    <td>{int(s.total.householdsGained)}</td>
                    <td>{int(s.total.populationGained)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {config.data && (
          <SitingMap
            config={config.data}
            facilities={facilities.data?.features ?? []}
            candidates={candidates}
            circles={result?.circles ?? []}
            suggested={suggestion?.greedy.steps.map((s) => s.position) ?? []}
            onDrop={drop}
          />
        )}
        <section className="siting-side" aria-label="建议选址与优先级">
          <h2>建议选址</h2>
          <label>
            新建数量
            <input type="number" min={1} max={50} value={count} onChange={(e) => setCount(Number(e.target.value))} aria-label="新建数量" />
          </label>
          <label>
            候选点来源
            <select value={source} onChange={(e) => setSource(e.target.value as CandidateSource)} aria-label="候选点来源">
              {(Object.keys(CANDIDATE_SOURCE_LABELS) as CandidateSource[]).map((s) => (
                <option key={s} value={s}>
                  {CANDIDATE_SOURCE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          {source === 'hexagons' && (
            <label>
              六边形边长（米）
              <input type="number" min={100} max={5000} step={50} value={hexM} onChange={(e) => setHexM(Number(e.target.value))} aria-label="六边形边长" />
            </label>
          )}
          <button type="button" onClick={() => suggest.mutate()} disabled={suggest.isPending}>
            计算{FACILITY_KIND_INFO[kind].label}建议点
          </button>
          {suggest.isPending && <p role="status">正在计算…</p>}
          {suggest.error && <p role="alert">{errorMessage(suggest.error)}</p>}
          {suggestion && (
            <div className="siting-suggest">
              <p className="siting-hint">{suggestion.demandModel}</p>
              <p className="siting-hint">
                候选点：{suggestion.sourceName} {int(suggestion.candidates)} 个{suggestion.unsnappedCandidates > 0 ? `（另有 ${int(suggestion.unsnappedCandidates)} 个离路网过远，未计入）` : ''}
              </p>
              <ol>
                {suggestion.greedy.steps.map((s) => (
                  <li key={s.candidateId}>
                    第 {s.order} 个点：新增 {int(s.gain)} 户（累计 {int(s.total)}）
                    <button type="button" onClick={() => setCandidates((c) => [...c, { name: `建议点${s.order}`, kind, position: s.position }])}>
                      设为候选
                    </button>
                  </li>
                ))}
              </ol>
              <p>
                贪心法至少达到最优的 {pct(suggestion.greedy.guarantee)}（理论下界 1−(1−1/N)^N）；按本数据的上界，与最优差距不超过 {pct(suggestion.greedy.gapAtMost)}
                {suggestion.exact ? `；精确解 ${int(suggestion.exact.value)} 户，差距 ${pct(suggestion.exact.gap)}` : ''}。“最大盲区优先”法：{int(suggestion.blindSpotFirst.value)} 户。
              </p>
            </div>
          )}
          <h2>
            优先级（社区） <a href="/api/siting/priority?format=csv">导出 CSV</a>
          </h2>
          <ol className="siting-priority">
            {priority.data?.rows.slice(0, 20).map((r) => (
              <li key={r.code}>
                <strong>{r.name}</strong>：{r.reason}
              </li>
            ))}
          </ol>
        </section>
      </main>
    </div>
  );
}
