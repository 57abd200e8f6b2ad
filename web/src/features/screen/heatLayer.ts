/**
 * Why: the screen's incident heat is MapLibre's own heatmap layer, not deck.gl's HeatmapLayer,
 * which aggregated the weights in extra full-resolution passes on every frame of its own canvas.
 * MapLibre draws heat into a quarter-resolution texture within the map's frame. A later profile
 * (2026-12-03, heavily loaded machine) found the heat was not what kept the big screen's first
 * render at ~4× the empty database: with ?heatmap=0 the same ~9 s GPU flush followed the map's
 * idle, from deck.gl's first draw of its circle/area/centre layers (now MapLibre layers, see
 * screenOverlays.ts).
 * The look stays: the incidents colour ramp, a colour domain fixed by the server's per-cell
 * maximum (colours do not jump as the camera moves), the low end transparent.
 */
import { INCIDENT_RAMP } from '../incidents/colourScale';
import type { HeatPoint } from '../incidents/incidentQueries';
import type { HeatmapPaint, LayerSpecification } from '../map/styleTypes';

export const HEAT_SOURCE = 'screen-heat';
export const HEAT_LAYER = 'screen-heat';

/** The heat cells as GeoJSON points with their weight (`w`). */
export function heatFeatures(points: readonly HeatPoint[]): GeoJSON.FeatureCollection<GeoJSON.Point, { w: number }> {
  return { type: 'FeatureCollection', features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.position[0], p.position[1]] }, properties: { w: p.weight } })) };
}

/** Weight of a cell on the colour scale: its share of the domain's top (the server's maximum, at least 4). */
export const heatWeight = (max: number): NonNullable<HeatmapPaint['heatmap-weight']> => ['min', 1, ['/', ['get', 'w'], Math.max(4, max)]];

export function heatLayer(max: number, visible: boolean): LayerSpecification {
  const last = INCIDENT_RAMP.length - 1;
  const stops = INCIDENT_RAMP.flatMap((c, i) => [0.15 + (0.85 * i) / last, `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${((60 + (195 * i) / last) / 255).toFixed(3)})`]);
  return {
    id: HEAT_LAYER,
    type: 'heatmap',
    source: HEAT_SOURCE,
    layout: { visibility: visible ? 'visible' : 'none' },
    paint: {
      'heatmap-weight': heatWeight(max),
      // MapLibre's kernel peaks at 0.4 × weight: 2.5 puts a cell at the maximum on the ramp's top.
      'heatmap-intensity': 2.5,
      'heatmap-radius': 22,
      'heatmap-opacity': 0.75,
      // Below 8 % of the domain nothing shows, so grids stay readable under sparse incidents.
      'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0, 0, 0, 0)', 0.08, 'rgba(0, 0, 0, 0)', ...stops] as NonNullable<HeatmapPaint['heatmap-color']>,
    },
  };
}
