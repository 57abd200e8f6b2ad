/**
 * A polygon in one table cell — WKT (POLYGON/MULTIPOLYGON, WGS84) or a GeoJSON Polygon,
 * MultiPolygon or Feature — read into GeoJSON MultiPolygon coordinates with the reasons a
 * user can act on (not closed, too few points, outside lon/lat). Parsed here, not by
 * PostGIS, so one bad cell cannot abort the import's transaction; validity and
 * containment are checked in SQL afterwards.
 */

export type Ring = [number, number][];
export type MultiPolygonCoords = Ring[][];

function checkRings(polygons: MultiPolygonCoords): string | null {
  if (polygons.length === 0) return '多边形为空';
  for (const polygon of polygons) {
    if (polygon.length === 0) return '多边形没有边界环';
    for (const ring of polygon) {
      if (ring.length < 4) return '每个环至少需要 4 个点（首尾相同）';
      for (const [x, y] of ring) {
        if (!Number.isFinite(x) || !Number.isFinite(y)) return '坐标应为数字';
        if (x < -180 || x > 180 || y < -90 || y > 90) return `坐标 ${x} ${y} 超出经纬度范围（应为 WGS84 经度、纬度）`;
      }
      const [a, b] = [ring[0]!, ring.at(-1)!];
      if (a[0] !== b[0] || a[1] !== b[1]) return '环未闭合：首点与末点应相同';
    }
  }
  return null;
}

function parseWkt(text: string): MultiPolygonCoords | string {
  const m = /^\s*(MULTIPOLYGON|POLYGON)\s*(Z|M|ZM)?\s*(\(.*\))\s*$/is.exec(text);
  if (!m) return 'WKT 应为 POLYGON(...) 或 MULTIPOLYGON(...)';
  let nested: unknown;
  try {
    const json = m[3]!
      .replace(/\(/g, '[')
      .replace(/\)/g, ']')
      .replace(/(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)(\s+-?[\d.eE+-]+)*/g, '[$1,$2]');
    nested = JSON.parse(json);
  } catch {
    return 'WKT 格式错误：括号或坐标不完整';
  }
  const coords = (m[1]!.toUpperCase() === 'POLYGON' ? [nested] : nested) as MultiPolygonCoords;
  return Array.isArray(coords) ? coords : 'WKT 格式错误';
}

function parseGeoJson(text: string): MultiPolygonCoords | string {
  let value: { type?: string; coordinates?: unknown; geometry?: unknown };
  try {
    value = JSON.parse(text);
  } catch {
    return 'GeoJSON 格式错误：不是有效的 JSON';
  }
  if (value?.type === 'Feature') value = (value.geometry ?? {}) as typeof value;
  if (value?.type === 'Polygon') return [value.coordinates] as MultiPolygonCoords;
  if (value?.type === 'MultiPolygon') return value.coordinates as MultiPolygonCoords;
  return `GeoJSON 几何类型应为 Polygon 或 MultiPolygon，实际为 ${value?.type ?? '无'}`;
}

/** The cell's polygon, or why it is refused. */
export function polygonCell(text: string): { coords: MultiPolygonCoords } | { reason: string } {
  const t = text.trim();
  const parsed = t.startsWith('{') ? parseGeoJson(t) : parseWkt(t);
  if (typeof parsed === 'string') return { reason: parsed };
  if (!Array.isArray(parsed) || !parsed.every((p) => Array.isArray(p) && p.every((r) => Array.isArray(r) && r.every((c) => Array.isArray(c) && c.length >= 2)))) return { reason: '坐标结构不正确' };
  const coords = parsed.map((p) => p.map((r) => r.map((c) => [Number(c[0]), Number(c[1])] as [number, number])));
  const problem = checkRings(coords);
  return problem ? { reason: problem } : { coords };
}

/** A square of `sideM` metres around a point (the lon/lat fallback when a file has no outline). */
export function squareAround(lon: number, lat: number, sideM: number): MultiPolygonCoords {
  const dy = sideM / 2 / 111_320;
  const dx = dy / Math.cos((lat * Math.PI) / 180);
  return [
    [
      [
        [lon - dx, lat - dy],
        [lon + dx, lat - dy],
        [lon + dx, lat + dy],
        [lon - dx, lat + dy],
        [lon - dx, lat - dy],
      ],
    ],
  ];
}
