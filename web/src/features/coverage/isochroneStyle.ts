/**
 * How 15-minute circles look: a colour per centre level (市/县区/街道/社区/小区),
 * fainter for longer walks so nested 5/10/15-minute rings read as bands, and
 * the straight-line fallback drawn with a dashed outline and a label.
 */
export type CentreLevelKey = 'city' | 'district' | 'street' | 'community' | 'estate';
export type Rgba = [number, number, number, number];

export const LEVEL_COLOURS: Record<CentreLevelKey, [number, number, number]> = {
  city: [214, 39, 40], // 党建红
  district: [242, 142, 43],
  street: [237, 201, 72],
  community: [89, 194, 122],
  estate: [78, 155, 214],
};

export const LEVEL_NAMES: Record<CentreLevelKey, string> = { city: '市级', district: '县区级', street: '街道级', community: '社区级', estate: '小区级' };

const FALLBACK_RGB: [number, number, number] = [138, 148, 166];

export function levelRgb(level: string): [number, number, number] {
  return LEVEL_COLOURS[level as CentreLevelKey] ?? FALLBACK_RGB;
}

/** Fill: 5 minutes strongest, 15 minutes faintest (alpha 0–255). */
export function isochroneFill(level: string, minutes: number): Rgba {
  const alpha = Math.round(Math.max(28, Math.min(110, 130 - minutes * 6)));
  return [...levelRgb(level), alpha];
}

export function isochroneOutline(level: string): Rgba {
  return [...levelRgb(level), 220];
}

/** Label for circles drawn without a road network. */
export const BUFFER_LABEL = '直线距离估算（附近无路网）';

type Position = [number, number];
/** GeoJSON positions (as the server sends them) reduced to longitude and latitude. */
const xy = (p: GeoJSON.Position): Position => [p[0]!, p[1]!];

/** Metres per degree (longitude shrinks with latitude); plenty for dash lengths on screen. */
function metresPerDegree(lat: number): { lon: number; lat: number } {
  return { lon: 111_320 * Math.cos((lat * Math.PI) / 180), lat: 110_574 };
}

/**
 * Cuts a ring into dashes `dashM` long with `gapM` gaps (deck.gl core has no
 * dashed lines without the extensions package, so the dashes are geometry).
 */
export function dashedRing(ring: readonly GeoJSON.Position[], dashM: number, gapM: number): Position[][] {
  const dashes: Position[][] = [];
  if (ring.length < 2) return dashes;
  let drawing = true;
  let left = dashM;
  let current: Position[] = [xy(ring[0]!)];
  for (let k = 1; k < ring.length; k++) {
    let [x0, y0] = xy(ring[k - 1]!);
    const [x1, y1] = xy(ring[k]!);
    const m = metresPerDegree((y0 + y1) / 2);
    let segment = Math.hypot((x1 - x0) * m.lon, (y1 - y0) * m.lat);
    while (segment > 1e-9) {
      const step = Math.min(left, segment);
      const t = step / segment;
      const x = x0 + (x1 - x0) * t;
      const y = y0 + (y1 - y0) * t;
      if (drawing) current.push([x, y]);
      segment -= step;
      left -= step;
      x0 = x;
      y0 = y;
      if (left <= 1e-9) {
        if (drawing) dashes.push(current);
        drawing = !drawing;
        left = drawing ? dashM : gapM;
        current = [[x, y]];
      }
    }
  }
  if (drawing && current.length > 1) dashes.push(current);
  return dashes;
}

/** Where to put a polygon's label: its northernmost vertex (clear of the centre marker). */
export function northernmost(rings: readonly (readonly GeoJSON.Position[])[]): Position | null {
  let best: Position | null = null;
  for (const ring of rings) for (const p of ring) if (!best || p[1]! > best[1]) best = xy(p);
  return best;
}
