/** Legend for incident density: the fixed domain [0, max] of the whole filtered period. */
import { legendTicks, rampGradient } from './colourScale';

export function IncidentLegend({ max, unit, frameLabel }: { max: number; unit: string; frameLabel?: string }) {
  const ticks = legendTicks(max);
  return (
    <div className="incident-legend" role="group" aria-label={`图例：${unit}，0 到 ${max}`} data-testid="incident-legend">
      <div className="incident-legend-title">
        {unit}
        {frameLabel ? <span className="incident-legend-frame">（{frameLabel}）</span> : null}
      </div>
      <div className="incident-legend-bar" style={{ background: rampGradient(), height: 10, borderRadius: 2 }} aria-hidden="true" />
      <div className="incident-legend-ticks" style={{ display: 'flex', justifyContent: 'space-between', fontSize: 11 }}>
        {ticks.map((t) => (
          <span key={t}>{t}</span>
        ))}
      </div>
    </div>
  );
}
