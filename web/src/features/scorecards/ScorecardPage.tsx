/**
 * Why: leaders ask whether a 示范带/示范圈 changed anything. The page shows its KPIs in
 * equal windows before and after the designation date, beside the rest of the city
 * (差中差), with the counts behind every rate and the caveats of such a comparison.
 * Every cell and every bar of the change chart opens its figure's drill-down (the
 * registry figure the server names per measure, for the cell's side and window).
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Answer, api, call } from '../../api/client';
import { FigureContext, type FigureDrill, useFigureOpener } from '../figures/FigureContext';
import { useFigurePanel } from '../figures/useFigurePanel';
import './scorecards.css';

type Card = Answer<typeof api.api.scorecards.$get>;
type Part = { numerator: number; denominator: number; value: number | null };
type Side = 'group' | 'rest';
type When = 'before' | 'after';
const SIDE_LABELS: Record<Side, string> = { group: '示范社区', rest: '全市其余' };
const WHEN_LABELS: Record<When, string> = { before: '认定前', after: '认定后' };

/** The drill-down of one cell: the measure's figure over that side's communities in that window. */
const cellDrill = (c: Card, side: Side, when: When): FigureDrill => ({ from: c[when].from, to: c[when].to, communities: c.communities.map((x) => x.code).join(','), cohort: side });

const pct = (p: Part, isCount: boolean) => (isCount ? String(p.numerator) : p.value === null ? '—' : `${(p.value * 100).toFixed(1)}%`);
const parts = (p: Part, isCount: boolean) => (isCount ? '' : `${p.numerator}/${p.denominator}`);
const day = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

function didText(v: number | null, isCount: boolean) {
  if (v === null) return '—';
  const sign = v > 0 ? '+' : '';
  return isCount ? `${sign}${v} 件` : `${sign}${(v * 100).toFixed(1)} 个百分点`;
}

/**
 * The difference-in-differences figure: each side's change as a bar, the gap between them is the DiD.
 * A bar opens its side's figure after the designation (click, Enter or Space); the before-value is the cell to its left.
 */
function DidBars({ m, c }: { m: Card['measures'][number]; c: Card }) {
  const opener = useFigureOpener();
  if (!m.group || !m.rest || m.did === null || m.id === 'count') return null;
  const g = (m.group.after.value ?? 0) - (m.group.before.value ?? 0);
  const r = (m.rest.after.value ?? 0) - (m.rest.before.value ?? 0);
  const scale = 60 / Math.max(0.05, Math.abs(g), Math.abs(r));
  const bar = (v: number, side: Side, label: string) => {
    const body = (
      <>
        <span className="did-label">{label}</span>
        <span className="did-track">
          <span className={`did-bar did-${side}`} style={{ width: `${Math.abs(v) * scale}px`, marginLeft: v < 0 ? `${70 - Math.abs(v) * scale}px` : '70px' }} />
        </span>
        <span>{`${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}`}</span>
      </>
    );
    const figure = m.figure;
    if (!figure || !opener) return <div className="did-row">{body}</div>;
    const after = m[side]!.after;
    return (
      <button
        type="button"
        className="did-row figure-open"
        data-figure={figure}
        data-cohort={side}
        data-numerator={after.numerator}
        data-denominator={after.denominator}
        aria-label={`${SIDE_LABELS[side]} ${m.name} 变化 ${(v * 100).toFixed(1)} 个百分点：查看认定后的口径与明细`}
        onClick={() => opener.open(figure, cellDrill(c, side, 'after'))}
      >
        {body}
      </button>
    );
  };
  return (
    <div className="did-bars" role="group" aria-label={`${m.name} 变化：示范 ${(g * 100).toFixed(1)}，其余 ${(r * 100).toFixed(1)} 个百分点`}>
      {bar(g, 'group', '示范')}
      {bar(r, 'rest', '其余')}
    </div>
  );
}

/** A cell of the table: the figure's value with its counts, opening its drill-down when the measure has a figure. */
function Cell({ m, c, side, when }: { m: Card['measures'][number]; c: Card; side: Side; when: When }) {
  const opener = useFigureOpener();
  const p = m[side]?.[when];
  if (!p) return <td className="muted">暂无数据</td>;
  const isCount = m.id === 'count';
  const body = (
    <>
      {pct(p, isCount)}
      <small>{parts(p, isCount)}</small>
    </>
  );
  const figure = m.figure;
  if (!figure || !opener) return <td>{body}</td>;
  return (
    <td>
      <button
        type="button"
        className="figure-open"
        data-figure={figure}
        data-cohort={side}
        data-window={when}
        data-numerator={p.numerator}
        data-denominator={p.denominator}
        title={`查看“${SIDE_LABELS[side]} ${WHEN_LABELS[when]} ${m.name}”的口径与明细`}
        onClick={() => opener.open(figure, cellDrill(c, side, when))}
      >
        {body}
      </button>
    </td>
  );
}

export function ScorecardPage() {
  const demos = useQuery({ queryKey: ['scorecards', 'demos'], queryFn: () => call(api.api.demonstrations.$get()) });
  const [demo, setDemo] = useState('');
  const [communities, setCommunities] = useState('');
  const [date, setDate] = useState('');
  const [days, setDays] = useState('90');
  const [asked, setAsked] = useState<{ date?: string; days: string; demo?: string; communities?: string } | null>(null);
  // Cells open over the 示范社区 or the rest of the city: no region scope (the server takes the city).
  const { opener, panel } = useFigurePanel(undefined);
  const card = useQuery({
    queryKey: ['scorecard', asked],
    enabled: asked !== null,
    queryFn: () => call(api.api.scorecards.$get({ query: asked! })),
  });

  const all = [...(demos.data?.belts ?? []), ...(demos.data?.circles ?? [])];
  const chosen = all.find((d) => `${d.kind}:${d.id}` === demo);
  // Choosing a 示范带/示范圈 preselects its own 认定日期 (the user may still change it).
  const choose = (value: string) => {
    setDemo(value);
    const d = all.find((x) => `${x.kind}:${x.id}` === value);
    if (d?.designatedOn) setDate(d.designatedOn);
  };
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q: { date?: string; days: string; demo?: string; communities?: string } = { days };
    // The demonstration's own date is the server's default; send a date only when it differs.
    if (date && !(chosen && date === chosen.designatedOn)) q.date = date;
    if (demo) q.demo = demo;
    else q.communities = communities.replace(/[，\s]+/g, ',');
    setAsked(q);
  };

  const c = card.data;
  return (
    <FigureContext.Provider value={opener}>
      <main className="scorecard-page">
        <header className="scorecard-header">
          <h1>示范评估</h1>
          <a href="/">返回地图</a>
        </header>
        <form className="scorecard-form" onSubmit={submit}>
          <label>
            示范带/示范圈
            <select value={demo} onChange={(e) => choose(e.target.value)} data-testid="scorecard-demo">
              <option value="">（自选社区）</option>
              {demos.data?.belts.map((b) => (
                <option key={`b${b.id}`} value={`belt:${b.id}`}>
                  示范带 · {b.name}
                </option>
              ))}
              {demos.data?.circles.map((b) => (
                <option key={`c${b.id}`} value={`circle:${b.id}`}>
                  示范圈 · {b.name}
                </option>
              ))}
            </select>
          </label>
          {!demo && (
            <label>
              社区代码（12 位，逗号分隔）
              <input value={communities} onChange={(e) => setCommunities(e.target.value)} placeholder="450902005001,450902005002" required />
            </label>
          )}
          <label>
            认定日期
            <input type="date" value={date} max={today} onChange={(e) => setDate(e.target.value)} required={!chosen?.designatedOn} data-testid="scorecard-date" />
            {chosen && (
              <small className="scorecard-date-hint" data-testid="scorecard-date-hint">
                {chosen.designatedOn ? (date === chosen.designatedOn ? '已按登记的认定日期填写' : `登记的认定日期为 ${chosen.designatedOn}`) : '该示范带/圈尚未登记认定日期，请填写'}
              </small>
            )}
          </label>
          <label>
            窗口（天）
            <input type="number" min={7} max={730} value={days} onChange={(e) => setDays(e.target.value)} />
          </label>
          <button type="submit" disabled={card.isFetching}>
            {card.isFetching ? '正在计算…' : '评估'}
          </button>
        </form>
        {card.error && (
          <p role="alert" className="scorecard-error">
            {(card.error as Error).message}
          </p>
        )}
        {c && (
          <section data-testid="scorecard">
            <p>
              {c.demo ? `${c.demo.kind === 'belt' ? '示范带' : '示范圈'}「${c.demo.name}」（认定日期 ${day(c.designatedOn)}${c.dateSource === 'designation' ? '，取自登记' : '，手动指定'}）：` : ''}示范社区{' '}
              {c.communities.length} 个（{c.communities.map((x) => x.name).join('、')}）；对照：全市其余 {c.restCommunities} 个社区。 认定前 {day(c.before.from)} 至 {day(c.before.to)}，认定后 {day(c.after.from)} 至{' '}
              {day(c.after.to)}（各 {c.windowDays} 天{c.truncated ? '，认定后窗口截至今天' : ''}）。
            </p>
            <table className="scorecard-table">
              <thead>
                <tr>
                  <th rowSpan={2}>指标</th>
                  <th colSpan={2}>示范社区</th>
                  <th colSpan={2}>全市其余</th>
                  <th rowSpan={2}>差中差</th>
                  <th rowSpan={2}>变化对比</th>
                </tr>
                <tr>
                  <th>认定前</th>
                  <th>认定后</th>
                  <th>认定前</th>
                  <th>认定后</th>
                </tr>
              </thead>
              <tbody>
                {c.measures.map((m) => (
                  <tr key={m.id} title={m.definition}>
                    <th scope="row">
                      {m.name}
                      {m.note && <small>{m.note}</small>}
                    </th>
                    <Cell m={m} c={c} side="group" when="before" />
                    <Cell m={m} c={c} side="group" when="after" />
                    <Cell m={m} c={c} side="rest" when="before" />
                    <Cell m={m} c={c} side="rest" when="after" />
                    <td>{didText(m.did, m.id === 'count')}</td>
                    <td>
                      <DidBars m={m} c={c} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>解读须知</h2>
            <ul className="scorecard-caveats">
              {c.caveats.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          </section>
        )}
      </main>
      {panel}
    </FigureContext.Provider>
  );
}
