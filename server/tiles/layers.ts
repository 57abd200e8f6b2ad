/**
 * Vector tile layers: what each tile set contains, as SQL over WGS84 tables.
 * A layer's `source` selects its rows inside the tile's WGS84 bbox; the tile
 * renderers (ST_AsMVT on PostGIS, Node encoding on the embedded engine) share it.
 */
import { sql, type SQL } from 'drizzle-orm';

export interface TileLayer {
  name: string;
  minZoom: number;
  /** Integer column used as the MVT feature id (MapLibre feature-state needs one). */
  idColumn?: string;
  /** Attribute columns as named in `source`, in tile order. */
  properties: readonly string[];
  /** Rows with a `geom` column (EPSG:4326) inside `bbox` (an EPSG:4326 polygon). */
  source: (bbox: SQL, z: number) => SQL;
}

export const gridsLayer: TileLayer = {
  name: 'grids',
  minZoom: 10,
  idColumn: 'id',
  properties: ['code', 'name', 'street', 'community', 'stars', 'hh'],
  source: (bbox) => sql`
    SELECT id, code, name, street_code AS street, community_code AS community,
           star_rating AS stars, households AS hh, geom
    FROM grids WHERE geom && ${bbox}`,
};

const roadsLayer: TileLayer = {
  name: 'roads',
  minZoom: 8,
  properties: ['class', 'name'],
  // Only arterials below z13: minor streets would be noise at city scale.
  source: (bbox, z) => sql`
    SELECT road_class AS class, coalesce(name, '') AS name, geom
    FROM road_edges WHERE geom && ${bbox} AND (${z} >= 13 OR road_class = 'arterial')`,
};

const regionsLayer: TileLayer = {
  name: 'regions',
  minZoom: 0,
  properties: ['code', 'name', 'level'],
  source: (bbox, z) => sql`
    SELECT code, name, level::text AS level, geom
    FROM regions WHERE geom && ${bbox} AND (level <> 'community' OR ${z} >= 11)`,
};

/** Tile sets served under /tiles/{set}/{z}/{x}/{y}.mvt */
export const TILE_SETS = {
  grids: [gridsLayer],
  /** The offline basemap, built from our own data. */
  base: [regionsLayer, roadsLayer],
} as const satisfies Record<string, readonly TileLayer[]>;

export type TileSetName = keyof typeof TILE_SETS;
