/** Legend for the grid fill colours: one swatch per street (街道/镇). */
import type { StreetColour } from '../map/streetColours';

export function StreetLegend({ streets }: { streets: StreetColour[] }) {
  if (streets.length === 0) return null;
  return (
    <div className="legend" role="group" aria-label="图例：网格按所属街道着色">
      <span className="legend-title">街道</span>
      <ul className="legend-items" data-testid="street-legend">
        {streets.map((s) => (
          <li key={s.code} title={`${s.name}（${s.code}）`}>
            <span className="swatch" style={{ background: s.colour }} aria-hidden="true" />
            {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
