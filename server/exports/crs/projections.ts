/**
 * Output/input coordinate systems. Geometries are stored in WGS84; exports
 * transform vertex by vertex in Node so both engines give identical files.
 *
 *  - 4326 WGS 84 and 4490 CGCS2000: both geocentric datums agree to a few
 *    centimetres (GDAL also treats 4326↔4490 as a null transformation), so
 *    coordinates are copied and only the declared CRS changes.
 *  - 4534–4554 CGCS2000 / 3-degree Gauss-Kruger CM 75E…135E (no zone prefix
 *    in the easting): transverse Mercator via proj4. Yulin is in 4546 (CM 111E).
 *  - gcj02: the Chinese offset (see gcj02.ts); it has no EPSG code, so files
 *    declare a WGS 84-based CRS named "GCJ-02" without an authority code.
 *
 * Every format writes x = easting/longitude, y = northing/latitude (the
 * "traditional GIS order" GDAL uses for Shapefile, GeoPackage, GeoJSON, FlatGeobuf).
 */
import proj4 from 'proj4';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../../kernel/gcj02';

export type Transform = (x: number, y: number) => [number, number];

export interface OutputCrs {
  /** The request parameter value: '4326', '4490', '4546', 'gcj02'. */
  id: string;
  /** EPSG code, or null for GCJ-02. */
  epsg: number | null;
  name: string;
  geographic: boolean;
  /** ESRI-flavoured WKT1 for Shapefile .prj (what GDAL writes and recognises). */
  esriWkt: string;
  /** OGC WKT1 with authority codes for GeoPackage gpkg_spatial_ref_sys. */
  ogcWkt: string;
  /** WGS84 lon/lat → this CRS. */
  forward: Transform;
  /** This CRS → WGS84 lon/lat. */
  inverse: Transform;
  /** Decimal places worth writing: ~0.1 mm either way. */
  decimals: number;
  /** Chinese warning for whoever exports in this CRS (the export dialog shows it; FlatGeobuf carries it as its description). */
  warning?: string;
}

const identity: Transform = (x, y) => [x, y];

const CGCS2000_GEOGCS_OGC =
  'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]';
const CGCS2000_GEOGCS_ESRI = 'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const WGS84_DATUM_OGC =
  'DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]';
const WGS84_ESRI = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const WGS84: OutputCrs = {
  id: '4326',
  epsg: 4326,
  name: 'WGS 84',
  geographic: true,
  esriWkt: WGS84_ESRI,
  ogcWkt: `GEOGCS["WGS 84",${WGS84_DATUM_OGC},AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`,
  forward: identity,
  inverse: identity,
  decimals: 9,
};

const CGCS2000: OutputCrs = {
  id: '4490',
  epsg: 4490,
  name: 'China Geodetic Coordinate System 2000',
  geographic: true,
  esriWkt: CGCS2000_GEOGCS_ESRI,
  ogcWkt: `${CGCS2000_GEOGCS_OGC},AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]`,
  forward: identity,
  inverse: identity,
  decimals: 9,
};

/** Named "GCJ-02" and deliberately without an authority code: it is not WGS 84 even though it is built on it. */
const GCJ02: OutputCrs = {
  id: 'gcj02',
  epsg: null,
  name: 'GCJ-02',
  geographic: true,
  esriWkt: `GEOGCS["GCJ-02",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`,
  ogcWkt: `GEOGCS["GCJ-02",${WGS84_DATUM_OGC}]`,
  forward: wgs84ToGcj02,
  inverse: gcj02ToWgs84,
  decimals: 9,
  warning: 'GCJ-02 是加偏坐标，与 WGS 84 / CGCS2000 相差数百米（玉林城区约 556 米）。文件已标注坐标系为 GCJ-02，但 GIS 软件可能仍按 WGS 84 显示；与其他数据叠加分析请改用 EPSG:4326 或 4490。',
};

export const GAUSS_KRUGER_CODES = { first: 4534, last: 4554 } as const;

/** EPSG:4534 is CM 75E; each following code moves 3° east, up to 4554 = CM 135E. */
export function gaussKrugerCentralMeridian(epsg: number): number {
  return 75 + 3 * (epsg - GAUSS_KRUGER_CODES.first);
}

function gaussKruger(epsg: number): OutputCrs {
  const cm = gaussKrugerCentralMeridian(epsg);
  const def = `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs`;
  const converter = proj4('EPSG:4326', def);
  const params = (esri: boolean) =>
    esri
      ? `PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0]`
      : `PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",${cm}],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0]`;
  return {
    id: String(epsg),
    epsg,
    name: `CGCS2000 / 3-degree Gauss-Kruger CM ${cm}E`,
    geographic: false,
    esriWkt: `PROJCS["CGCS2000_3_Degree_GK_CM_${cm}E",${CGCS2000_GEOGCS_ESRI},PROJECTION["Gauss_Kruger"],${params(true)},UNIT["Meter",1.0]]`,
    ogcWkt: `PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM ${cm}E",${CGCS2000_GEOGCS_OGC},AUTHORITY["EPSG","4490"]],PROJECTION["Transverse_Mercator"],${params(false)},UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","${epsg}"]]`,
    forward: (x, y) => converter.forward([x, y]) as [number, number],
    inverse: (x, y) => converter.inverse([x, y]) as [number, number],
    decimals: 4,
  };
}

/** Every CRS id the API accepts, in the order the UI lists them. */
export const CRS_IDS: readonly string[] = ['4326', '4490', 'gcj02', ...Array.from({ length: GAUSS_KRUGER_CODES.last - GAUSS_KRUGER_CODES.first + 1 }, (_, i) => String(GAUSS_KRUGER_CODES.first + i))];

const cache = new Map<string, OutputCrs>();

/** Accepts '4326', 'EPSG:4326', 'gcj02', 'GCJ-02'; null for anything unsupported. */
export function resolveCrs(value: string): OutputCrs | null {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/^epsg:/, '')
    .replace('gcj-02', 'gcj02');
  const cached = cache.get(key);
  if (cached) return cached;
  let crs: OutputCrs | null = null;
  if (key === '4326') crs = WGS84;
  else if (key === '4490') crs = CGCS2000;
  else if (key === 'gcj02') crs = GCJ02;
  else if (/^\d{4}$/.test(key) && Number(key) >= GAUSS_KRUGER_CODES.first && Number(key) <= GAUSS_KRUGER_CODES.last) crs = gaussKruger(Number(key));
  if (crs) cache.set(key, crs);
  return crs;
}

export function crsOrThrow(value: string): OutputCrs {
  const crs = resolveCrs(value);
  if (!crs) throw new Error(`unsupported CRS ${value}`);
  return crs;
}

/** Applies a point transform to every vertex of a GeoJSON geometry (new object; input untouched). */
export function transformGeometry(geometry: GeoJSON.Geometry, transform: Transform): GeoJSON.Geometry {
  const pos = (p: GeoJSON.Position): GeoJSON.Position => transform(p[0] as number, p[1] as number);
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: pos(geometry.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: geometry.coordinates.map(pos) };
    case 'LineString':
      return { type: 'LineString', coordinates: geometry.coordinates.map(pos) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: geometry.coordinates.map((l) => l.map(pos)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(pos)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(pos))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => transformGeometry(g, transform)) };
  }
}
