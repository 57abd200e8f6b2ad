/**
 * How a layer's geometry column is selected: GeoJSON text in WGS 84 by default;
 * the exporter may project in SQL instead (PostGIS's C PROJ is several times
 * faster than proj4js), and a count passes NULL so no geometry is serialised at all.
 */
import { sql, type SQL } from 'drizzle-orm';

export type GeometryOutput = (column: SQL) => SQL;
export const asGeoJson: GeometryOutput = (column) => sql`ST_AsGeoJSON(${column}, 9)`;
export const projectedGeoJson =
  (srid: number, digits: number): GeometryOutput =>
  (column) =>
    sql`ST_AsGeoJSON(ST_Transform(${column}, ${sql.raw(String(Math.trunc(srid)))}), ${sql.raw(String(Math.trunc(digits)))})`;
export const noGeometry: GeometryOutput = () => sql`NULL`;
/** ISO WKB (little-endian), for formats that store it as is (GeoPackage). */
export const asWkb: GeometryOutput = (column) => sql`ST_AsBinary(${column}, 'NDR')`;
export const projectedWkb =
  (srid: number): GeometryOutput =>
  (column) =>
    asWkb(sql`ST_Transform(${column}, ${sql.raw(String(Math.trunc(srid)))})`);
