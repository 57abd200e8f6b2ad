/** The side panels: figures of the selected region from /api/screen/summary. */
import type { ScreenSummary } from './screenApi';
import { Kpi } from './AnimatedNumber';
import { BarChart, Ring, TrendChart } from './charts';
import { CENTRE_LEVEL_LABELS, CENTRE_LEVELS, CENTRE_STYLE } from './centreStyle';
import { STAR_COLOURS, STAR_LABELS } from './starColours';
import { FigureButton } from '../figures/FigureButton';
import { useFigureOpener } from '../figures/FigureContext';

/** A figure that is not a Kpi tile, opening its drill-down when the page provides one. */
function FigureLink({ figure, label, children }: { figure: string; label: string; children: React.ReactNode }) {
  return (
    <FigureButton figure={figure} label={label} className="kpi-open">
      {children}
    </FigureButton>
  );
}

/** A number inside a line of text: `data-figure-value` marks it for the browser test (every figure number opens). */
function InlineFigure({ figure, label, value }: { figure: string; label: string; value: number }) {
  return (
    <FigureLink figure={figure} label={label}>
      <span className="figure-inline" data-figure-value={label}>
        {value.toLocaleString('zh-CN')}
      </span>
    </FigureLink>
  );
}

const pct = (v: number | null) => (v === null ? null : v * 100);
const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

function Panel({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <section className="screen-panel" data-testid={testId}>
      <h2 className="screen-panel-title">
        <span>{title}</span>
      </h2>
      <div className="screen-panel-body">{children}</div>
    </section>
  );
}

export function PartyPanel({ s }: { s: ScreenSummary }) {
  const g = s.grid;
  return (
    <Panel title="网格党建" testId="panel-party">
      <div className="kpi-grid">
        <Kpi label="网格数" value={g.grids} unit="个" figure="screen.grids" />
        <Kpi label="网格党组织" value={g.gridsWithPartyOrg} unit="个" tone="red" figure="screen.gridsWithPartyOrg" />
        <Kpi label="组建率" value={pct(g.partyOrgRate)} digits={1} unit="%" tone="green" figure="screen.partyOrgRate" />
        <Kpi label="党员" value={g.partyMembers} unit="名" tone="red" figure="screen.partyMembers" />
        <Kpi label="双报到党员" value={s.party.dualReport.membersReported} unit="名" tone="blue" figure="screen.dualReport.membersReported" />
        <Kpi label="报到率" value={pct(s.party.dualReport.reportRate)} digits={1} unit="%" tone="blue" figure="screen.dualReport.reportRate" />
      </div>
      <div className="screen-sub">
        覆盖 <InlineFigure figure="screen.households" label="户数" value={g.households} /> 户 · <InlineFigure figure="screen.population" label="人口" value={g.population} /> 人 · 报到单位{' '}
        <InlineFigure figure="screen.dualReport.units" label="报到单位" value={s.party.dualReport.units} /> 个
      </div>
      <div className="screen-sub" data-testid="screen-wishes">
        红绳/微心愿 <InlineFigure figure="screen.wishes.posted" label="红绳/微心愿" value={s.party.wishes.posted} /> 个 · 已认领{' '}
        <InlineFigure figure="screen.wishes.claimed" label="已认领" value={s.party.wishes.claimed} /> · 已完成 <InlineFigure figure="screen.wishes.completed" label="已完成" value={s.party.wishes.completed} />
        （确认 <InlineFigure figure="screen.wishes.confirmed" label="已确认" value={s.party.wishes.confirmed} />）
      </div>
      {s.children.length > 0 && (
        <>
          <div className="chart-title">下级党员分布</div>
          <ul className="share-bars" aria-label="下级党员分布">
            {[...s.children]
              .sort((a, b) => b.partyMembers - a.partyMembers)
              .slice(0, 5)
              .map((c, _, top) => {
                const bar = (
                  <>
                    <span className="share-name">{c.name}</span>
                    <span className="share-track">
                      <span className="share-fill" style={{ width: `${(100 * c.partyMembers) / Math.max(1, top[0]!.partyMembers)}%` }} />
                    </span>
                    <span className="share-value" data-figure-value={`${c.name}党员`}>
                      {c.partyMembers.toLocaleString('zh-CN')} 名
                    </span>
                  </>
                );
                // A child's bar opens 党员数 for that child (server/figures/figureParams.ts region).
                return (
                  <li key={c.code}>
                    <FigureButton figure="screen.partyMembers" drill={{ region: c.code }} label={`${c.name} 党员数`} className="share-open">
                      {bar}
                    </FigureButton>
                  </li>
                );
              })}
          </ul>
        </>
      )}
    </Panel>
  );
}

export function CentresPanel({ s }: { s: ScreenSummary }) {
  const total = CENTRE_LEVELS.reduce((a, l) => a + s.centres[l], 0);
  return (
    <Panel title="党群服务阵地" testId="panel-centres">
      <div className="centre-levels">
        {CENTRE_LEVELS.map((l) => (
          <div key={l} className="centre-level">
            <span className="centre-dot" style={{ background: rgb(CENTRE_STYLE[l].colour) }} />
            <span className="centre-level-name">{CENTRE_LEVEL_LABELS[l]}</span>
            <FigureLink figure={`screen.centres.${l}`} label={`${CENTRE_LEVEL_LABELS[l]}中心`}>
              <span className="centre-level-count" data-kpi={`${CENTRE_LEVEL_LABELS[l]}中心`}>
                {s.centres[l].toLocaleString('zh-CN')}
              </span>
            </FigureLink>
          </div>
        ))}
      </div>
      <div className="coverage-row">
        <div className="coverage-ring">
          <Ring share={s.coverage.share} colour="#4fd1a5" />
          <FigureLink figure="screen.coverage" label="覆盖率">
            <div className="coverage-ring-value" data-kpi="覆盖率">
              {s.coverage.share === null ? '—' : `${(s.coverage.share * 100).toFixed(1)}%`}
            </div>
          </FigureLink>
        </div>
        <div className="coverage-text">
          <Kpi label="服务中心总数" value={total} unit="个" figure="screen.centres.total" />
          <p className="screen-note">
            15分钟服务圈户数覆盖率
            <br />
            {s.coverage.method === 'isochrone' ? '按步行等时圈计算' : '按中心直线 1000 米估算（等时圈计算完成前）'}
          </p>
        </div>
      </div>
    </Panel>
  );
}

export function IncidentsPanel({ s }: { s: ScreenSummary }) {
  const opener = useFigureOpener();
  return (
    <Panel title="基层治理 · 事件处置" testId="panel-incidents">
      <div className="kpi-grid kpi-grid-3">
        <Kpi label={`${Number(s.incidents.month.slice(5))}月事件`} value={s.incidents.reported} unit="件" tone="red" figure="kpi.count" />
        <Kpi label="本月结案率" value={pct(s.incidents.closeRate)} digits={1} unit="%" tone="green" figure="kpi.closeRate" />
        <Kpi label="超期未结" value={s.incidents.overdueOpen} unit="件" tone="gold" figure="kpi.overdueOpen" />
      </div>
      {/* 网格员巡查 (server/field/patrolFigures.ts); room taken from the trend chart below. */}
      <div className="kpi-grid kpi-grid-3" data-testid="screen-patrols">
        <Kpi label="今日巡查" value={s.patrols.today} unit="次" tone="green" figure="screen.patrols.today" />
        <Kpi label="正在巡查" value={s.patrols.activeNow} unit="人" tone="red" figure="screen.patrols.activeNow" />
        <Kpi label="本周巡查时长" value={s.patrols.weekHours} digits={1} unit="小时" tone="gold" figure="screen.patrols.weekHours" />
      </div>
      <div className="chart-title">
        近12个月事件 <span className="sl-swatch" style={{ background: '#ff6b4a' }} /> 受理 <span className="sl-swatch dashed" /> 已结案
      </div>
      <TrendChart trend={s.trend} height={170} onOpen={opener ? (figure, month) => opener.open(figure, { month }) : undefined} />
    </Panel>
  );
}

export function StarsPanel({ s, onDrill }: { s: ScreenSummary; onDrill: (code: string) => void }) {
  const opener = useFigureOpener();
  const rated = s.grid.stars.slice(1).reduce((a, b) => a + b, 0);
  const top = [...s.children].sort((a, b) => (b.averageStars ?? 0) - (a.averageStars ?? 0)).slice(0, 5);
  return (
    <Panel title="星级评定" testId="panel-stars">
      <div className="kpi-grid kpi-grid-3">
        <Kpi label="已评星网格" value={rated} unit="个" figure="screen.stars.rated" />
        <Kpi label="四星以上" value={s.grid.stars[4]! + s.grid.stars[5]!} unit="个" tone="red" figure="screen.stars.fourPlus" />
        <Kpi label="五星网格" value={s.grid.stars[5]!} unit="个" tone="gold" figure="screen.stars.5" />
      </div>
      <BarChart bars={s.grid.stars.map((v, i) => ({ label: STAR_LABELS[i]!, value: v, colour: STAR_COLOURS[i]!, figure: `screen.stars.${i}` }))} height={140} onOpen={opener?.open} />
      <div className="screen-sub" data-testid="screen-five-good">
        {s.party.stars.year} 年五好评定：{s.party.stars.current.map((n, k) => `${k + 1}星 ${n}`).join(' · ')}；三星以上 {s.party.stars.threeStarOrBetter} 个（同比 {s.party.stars.threeStarOrBetterChange >= 0 ? '+' : ''}
        {s.party.stars.threeStarOrBetterChange}）
      </div>
      {top.length > 0 && (
        <ol className="child-list" aria-label="下级平均星级">
          {top.map((c) => {
            const stars = (
              <span className="child-stars" data-figure-value={`${c.name}平均星级`}>
                {c.averageStars === null ? '—' : `${c.averageStars.toFixed(2)} 星`}
              </span>
            );
            // The name drills the screen into the child; its 平均星级 opens that figure for the child (server/figures/figureParams.ts region).
            return (
              <li key={c.code}>
                <button type="button" className="child-drill" onClick={() => onDrill(c.code)} title={`进入${c.name}`}>
                  <span className="child-name">{c.name}</span>
                  <span className="child-grids">{c.grids} 网格</span>
                </button>
                <FigureButton figure="screen.stars.average" drill={{ region: c.code }} label={`${c.name} 平均星级`} className="child-open">
                  {stars}
                </FigureButton>
              </li>
            );
          })}
        </ol>
      )}
    </Panel>
  );
}
