/** GeoJSON FeatureCollection, written feature by feature. */
import type { ExportFormat } from './types';
import { encoder } from './types';

/**
 * RFC 7946 GeoJSON is WGS 84 only; for other CRSs we add the (pre-RFC, 2008)
 * `crs` member, which GDAL and QGIS still read. GCJ-02 has no code: it is
 * flagged in a foreign member instead.
 */
function crsMember(epsg: number | null, name: string): string {
  if (epsg === 4326) return '';
  if (epsg === null) return `"x_coordinate_system":${JSON.stringify(name)},\n`;
  return `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${epsg}"}},\n`;
}

export const geojsonFormat: ExportFormat = {
  id: 'geojson',
  title: 'GeoJSON',
  extension: 'geojson',
  contentType: 'application/geo+json; charset=utf-8',
  streaming: true,
  rejectCrs: () => null,
  async *write({ layer, crs, batches }) {
    yield encoder.encode(`{"type":"FeatureCollection","name":${JSON.stringify(layer.name)},\n${crsMember(crs.epsg, crs.name)}"features":[\n`);
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
