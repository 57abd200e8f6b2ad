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
import { FigureButton } from '../figures/FigureButton';
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

type Measure = Card['measures'][number];

/** A value in the measure's unit (server: MeasureRow.format): 件, %, per 100 households or a mean. */
function valueText(m: Measure, v: number | null): string {
  if (v === null) return '—';
  switch (m.format) {
    case 'count':
      return String(v);
    case 'percent':
      return `${(v * 100).toFixed(1)}%`;
    case 'per100':
      return `${(v * 100).toFixed(2)} ${m.unit ?? ''}`.trim();
    case 'mean':
      return `${v.toFixed(2)} ${m.unit ?? ''}`.trim();
  }
}
const cellText = (m: Measure, p: Part) => (m.format === 'count' ? String(p.numerator) : valueText(m, p.value));
/** The counts behind a value: numerator/denominator (households for per100, organisations for stars). */
const parts = (m: Measure, p: Part) => (m.format === 'count' ? '' : `${p.numerator}/${p.denominator}`);
const day = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
/** A change (the DiD, a bar) in the measure's unit: 件, 个百分点, or the per100/mean unit. */
function changeText(m: Measure, v: number): string {
  const sign = v > 0 ? '+' : '';
  switch (m.format) {
    case 'count':
      return `${sign}${v} 件`;
    case 'percent':
      return `${sign}${(v * 100).toFixed(1)} 个百分点`;
    case 'per100':
      return `${sign}${(v * 100).toFixed(2)} ${m.unit ?? ''}`.trim();
    case 'mean':
      return `${sign}${v.toFixed(2)} ${m.unit ?? ''}`.trim();
  }
}
const didText = (m: Measure) => (m.did === null ? '—' : changeText(m, m.did));
/** A change as a plain number for the bars (percentage points, per 100 households, or the mean's unit). */
const barValue = (m: Measure, v: number) => `${v > 0 ? '+' : ''}${m.format === 'mean' ? v.toFixed(2) : (v * 100).toFixed(m.format === 'per100' ? 2 : 1)}`;

/**
 * The difference-in-differences figure: each side's change as a bar, the gap between them is the DiD.
 * A bar opens its side's figure after the designation (click, Enter or Space); the before-value is the cell to its left.
 */
function DidBars({ m, c }: { m: Measure; c: Card }) {
  const opener = useFigureOpener();
  if (!m.group || !m.rest || m.did === null || m.format === 'count') return null;
  const g = (m.group.after.value ?? 0) - (m.group.before.value ?? 0);
  const r = (m.rest.after.value ?? 0) - (m.rest.before.value ?? 0);
  // Bars of a mean (stars, units per community) are in its own unit; shares and per100 in hundredths.
  const scale = 60 / Math.max(m.format === 'mean' ? 0.5 : 0.05, Math.abs(g), Math.abs(r));
  const bar = (v: number, side: Side, label: string) => {
    const body = (
      <>
        <span className="did-label">{label}</span>
        <span className="did-track">
          <span className={`did-bar did-${side}`} style={{ width: `${Math.abs(v) * scale}px`, marginLeft: v < 0 ? `${70 - Math.abs(v) * scale}px` : '70px' }} />
        </span>
        <span>{barValue(m, v)}</span>
      </>
    );
    const figure = m.figure;
    if (!figure || !opener) return <div className="did-row">{body}</div>;
    const after = m[side]!.after;
    return (
      <FigureButton
        figure={figure}
        drill={cellDrill(c, side, 'after')}
        label={`${SIDE_LABELS[side]} 认定后 ${m.name}`}
        className="did-row"
        ariaLabel={`${SIDE_LABELS[side]} ${m.name} 变化 ${changeText(m, v)}：查看认定后的口径与明细`}
        data={{ numerator: after.numerator, denominator: after.denominator }}
      >
        {body}
      </FigureButton>
    );
  };
  return (
    <div className="did-bars" role="group" aria-label={`${m.name} 变化：示范 ${changeText(m, g)}，其余 ${changeText(m, r)}`}>
      {bar(g, 'group', '示范')}
      {bar(r, 'rest', '其余')}
    </div>
  );
}

/** A cell of the table: the figure's value with its counts, opening its drill-down when the measure has a figure. */
function Cell({ m, c, side, when }: { m: Measure; c: Card; side: Side; when: When }) {
  const p = m[side]?.[when];
  if (!p) return <td className="muted">暂无数据</td>;
  const body = (
    <>
      {cellText(m, p)}
      <small>{parts(m, p)}</small>
    </>
  );
  const figure = m.figure;
  if (!figure) return <td>{body}</td>;
  return (
    <td>
      <FigureButton figure={figure} drill={cellDrill(c, side, when)} label={`${SIDE_LABELS[side]} ${WHEN_LABELS[when]} ${m.name}`} data={{ window: when, numerator: p.numerator, denominator: p.denominator }}>
        {body}
      </FigureButton>
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
                  <tr key={m.id} title={m.definition} data-measure={m.id}>
                    <th scope="row">
                      {m.name}
                      {m.note && <small>{m.note}</small>}
                    </th>
                    <Cell m={m} c={c} side="group" when="before" />
                    <Cell m={m} c={c} side="group" when="after" />
                    <Cell m={m} c={c} side="rest" when="before" />
                    <Cell m={m} c={c} side="rest" when="after" />
                    <td data-testid={`did-${m.id}`}>{didText(m)}</td>
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
