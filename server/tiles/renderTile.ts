/**
 * Renders one vector tile. PostGIS builds it with ST_AsMVT; the embedded engine
 * (no protobuf in the WASM build) returns geometries already in tile space and
 * Node encodes them. Both follow ST_AsMVTGeom: clip with a buffer, snap to the
 * 4096 grid, drop what collapses.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { encodeTile, type TileFeatureRow } from './encodeMvt';
import { shownAt, type TileContext, type TileLayer } from './layers';
import { tileContextOf } from './generalise';
import { tileBounds, TILE_BUFFER, TILE_EXTENT } from '../../kernel/webMercator';

export async function renderTile(handle: DbHandle, layers: readonly TileLayer[], z: number, x: number, y: number, ctx: TileContext = tileContextOf(handle)): Promise<Uint8Array> {
  const active = activeLayers(layers, z, ctx);
  if (active.length === 0) return new Uint8Array(0);
  if (handle.capabilities.mvt) {
    const [row] = await handle.rows<{ mvt: Uint8Array | null }>(postgisTileQuery(active, z, x, y, ctx));
    // pg hands bytea over as a Buffer (a Uint8Array): served as is, no copy.
    return row?.mvt ?? new Uint8Array(0);
  }
  const rowsByLayer = await Promise.all(active.map((layer) => handle.rows<TileFeatureRow>(tileSpaceQuery(layer, z, x, y))));
  return encodeTile(active.map((layer, i) => ({ layer, rows: rowsByLayer[i] as TileFeatureRow[] })));
}

/** The layers a tile at zoom z contains. */
export const activeLayers = (layers: readonly TileLayer[], z: number, ctx: TileContext) => layers.filter((l) => shownAt(l, z, ctx));

/** The tile's WGS84 search box, widened by the buffer, for the layers' spatial index filter. */
export function tileSearchBox(z: number, x: number, y: number): SQL {
  return sql`ST_Transform(ST_TileEnvelope(${z}, ${x}, ${y}, margin => ${TILE_BUFFER / TILE_EXTENT}), 4326)`;
}

/** One ST_AsMVT per layer, concatenated (a tile is the concatenation of its layers). */
export function postgisTileQuery(layers: readonly TileLayer[], z: number, x: number, y: number, ctx: TileContext): SQL {
  const parts = activeLayers(layers, z, ctx).map((layer) => {
    const props = sql.raw(layer.properties.map((p) => `src."${p}"`).join(', '));
    const id = layer.idColumn ? sql.raw(`, src."${layer.idColumn}"`) : sql``;
    const idArg = layer.idColumn ? sql.raw(`, '${layer.idColumn}'`) : sql``;
    return sql`(SELECT coalesce(ST_AsMVT(t, ${layer.name}, ${TILE_EXTENT}, 'geom'${idArg}), ''::bytea) FROM (
      SELECT ${props}${id}, ST_AsMVTGeom(ST_Transform(src.geom, 3857), ST_TileEnvelope(${z}, ${x}, ${y}), ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
      FROM (${layer.source(tileSearchBox(z, x, y), z)}) src
    ) t WHERE t.geom IS NOT NULL)`;
  });
  if (parts.length === 0) return sql`SELECT ''::bytea AS mvt`;
  return sql`SELECT ${sql.join(parts, sql` || `)} AS mvt`;
}

/**
 * Geometries mapped to integer tile coordinates (y down), as GeoJSON text. Polygons are
 * made valid on the integer grid as ST_AsMVTGeom does: snapping alone (ST_SnapToGrid)
 * folds low-zoom rings into self-intersections and spikes, so they are repaired
 * (ST_MakeValid, polygonal parts only) and snap-rounded with ST_ReducePrecision, whose
 * output is valid. ST_ReducePrecision only ever sees valid polygons: the WASM engine
 * answers no rows at all when GEOS fails on one.
 */
function tileSpaceQuery(layer: TileLayer, z: number, x: number, y: number): SQL {
  const b = tileBounds(z, x, y);
  const scale = TILE_EXTENT / (b.xmax - b.xmin);
  const margin = (TILE_BUFFER / TILE_EXTENT) * (b.xmax - b.xmin);
  const props = sql.raw(layer.properties.map((p) => `src."${p}"`).join(', '));
  const id = layer.idColumn ? sql.raw(`src."${layer.idColumn}" AS feature_id, `) : sql`NULL::int AS feature_id, `;
  return sql`
    SELECT * FROM (
      SELECT feature_id, ${sql.raw(layer.properties.map((p) => `"${p}"`).join(', '))}, ST_AsGeoJSON(CASE WHEN ST_Dimension(t) = 2
               THEN ST_ReducePrecision(ST_CollectionExtract(CASE WHEN ST_IsValid(t) THEN t ELSE ST_MakeValid(t) END, 3), 1)
               ELSE ST_SnapToGrid(t, 1) END, 0) AS tile_geom
      FROM (
        SELECT ${id}${props}, ST_Affine(
                 ST_ClipByBox2D(ST_Transform(src.geom, 3857), ST_MakeEnvelope(${b.xmin - margin}, ${b.ymin - margin}, ${b.xmax + margin}, ${b.ymax + margin}, 3857)),
                 ${scale}, 0, 0, ${-scale}, ${-b.xmin * scale}, ${b.ymax * scale}) AS t
        FROM (${layer.source(tileSearchBox(z, x, y), z)}) src
      ) a
    ) q WHERE tile_geom IS NOT NULL AND tile_geom NOT LIKE '%"coordinates":[]%'`;
}
