/** GeoJSON FeatureCollection, written feature by feature. */
import type { OutputCrs } from '../crs/projections';
import type { ExportFormat } from './types';
import { encoder } from './types';

/**
 * RFC 7946 GeoJSON is WGS 84 only; for other CRSs we add the (pre-RFC, 2008)
 * `crs` member, which GDAL and QGIS still read. GCJ-02 has no code: its `crs`
 * names it by WKT (GDAL then reports a CRS named "GCJ-02" instead of assuming
 * WGS 84), and a foreign member says so for readers that skip `crs`.
 */
function crsMember(crs: OutputCrs): string {
  if (crs.epsg === 4326) return '';
  if (crs.epsg === null) return `"x_coordinate_system":${JSON.stringify(crs.name)},\n"crs":{"type":"name","properties":{"name":${JSON.stringify(crs.ogcWkt)}}},\n`;
  return `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${crs.epsg}"}},\n`;
}

export const geojsonFormat: ExportFormat = {
  id: 'geojson',
  title: 'GeoJSON',
  extension: 'geojson',
  contentType: 'application/geo+json; charset=utf-8',
  streaming: true,
  rejectCrs: () => null,
  async *write({ layer, crs, batches }) {
    yield encoder.encode(`{"type":"FeatureCollection","name":${JSON.stringify(layer.name)},\n${crsMember(crs)}"features":[\n`);
    let first = true;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      const text = batch.map((f) => JSON.stringify({ type: 'Feature', id: f.id, geometry: f.geometry, properties: f.properties })).join(',\n');
      yield encoder.encode(first ? text : `,\n${text}`);
      first = false;
    }
    yield encoder.encode('\n]}\n');
  },
};
