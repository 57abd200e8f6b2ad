/**
 * Where a map opens before the user has picked anything: the loaded data's own
 * extent (all regions, else all grids), so no page hard-codes a city's
 * coordinates. Sent in GET /api/config as `defaultView`.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { Bbox } from '../../kernel/bbox';
import { metresPerPixel, toMercator } from '../../kernel/webMercator';

export interface DefaultView {
  /** [lon, lat]: the centre of `bounds`. */
  center: [number, number];
  /** MapLibre zoom (512-px tiles) at which `bounds` fits a 1280×800 screen; pages may fit their own container. */
  zoom: number;
  /** [west, south, east, north] of the data in WGS84; null while nothing is loaded. */
  bounds: Bbox | null;
}

/** The screen `zoom` is computed for; maps fit `bounds` to their real container anyway. */
export const REFERENCE_SCREEN = { width: 1280, height: 800 } as const;

/** Without data: the middle of China, zoomed out. */
export const EMPTY_VIEW: DefaultView = { center: [104.2, 35.9], zoom: 3, bounds: null };

/** The zoom at which `bounds` fills `width`×`height` pixels (Web Mercator, MapLibre's 512-px tiles). */
export function zoomToFit(bounds: Bbox, width: number, height: number): number {
  const [x0, y0] = toMercator(bounds[0], bounds[1]);
  const [x1, y1] = toMercator(bounds[2], bounds[3]);
  const perPixel = Math.max((x1 - x0) / width, (y1 - y0) / height);
  if (!(perPixel > 0)) return 16;
  // metresPerPixel counts 256-px tiles: MapLibre's zoom is one less for the same scale.
  const zoom = Math.log2(metresPerPixel(0) / perPixel) - 1;
  return Math.round(Math.min(16, Math.max(0, zoom)) * 100) / 100;
}

export function viewOf(bounds: Bbox | null): DefaultView {
  if (!bounds) return EMPTY_VIEW;
  const center: [number, number] = [round6((bounds[0] + bounds[2]) / 2), round6((bounds[1] + bounds[3]) / 2)];
  return { center, zoom: zoomToFit(bounds, REFERENCE_SCREEN.width, REFERENCE_SCREEN.height), bounds };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export async function loadDefaultView(handle: DbHandle): Promise<DefaultView> {
  const [row] = await handle.rows<{ west: number | null; south: number | null; east: number | null; north: number | null }>(sql`
    WITH e AS (SELECT coalesce((SELECT ST_Extent(geom) FROM regions), (SELECT ST_Extent(geom) FROM grids)) AS box)
    SELECT ST_XMin(box) AS west, ST_YMin(box) AS south, ST_XMax(box) AS east, ST_YMax(box) AS north FROM e`);
  if (!row || row.west == null || row.south == null || row.east == null || row.north == null) return EMPTY_VIEW;
  return viewOf([Number(row.west), Number(row.south), Number(row.east), Number(row.north)]);
}
