/**
 * FlatGeobuf without a spatial index (index_node_size 0), which is what makes
 * it streamable: magic bytes, header, then size-prefixed features as they come.
 * Uses the `flatgeobuf` package's feature encoder and flatbuffers tables. The
 * header is built here because the package's buildHeader writes only an EPSG
 * code: GCJ-02 (no code) is declared by name, WKT and a Chinese description, so
 * GDAL reports "GCJ-02" rather than no CRS (which GIS software takes as WGS 84).
 */
import * as flatbuffers from 'flatbuffers';
import type { ColumnMeta } from 'flatgeobuf';
import { Column } from 'flatgeobuf/lib/mjs/flat-geobuf/column.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { Crs } from 'flatgeobuf/lib/mjs/flat-geobuf/crs.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { magicbytes } from 'flatgeobuf/lib/mjs/constants.js';
import { buildFeature } from 'flatgeobuf/lib/mjs/generic/feature.js';
import type { IParsedGeometry } from 'flatgeobuf/lib/mjs/generic/geometry.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { OutputCrs } from '../crs/projections';
import type { FieldType } from '../layers/layer';
import type { ExportFormat } from './types';

const COLUMN_TYPES: Record<FieldType, ColumnType> = {
  text: ColumnType.String,
  integer: ColumnType.Int,
  real: ColumnType.Double,
  boolean: ColumnType.Bool,
  datetime: ColumnType.DateTime,
};

const GEOMETRY_TYPES = { MultiPolygon: GeometryType.MultiPolygon, Point: GeometryType.Point, MultiLineString: GeometryType.MultiLineString } as const;

function column(name: string, type: ColumnType): ColumnMeta {
  return { name, type, title: null, description: null, width: -1, precision: -1, scale: -1, nullable: true, unique: false, primary_key: false };
}

/** Flat xy plus ring ends (in vertices), the layout FlatGeobuf stores. */
function flatRings(rings: GeoJSON.Position[][], type: GeometryType): IParsedGeometry {
  const xy: number[] = [];
  const ends: number[] = [];
  for (const ring of rings) {
    for (const p of ring) xy.push(p[0] as number, p[1] as number);
    ends.push(xy.length / 2);
  }
  return single({ xy, ends: ends.length > 1 ? ends : [], type });
}

/** buildGeometry treats any `parts` array (even empty) as a multi-part geometry, so single parts must not have one. */
const single = (g: Omit<IParsedGeometry, 'parts'>) => g as IParsedGeometry;

function parsed(g: GeoJSON.Geometry): IParsedGeometry {
  switch (g.type) {
    case 'Point':
      return single({ xy: [g.coordinates[0] as number, g.coordinates[1] as number], ends: [], type: GeometryType.Point });
    case 'MultiLineString':
      return flatRings(g.coordinates, GeometryType.MultiLineString);
    case 'Polygon':
      return flatRings(g.coordinates, GeometryType.Polygon);
    case 'MultiPolygon':
      return { xy: [], ends: [], parts: g.coordinates.map((p) => flatRings(p, GeometryType.Polygon)), type: GeometryType.MultiPolygon };
    default:
      throw new Error(`FlatGeobuf export does not handle ${g.type}`);
  }
}

/** The header as the package's buildHeader writes it (layer name L1, no index), plus the CRS in full and the title. */
function buildHeader(header: HeaderMeta, crs: OutputCrs): Uint8Array {
  const builder = new flatbuffers.Builder();
  const columns = Header.createColumnsVector(
    builder,
    (header.columns ?? []).map((c) => {
      const name = builder.createString(c.name);
      Column.startColumn(builder);
      Column.addName(builder, name);
      Column.addType(builder, c.type);
      return Column.endColumn(builder);
    }),
  );
  const name = builder.createString('L1');
  const title = header.title ? builder.createString(header.title) : 0;
  const description = header.description ? builder.createString(header.description) : 0;
  let crsOffset: flatbuffers.Offset;
  if (crs.epsg) {
    Crs.startCrs(builder);
    Crs.addCode(builder, crs.epsg);
    crsOffset = Crs.endCrs(builder);
  } else {
    const crsName = builder.createString(crs.name);
    const crsDescription = crs.warning ? builder.createString(crs.warning) : 0;
    const wkt = builder.createString(crs.ogcWkt);
    Crs.startCrs(builder);
    Crs.addName(builder, crsName);
    if (crsDescription) Crs.addDescription(builder, crsDescription);
    Crs.addWkt(builder, wkt);
    crsOffset = Crs.endCrs(builder);
  }
  Header.startHeader(builder);
  Header.addCrs(builder, crsOffset);
  Header.addFeaturesCount(builder, BigInt(header.featuresCount));
  Header.addGeometryType(builder, header.geometryType);
  Header.addIndexNodeSize(builder, 0);
  Header.addColumns(builder, columns);
  Header.addName(builder, name);
  if (title) Header.addTitle(builder, title);
  if (description) Header.addDescription(builder, description);
  builder.finishSizePrefixed(Header.endHeader(builder));
  return builder.asUint8Array();
}

export const flatgeobufFormat: ExportFormat = {
  id: 'fgb',
  title: 'FlatGeobuf',
  extension: 'fgb',
  contentType: 'application/flatgeobuf',
  streaming: true,
  // GCJ-02 has no EPSG code: declared by name and WKT (see buildHeader).
  rejectCrs: () => null,
  async *write({ layer, crs, batches }) {
    const header: HeaderMeta = {
      geometryType: GEOMETRY_TYPES[layer.geometryType],
      columns: layer.fields.map((f) => column(f.name, COLUMN_TYPES[f.type])),
      envelope: null,
      // 0 = unknown: a count taken before streaming could disagree with a concurrent edit.
      featuresCount: 0,
      indexNodeSize: 0,
      crs: null,
      title: layer.title,
      description: crs.warning ?? null,
      metadata: null,
    };
    const headerBytes = buildHeader(header, crs);
    const start = new Uint8Array(magicbytes.length + headerBytes.length);
    start.set(magicbytes);
    start.set(headerBytes, magicbytes.length);
    yield start;
    for await (const batch of batches) {
      const parts = batch.filter((f) => f.geometry).map((f) => buildFeature(parsed(f.geometry!), f.properties, header));
      const size = parts.reduce((n, p) => n + p.length, 0);
      const chunk = new Uint8Array(size);
      let offset = 0;
      for (const p of parts) {
        chunk.set(p, offset);
        offset += p.length;
      }
      yield chunk;
    }
  },
};
