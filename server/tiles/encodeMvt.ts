/**
 * Mapbox Vector Tile encoding in Node for geometries already in tile space.
 * Polygon rings are re-wound as the MVT spec wants (exterior: positive area in
 * y-down tile coordinates; holes: negative); degenerate rings are dropped.
 */
import vtpbf from 'vt-pbf';
import type { TileLayer } from './layers';
import { TILE_EXTENT } from '../../kernel/webMercator';

export type TileFeatureRow = { feature_id: number | null; tile_geom: string } & Record<string, unknown>;

type Ring = [number, number][];
interface VtFeature {
  id?: number;
  type: 1 | 2 | 3;
  geometry: Ring[] | [number, number][];
  tags: Record<string, string | number | boolean>;
}

export function encodeTile(layers: { layer: TileLayer; rows: TileFeatureRow[] }[]): Uint8Array {
  const out: Record<string, { features: VtFeature[] }> = {};
  for (const { layer, rows } of layers) {
    const features: VtFeature[] = [];
    for (const row of rows) {
      const geometry = toVtGeometry(JSON.parse(row.tile_geom) as GeoJsonGeometry);
      if (!geometry) continue;
      const tags: VtFeature['tags'] = {};
      for (const p of layer.properties) {
        const v = row[p];
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') tags[p] = v;
      }
      features.push({ ...(row.feature_id != null ? { id: Number(row.feature_id) } : {}), ...geometry, tags });
    }
    if (features.length > 0) out[layer.name] = { features };
  }
  if (Object.keys(out).length === 0) return new Uint8Array(0);
  return vtpbf.fromGeojsonVt(out as never, { version: 2, extent: TILE_EXTENT });
}

type GeoJsonGeometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'MultiPoint'; coordinates: [number, number][] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'MultiLineString'; coordinates: [number, number][][] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] }
  | { type: 'GeometryCollection'; geometries: GeoJsonGeometry[] };

function toVtGeometry(g: GeoJsonGeometry): Pick<VtFeature, 'type' | 'geometry'> | null {
  switch (g.type) {
    case 'Point':
      return { type: 1, geometry: [g.coordinates] };
    case 'MultiPoint':
      return g.coordinates.length ? { type: 1, geometry: g.coordinates } : null;
    case 'LineString':
      return g.coordinates.length >= 2 ? { type: 2, geometry: [g.coordinates] } : null;
    case 'MultiLineString': {
      const lines = g.coordinates.filter((l) => l.length >= 2);
      return lines.length ? { type: 2, geometry: lines } : null;
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      const rings: Ring[] = [];
      for (const polygon of polygons) {
        const [exterior, ...holes] = polygon;
        if (!exterior || Math.abs(signedArea(exterior)) === 0) continue;
        rings.push(wind(exterior, 1));
        for (const hole of holes) if (signedArea(hole) !== 0) rings.push(wind(hole, -1));
      }
      return rings.length ? { type: 3, geometry: rings } : null;
    }
    case 'GeometryCollection': {
      // Clipping can leave mixed parts; keep the polygonal ones, as ST_AsMVTGeom does.
      const parts = g.geometries.map(toVtGeometry).filter((p): p is NonNullable<typeof p> => p?.type === 3);
      return parts.length ? { type: 3, geometry: parts.flatMap((p) => p.geometry as Ring[]) } : null;
    }
  }
}

/** Shoelace sum in tile coordinates (y down): positive for MVT exterior rings. */
export function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x1, y1] = ring[j] as [number, number];
    const [x2, y2] = ring[i] as [number, number];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

function wind(ring: Ring, sign: 1 | -1): Ring {
  return Math.sign(signedArea(ring)) === sign ? ring : [...ring].reverse();
}
