/**
 * What an export layer is: its fields (with the ≤10-character Shapefile/DBF name
 * for each — the documented mapping served at GET /api/exports/layers) and one
 * SQL function that selects its rows for a region/time filter, one keyset page
 * at a time. Every format, the API, the CLI and the UI work from this contract.
 */
import type { SQL } from 'drizzle-orm';
import type { DbHandle } from '../../../db/client';
import type { SessionUser } from '../../../kernel/roles';
import type { GeometryOutput } from './geometryOutput';

export type FieldType = 'text' | 'integer' | 'real' | 'boolean' | 'datetime';
export type FieldValue = string | number | boolean | null;

export interface ExportField {
  /** Property name in GeoJSON, GeoPackage, CSV, KML and FlatGeobuf; also the SQL column alias. */
  name: string;
  /** DBF field name (ASCII, ≤ 10 characters) used in Shapefile exports. */
  dbf: string;
  /** Chinese label for the UI and the mapping table. */
  title: string;
  type: FieldType;
  /** DBF width in bytes for text (UTF-8: a Chinese character takes 3). */
  width?: number;
}

export interface ExportFilter {
  /** Region code prefix (2–15 digits): district, street, community or grid code. */
  region?: string;
  /** Incident report time window [from, to). */
  from?: Date;
  to?: Date;
  /**
   * Who the file is for: layers with personal data withhold it row by row as that
   * reader's own read would (server/auth/personalData.ts). Absent only for operator
   * tools on the server itself (the export CLI), which read the database anyway.
   */
  reader?: SessionUser | null;
}

/** Keyset page: rows with key > after, in key order, at most `limit`. */
export interface Page {
  after: number | null;
  limit: number;
}

export type ExportGeometryType = 'MultiPolygon' | 'Point' | 'MultiLineString';

export interface ExportLayer {
  name: string;
  title: string;
  geometryType: ExportGeometryType;
  /** Whether from/to apply to this layer. */
  timeFilter: boolean;
  fields: readonly ExportField[];
  /**
   * Rows with `fid` (integer keyset key), `geometry` (GeoJSON text, EPSG:4326)
   * and one column per field name. Without a page: every row (used for counts).
   */
  select(filter: ExportFilter, page: Page | null, geometry?: GeometryOutput): SQL;
  /** Work before the layer is counted or read, for layers derived from a cache (coverage gaps: the circles). */
  prepare?(db: DbHandle): Promise<unknown>;
}
