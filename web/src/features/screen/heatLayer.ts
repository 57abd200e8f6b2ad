/**
 * Why: the screen's incident heat is an image the page computes from the server's heat cells
 * (kernel/heatRaster.ts) and MapLibre draws as one raster quad. It was MapLibre's heatmap layer
 * (and before that deck.gl's HeatmapLayer); on the software-rendered big screen the heatmap
 * layer's offscreen pass and programs were what kept the first full render at 30,000 grids +
 * 100,000 incidents above 2× the empty database (2026-12-03: 2.21×; 1.1× with ?heatmap=0).
 * The look stays: MapLibre's kernel and radius (22 px on screen, recomputed when the zoom moves
 * half a level), the incidents colour ramp, a colour domain fixed by the server's per-cell
 * maximum (colours do not jump as the camera moves), the low end transparent.
 */
import { type HeatInputPoint, type HeatRaster, heatDensityAt, heatRaster, type HeatStop } from '../../../../kernel/heatRaster';
import { toMercator } from '../../../../kernel/webMercator';
import { INCIDENT_RAMP } from '../incidents/colourScale';
import type { LayerSpecification, SourceSpecification } from '../map/styleTypes';

export const HEAT_SOURCE = 'screen-heat';
export const HEAT_LAYER = 'screen-heat';
export const HEAT_RADIUS_PX = 22;
/** A cell at the domain's top peaks at 2.5 × 0.4 ≈ 1, the ramp's top. */
export const HEAT_INTENSITY = 2.5;
export const HEAT_OPACITY = 0.75;

/** Density → colour: nothing below 8 % of the domain (grids stay readable under sparse incidents), then the incidents ramp. */
export const HEAT_STOPS: readonly HeatStop[] = (() => {
  const last = INCIDENT_RAMP.length - 1;
  const [r0, g0, b0] = INCIDENT_RAMP[0]!;
  return [[0, r0, g0, b0, 0], [0.08, r0, g0, b0, 0], ...INCIDENT_RAMP.map(([r, g, b], i): HeatStop => [0.15 + (0.85 * i) / last, r, g, b, Math.round(60 + (195 * i) / last)])];
})();

/**
 * Starts as a transparent pixel (web/public/heat-empty.png: the style needs a url), replaced with
 * the page's image and its corners once the map is loaded (updateImage aborts the placeholder's load).
 */
export const heatSource = (): SourceSpecification => ({
  type: 'image',
  url: `${window.location.origin}/heat-empty.png`,
  coordinates: [
    [0, 0.001],
    [0.001, 0.001],
    [0.001, 0],
    [0, 0],
  ],
});

export const heatLayer = (visible: boolean): LayerSpecification => ({
  id: HEAT_LAYER,
  type: 'raster',
  source: HEAT_SOURCE,
  layout: { visibility: visible ? 'visible' : 'none' },
  paint: { 'raster-opacity': HEAT_OPACITY, 'raster-fade-duration': 0, 'raster-resampling': 'linear' },
});

/**
 * The view [w, s, e, n] widened by half its size on every side, in Web Mercator metres: the image
 * covers it, so panning within a screen's width needs no new image.
 */
export function heatArea(view: readonly [number, number, number, number]): [number, number, number, number] {
  const [x1, y1] = toMercator(view[0], Math.max(-85, view[1]));
  const [x2, y2] = toMercator(view[2], Math.min(85, view[3]));
  const dx = (x2 - x1) / 2;
  const dy = (y2 - y1) / 2;
  return [x1 - dx, y1 - dy, x2 + dx, y2 + dy];
}

/** The heat image of `points` over `area` at camera `zoom`. */
export const screenHeat = (points: readonly HeatInputPoint[], max: number, zoom: number, area: readonly [number, number, number, number]): HeatRaster =>
  heatRaster(points, { max, zoom, radiusPx: HEAT_RADIUS_PX, intensity: HEAT_INTENSITY, area, stops: HEAT_STOPS });

/** Whether an image built for (zoom, area) still serves a camera at (zoom, view): same size on screen within half a level, view inside. */
export function heatImageFits(built: { zoom: number; area: readonly [number, number, number, number] }, zoom: number, view: readonly [number, number, number, number]): boolean {
  if (Math.abs(built.zoom - zoom) >= 0.5) return false;
  const [x1, y1] = toMercator(view[0], Math.max(-85, view[1]));
  const [x2, y2] = toMercator(view[2], Math.min(85, view[3]));
  return x1 >= built.area[0] && y1 >= built.area[1] && x2 <= built.area[2] && y2 <= built.area[3];
}

declare global {
  interface Window {
    /** Browser tests: the heat image last given to the map, and its density at a position. */
    __dangjianHeat?: { raster: HeatRaster; zoom: number; area: readonly [number, number, number, number]; densityAt: (lon: number, lat: number) => number; builds: number };
  }
}

export function exposeHeat(raster: HeatRaster, zoom: number, area: readonly [number, number, number, number]): void {
  window.__dangjianHeat = { raster, zoom, area, densityAt: (lon, lat) => heatDensityAt(raster, lon, lat), builds: (window.__dangjianHeat?.builds ?? 0) + 1 };
}
