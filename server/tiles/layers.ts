/**
 * Vector tile layers: what each tile set contains, as SQL over WGS84 tables.
 * A layer's `source` selects its rows inside the tile's WGS84 bbox; the tile
 * renderers (ST_AsMVT on PostGIS, Node encoding on the embedded engine) share it.
 * Below the zoom where single grids are legible the grid set serves generalised
 * areas instead (community, then street outlines: server/tiles/generalise.ts), in
 * their own layer `grid_areas` with the grids' colouring attributes (street, stars, hh).
 */
import { sql, type SQL } from 'drizzle-orm';

/** What a dataset decides about its tiles: the zoom from which single grids are legible. */
export interface TileContext {
  detailZoom: number;
}

/** A zoom bound, fixed or following the dataset (TileContext). */
export type ZoomBound = number | ((ctx: TileContext) => number);

export interface TileLayer {
  name: string;
  minZoom: ZoomBound;
  /** Last zoom served (inclusive); unset: every zoom from minZoom. */
  maxZoom?: ZoomBound;
  /**
   * Which extents of a grid write make this layer's tiles stale (server/grids/gridWrites.ts):
   * the changed grids' own ('grid') or the communities'/streets' whose figures changed.
   * Unset: the layer does not follow grid writes.
   */
  changesWith?: 'grid' | 'community' | 'street';
  /** Integer column used as the MVT feature id (MapLibre feature-state needs one). */
  idColumn?: string;
  /** Attribute columns as named in `source`, in tile order. */
  properties: readonly string[];
  /** Rows with a `geom` column (EPSG:4326) inside `bbox` (an EPSG:4326 polygon). */
  source: (bbox: SQL, z: number) => SQL;
}

/**
 * First zoom with single grids unless the dataset says otherwise: where a median grid spans
 * GRID_LEGIBLE_PX screen pixels (detailZoomFor in ./generalise.ts; 13 at 30,000 grids, 14 at
 * 300,000). Below it the generalised areas.
 */
export const GRID_DETAIL_ZOOM = 13;
/** First zoom with community areas; below it (down to AREA_MIN_ZOOM) street areas. */
export const COMMUNITY_AREA_ZOOM = 10;
export const AREA_MIN_ZOOM = 8;

export const gridsLayer: TileLayer = {
  name: 'grids',
  minZoom: (ctx) => ctx.detailZoom,
  idColumn: 'id',
  changesWith: 'grid',
  properties: ['code', 'name', 'street', 'community', 'stars', 'hh'],
  source: (bbox) => sql`
    SELECT id, code, name, street_code AS street, community_code AS community,
           star_rating AS stars, households AS hh, geom
    FROM grids WHERE geom && ${bbox}`,
};

/** Generalised areas of one level; `street`/`community` carry the codes the grid colour expressions match on. */
const areaLayer = (level: 'community' | 'street', minZoom: ZoomBound, maxZoom: ZoomBound): TileLayer => ({
  name: 'grid_areas',
  minZoom,
  maxZoom,
  idColumn: 'id',
  changesWith: level,
  properties: ['code', 'name', 'level', 'street', 'community', 'stars', 'hh', 'grids'],
  source: (bbox) => sql`
    SELECT a.code::bigint AS id, a.code, coalesce(r.name, '') AS name, a.level, a.street_code AS street,
           ${level === 'community' ? sql`a.code` : sql`''`} AS community, a.star_rating AS stars, a.households AS hh, a.grids, a.geom
    FROM grid_areas a LEFT JOIN regions r ON r.code = a.code
    WHERE a.level = ${level} AND a.geom && ${bbox}`,
});

export const communityAreasLayer = areaLayer('community', COMMUNITY_AREA_ZOOM, (ctx) => ctx.detailZoom - 1);
export const streetAreasLayer = areaLayer('street', AREA_MIN_ZOOM, COMMUNITY_AREA_ZOOM - 1);

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

/** First zoom of 微网格: two zooms past single base grids (a few buildings each), never below 15. */
export const microGridZoom = (ctx: TileContext) => Math.max(15, ctx.detailZoom + 2);

/** 微网格 inside the grid set, at high zoom only; writes announce their extent like grid writes. */
export const microGridsLayer: TileLayer = {
  name: 'micro_grids',
  minZoom: microGridZoom,
  idColumn: 'id',
  changesWith: 'grid',
  properties: ['code', 'name', 'parent', 'community', 'hh'],
  source: (bbox) => sql`
    SELECT id, code, name, parent_grid_code AS parent, community_code AS community, households AS hh, geom
    FROM sub_grids WHERE level = 'micro' AND geom && ${bbox}`,
};

/** 专属网格: their own tile set, coloured by kind. */
export const exclusiveGridsLayer: TileLayer = {
  name: 'exclusive_grids',
  minZoom: 11,
  idColumn: 'id',
  changesWith: 'grid',
  properties: ['code', 'name', 'kind', 'community'],
  source: (bbox) => sql`
    SELECT id, code, name, kind, community_code AS community, geom
    FROM sub_grids WHERE level = 'exclusive' AND geom && ${bbox}`,
};

/** Foreign networks (多网融合), every network in one layer with its id. */
export const foreignGridsLayer: TileLayer = {
  name: 'foreign_grids',
  minZoom: 10,
  idColumn: 'id',
  changesWith: 'grid',
  properties: ['code', 'name', 'network'],
  source: (bbox) => sql`SELECT id, code, name, network_id AS network, geom FROM foreign_grids WHERE geom && ${bbox}`,
};

const bound = (b: ZoomBound | undefined, ctx: TileContext, fallback: number) => (b === undefined ? fallback : typeof b === 'number' ? b : b(ctx));

/** Whether the layer is part of tiles at zoom z. */
export const shownAt = (layer: TileLayer, z: number, ctx: TileContext) => z >= bound(layer.minZoom, ctx, 0) && z <= bound(layer.maxZoom, ctx, Infinity);

/** Tile sets served under /tiles/{set}/{z}/{x}/{y}.mvt */
export const TILE_SETS = {
  /** Grids from GRID_DETAIL_ZOOM, generalised areas below (layer `grid_areas`). */
  grids: [streetAreasLayer, communityAreasLayer, gridsLayer, microGridsLayer],
  /** 专属网格 (schools, hospitals, parks, business buildings, markets). */
  exclusive: [exclusiveGridsLayer],
  /** Other departments' grid networks (多网融合). */
  foreign: [foreignGridsLayer],
  /** The offline basemap, built from our own data. */
  base: [regionsLayer, roadsLayer],
} as const satisfies Record<string, readonly TileLayer[]>;

export type TileSetName = keyof typeof TILE_SETS;
