/**
 * KML 2.2: longitude/latitude only (the spec fixes WGS 84), so projected CRSs
 * are refused. GCJ-02 is allowed since Chinese web maps expect it.
 * Attributes go to ExtendedData/SchemaData with a declared Schema. Booleans are
 * written 1/0 (both valid for KML's xsd:boolean): GDAL's LIBKML driver reads a
 * "bool" field as an integer and turns "true" into 0.
 */
import type { FieldType } from '../layers/layer';
import type { ExportFormat } from './types';
import { encoder } from './types';

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch] as string);

const coords = (ring: GeoJSON.Position[]) => ring.map((p) => `${p[0]},${p[1]}`).join(' ');
const polygon = (rings: GeoJSON.Position[][]) =>
  `<Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(rings[0] ?? [])}</coordinates></LinearRing></outerBoundaryIs>${rings
    .slice(1)
    .map((r) => `<innerBoundaryIs><LinearRing><coordinates>${coords(r)}</coordinates></LinearRing></innerBoundaryIs>`)
    .join('')}</Polygon>`;

function geometryXml(g: GeoJSON.Geometry | null): string {
  if (!g) return '';
  switch (g.type) {
    case 'Point':
      return `<Point><coordinates>${g.coordinates[0]},${g.coordinates[1]}</coordinates></Point>`;
    case 'LineString':
      return `<LineString><coordinates>${coords(g.coordinates)}</coordinates></LineString>`;
    case 'Polygon':
      return polygon(g.coordinates);
    case 'MultiPoint':
      return `<MultiGeometry>${g.coordinates.map((p) => `<Point><coordinates>${p[0]},${p[1]}</coordinates></Point>`).join('')}</MultiGeometry>`;
    case 'MultiLineString':
      return `<MultiGeometry>${g.coordinates.map((l) => `<LineString><coordinates>${coords(l)}</coordinates></LineString>`).join('')}</MultiGeometry>`;
    case 'MultiPolygon':
      return `<MultiGeometry>${g.coordinates.map(polygon).join('')}</MultiGeometry>`;
    case 'GeometryCollection':
      return `<MultiGeometry>${g.geometries.map(geometryXml).join('')}</MultiGeometry>`;
  }
}

const KML_TYPES = { text: 'string', integer: 'int', real: 'double', boolean: 'bool', datetime: 'string' } as const;

const simpleValue = (value: string | number | boolean, type: FieldType) => (type === 'boolean' ? (value ? '1' : '0') : escapeXml(String(value)));

export const kmlFormat: ExportFormat = {
  id: 'kml',
  title: 'KML',
  extension: 'kml',
  contentType: 'application/vnd.google-earth.kml+xml; charset=utf-8',
  streaming: true,
  rejectCrs: (crs) => (crs.geographic ? null : 'KML 只能使用经纬度坐标（EPSG:4326 / 4490 / GCJ-02），不支持投影坐标系'),
  async *write({ layer, batches }) {
    const schemaId = `${layer.name}_schema`;
    const fields = layer.fields.map((f) => `<SimpleField name="${escapeXml(f.name)}" type="${KML_TYPES[f.type]}"><displayName>${escapeXml(f.title)}</displayName></SimpleField>`).join('');
    yield encoder.encode(
      `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document id="root"><name>${escapeXml(layer.title)}</name>` +
        `<Schema name="${layer.name}" id="${schemaId}">${fields}</Schema><Folder><name>${escapeXml(layer.name)}</name>\n`,
    );
    const nameField = layer.fields.find((f) => f.name === 'name');
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      const text = batch
        .map((f) => {
          const data = layer.fields
            .filter((fd) => f.properties[fd.name] !== null)
            .map((fd) => `<SimpleData name="${fd.name}">${simpleValue(f.properties[fd.name]!, fd.type)}</SimpleData>`)
            .join('');
          const name = nameField && f.properties.name !== null ? `<name>${escapeXml(String(f.properties.name))}</name>` : '';
          return `<Placemark id="${layer.name}.${f.id}">${name}<ExtendedData><SchemaData schemaUrl="#${schemaId}">${data}</SchemaData></ExtendedData>${geometryXml(f.geometry)}</Placemark>\n`;
        })
        .join('');
      yield encoder.encode(text);
    }
    yield encoder.encode('</Folder></Document></kml>\n');
  },
};
