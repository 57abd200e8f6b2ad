/** Small SVG charts drawn by hand (no chart library in the stack). */
import type { TrendMonth } from '../../../../server/screen/summary';

/** The figure each trend line stands for (server/figures/registry.ts), opened at one month. */
const TREND_SERIES = [
  { key: 'reported', figure: 'kpi.count', label: '受理', colour: '#ff6b4a' },
  { key: 'closed', figure: 'screen.trendClosed', label: '已结案', colour: '#4fd1a5' },
] as const;

/**
 * The 12-month trend. With `onOpen` each month's point of each line opens that figure at that
 * month (click, Enter or Space); `data-value` is the number the point stands for.
 */
export function TrendChart({ trend, width = 400, height = 170, onOpen }: { trend: TrendMonth[]; width?: number; height?: number; onOpen?: (figure: string, month: string) => void }) {
  const pad = { l: 36, r: 8, t: 14, b: 22 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const max = Math.max(1, ...trend.map((t) => t.reported));
  const niceMax = niceCeil(max);
  const x = (i: number) => pad.l + (trend.length <= 1 ? w / 2 : (i / (trend.length - 1)) * w);
  const y = (v: number) => pad.t + h - (v / niceMax) * h;
  const line = (key: 'reported' | 'closed') => trend.map((t, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(t[key]).toFixed(1)}`).join(' ');
  const area = `${line('reported')} L${x(trend.length - 1)},${pad.t + h} L${x(0)},${pad.t + h} Z`;
  return (
    <svg className="trend-chart" viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role={onOpen ? 'group' : 'img'} aria-label="近12个月事件趋势">
      <defs>
        <linearGradient id="trend-fill" x1="0" x2="0" y1="0" y2="1">
          <stop offset="0%" stopColor="#ff6b4a" stopOpacity="0.45" />
          <stop offset="100%" stopColor="#ff6b4a" stopOpacity="0" />
        </linearGradient>
      </defs>
      {[0, 0.5, 1].map((k) => (
        <g key={k}>
          <line x1={pad.l} x2={pad.l + w} y1={y(niceMax * k)} y2={y(niceMax * k)} stroke="#2a3a5a" strokeDasharray="3 3" />
          <text x={pad.l - 6} y={y(niceMax * k) + 4} textAnchor="end" className="axis">
            {Math.round(niceMax * k)}
          </text>
        </g>
      ))}
      <path d={area} fill="url(#trend-fill)" />
      <path d={line('reported')} fill="none" stroke="#ff6b4a" strokeWidth="2.5" />
      <path d={line('closed')} fill="none" stroke="#4fd1a5" strokeWidth="2" strokeDasharray="5 3" />
      {trend.map((t, i) =>
        i % 2 === 1 ? (
          <text key={t.month} x={x(i)} y={height - 6} textAnchor="middle" className="axis">
            {Number(t.month.slice(5))}月
          </text>
        ) : null,
      )}
      {/* Closed is drawn first: where the lines meet, the 受理 point (the chart's main figure) is on top. */}
      {[...TREND_SERIES].reverse().map((series) =>
        trend.map((t, i) => {
          const value = t[series.key];
          const dot = <circle cx={x(i)} cy={y(value)} r={series.key === 'reported' ? 3 : 2.5} fill={series.colour} />;
          if (!onOpen) return series.key === 'reported' ? <g key={`${series.key}-${t.month}`}>{dot}</g> : null;
          const name = `${Number(t.month.slice(5))}月${series.label} ${value} 件`;
          const open = () => onOpen(series.figure, t.month);
          return (
            <g
              key={`${series.key}-${t.month}`}
              className="trend-open"
              data-figure={series.figure}
              data-month={t.month}
              data-value={value}
              role="button"
              tabIndex={0}
              aria-label={`${t.month} ${series.label} ${value} 件：查看口径与明细`}
              onClick={open}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  open();
                }
              }}
            >
              <title>{name}</title>
              <circle className="trend-hit" cx={x(i)} cy={y(value)} r="7" fill="transparent" />
              {dot}
            </g>
          );
        }),
      )}
    </svg>
  );
}

/**
 * `caption`: the chart's accessible name (its one use today is the star distribution).
 * A bar with a `figure` (server/figures/registry.ts) opens its drill-down through `onOpen` (click, Enter or Space).
 */
export function BarChart({
  bars,
  caption = '网格星级分布',
  height = 150,
  width = 400,
  onOpen,
}: {
  bars: { label: string; value: number; colour: string; figure?: string }[];
  caption?: string;
  height?: number;
  width?: number;
  onOpen?: (figure: string) => void;
}) {
  const pad = { l: 6, r: 6, t: 20, b: 22 };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = (width - pad.l - pad.r) / Math.max(1, bars.length);
  const h = height - pad.t - pad.b;
  return (
    <svg className="bar-chart" viewBox={`0 0 ${width} ${height}`} width="100%" height={height} role="img">
      <title>{caption}</title>
      {bars.map((b, i) => {
        const bh = (b.value / max) * h;
        const x = pad.l + i * slot + slot * 0.2;
        const body = (
          <>
            <rect x={x} y={pad.t + h - bh} width={slot * 0.6} height={bh} fill={b.colour} rx="2" />
            <text x={x + slot * 0.3} y={pad.t + h - bh - 5} textAnchor="middle" className="bar-value" data-figure-value={b.figure ? b.label : undefined}>
              {b.value.toLocaleString('zh-CN')}
            </text>
            <text x={x + slot * 0.3} y={height - 6} textAnchor="middle" className="axis">
              {b.label}
            </text>
          </>
        );
        if (!b.figure || !onOpen) return <g key={b.label}>{body}</g>;
        const figure = b.figure;
        return (
          <g
            key={b.label}
            data-figure={figure}
            role="button"
            tabIndex={0}
            aria-label={`${b.label} ${b.value}：查看口径与明细`}
            className="bar-open"
            onClick={() => onOpen(figure)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onOpen(figure);
              }
            }}
          >
            {body}
          </g>
        );
      })}
    </svg>
  );
}

/** A ring gauge for a share 0..1. */
export function Ring({ share, colour, size = 112 }: { share: number | null; colour: string; size?: number }) {
  const r = size / 2 - 9;
  const c = 2 * Math.PI * r;
  const k = Math.max(0, Math.min(1, share ?? 0));
  return (
    <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} className="ring" aria-hidden="true">
      <circle cx={size / 2} cy={size / 2} r={r} fill="none" stroke="#1e2b45" strokeWidth="10" />
      <circle
        cx={size / 2}
        cy={size / 2}
        r={r}
        fill="none"
        stroke={colour}
        strokeWidth="10"
        strokeLinecap="round"
        strokeDasharray={`${c * k} ${c}`}
        transform={`rotate(-90 ${size / 2} ${size / 2})`}
        style={{ transition: 'stroke-dasharray 0.9s ease-out' }}
      />
    </svg>
  );
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
