/**
 * Works out an uploaded file's CRS: from a .prj / GeoPackage WKT (authority
 * code first, then the projection's name and central meridian), a GeoPackage
 * srs organisation code, or a GeoJSON `crs` member. Only the CRSs we can also
 * export are accepted; anything else is a clear 400 rather than a guess.
 */
import { GAUSS_KRUGER_CODES, gaussKrugerCentralMeridian, resolveCrs, type OutputCrs } from '../crs/projections';
import { ImportError } from './importError';

const unsupported = (what: string) =>
  new ImportError(400, '坐标系不受支持', `无法识别或不支持的坐标系：${what}。支持 WGS 84 (4326)、CGCS2000 (4490)、GCJ-02、CGCS2000 3 度带高斯-克吕格 (4534~4554)`, [
    { field: 'crs', reason: `不支持的坐标系：${what.slice(0, 120)}` },
  ]);

export function crsFromEpsg(code: number): OutputCrs {
  const crs = resolveCrs(String(code));
  if (!crs) throw unsupported(`EPSG:${code}`);
  return crs;
}

export function crsFromWkt(wkt: string): OutputCrs {
  const text = wkt.trim();
  if (!text) throw unsupported('空的 .prj');
  if (/GCJ[-_ ]?02/i.test(text)) return resolveCrs('gcj02')!;
  // The outermost AUTHORITY / ID is the last one in WKT1 and WKT2.
  const codes = [...text.matchAll(/(?:AUTHORITY|ID)\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/gi)].map((m) => Number(m[1]));
  const outer = codes.at(-1);
  if (outer !== undefined) return crsFromEpsg(outer);
  const projected = /^\s*(PROJCS|PROJCRS)\b/i.test(text);
  const cgcs = /China[ _]Geodetic[ _]Coordinate[ _]System[ _]2000|China[ _]2000|CGCS[ _]?2000/i.test(text);
  const wgs84 = /WGS[ _]?(19)?84/i.test(text);
  if (!projected) {
    if (cgcs) return resolveCrs('4490')!;
    if (wgs84) return resolveCrs('4326')!;
    throw unsupported(text.slice(0, 80));
  }
  const cm = /central_meridian"\s*,\s*([-\d.]+)/i.exec(text);
  const falseEasting = /false_easting"\s*,\s*([-\d.]+)/i.exec(text);
  if (cgcs && cm && falseEasting && Number(falseEasting[1]) === 500000 && /Gauss|Transverse_Mercator/i.test(text)) {
    const centre = Number(cm[1]);
    for (let code = GAUSS_KRUGER_CODES.first; code <= GAUSS_KRUGER_CODES.last; code++) if (gaussKrugerCentralMeridian(code) === centre) return resolveCrs(String(code))!;
  }
  throw unsupported(text.slice(0, 80));
}

/** GeoJSON: the legacy `crs` member if present, else RFC 7946's WGS 84. */
export function crsFromGeoJson(doc: { crs?: { properties?: { name?: string } }; x_coordinate_system?: unknown }): OutputCrs {
  // GCJ-02 has no EPSG code: our exports name it in the `crs` member (a WKT naming GCJ-02) and in a foreign member.
  if (!doc.crs && typeof doc.x_coordinate_system === 'string' && /GCJ[-_ ]?02/i.test(doc.x_coordinate_system)) return resolveCrs('gcj02')!;
  const name = doc.crs?.properties?.name;
  if (!name) return resolveCrs('4326')!;
  if (/GCJ[-_ ]?02/i.test(name)) return resolveCrs('gcj02')!;
  if (/CRS84$/i.test(name)) return resolveCrs('4326')!;
  const m = /EPSG:{1,2}(\d+)$/i.exec(name);
  if (m) return crsFromEpsg(Number(m[1]));
  throw unsupported(name);
}
