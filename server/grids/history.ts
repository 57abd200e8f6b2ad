/**
 * A grid's history as the editor shows it: every version (who, when, what, the
 * attribute snapshots and areas before/after), and one version's geometries for
 * the before/after comparison. Versions are written by the database trigger
 * (migration 0002), so this module only reads them. Snapshots name people: they
 * are withheld as for the grid itself (server/auth/personalData.ts).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { peopleView, withholdPeople } from '../auth/personalData';
import { NotFoundError } from '../http/domainError';

interface VersionRow {
  version: number;
  action: string;
  actor: string;
  at: Date | string;
  note: string | null;
  grid_code: string;
  before_attrs: unknown;
  after_attrs: unknown;
  area_before: number | null;
  area_after: number | null;
}

/** Every version of the grid now holding `code`, newest first, its snapshots' people as `reader` may see them. */
export async function gridHistory(handle: DbHandle, code: string, reader: SessionUser | null) {
  const rows = await handle.rows<VersionRow>(sql`
    SELECT v.version, v.action, v.actor, v.at, v.note, v.grid_code, v.before_attrs, v.after_attrs,
           ST_Area(v.before_geom::geography) AS area_before, ST_Area(v.after_geom::geography) AS area_after
    FROM grid_versions v WHERE v.grid_id = (SELECT id FROM grids WHERE code = ${code})
    ORDER BY v.version DESC`);
  if (rows.length === 0) throw new NotFoundError(`网格编码 ${code} 不存在`);
  return {
    code,
    versions: rows.map((r) => ({
      version: r.version,
      action: r.action,
      actor: r.actor,
      at: new Date(r.at).toISOString(),
      note: r.note,
      code: r.grid_code,
      areaBeforeM2: r.area_before == null ? null : Number(r.area_before),
      areaAfterM2: r.area_after == null ? null : Number(r.area_after),
      before: withholdPeople(peopleView(reader, r.grid_code), r.before_attrs as Record<string, unknown> | null),
      after: withholdPeople(peopleView(reader, r.grid_code), r.after_attrs as Record<string, unknown> | null),
    })),
  };
}

export type GridHistory = Awaited<ReturnType<typeof gridHistory>>;

/** A version's outlines as read from grid_versions or sub_grid_versions (GeoJSON text, 7 decimals). */
export interface VersionGeometryRow {
  before: string | null;
  after: string | null;
  action: string;
  actor: string;
  at: Date | string;
}

/** The geometry before and after one version of the grid now holding `code`. */
export async function gridVersionGeometry(handle: DbHandle, code: string, version: number) {
  const [row] = await handle.rows<VersionGeometryRow>(sql`
    SELECT ST_AsGeoJSON(before_geom, 7) AS before, ST_AsGeoJSON(after_geom, 7) AS after, action, actor, at
    FROM grid_versions WHERE grid_id = (SELECT id FROM grids WHERE code = ${code}) AND version = ${version}`);
  return versionGeometry(code, version, row);
}

/** One version's answer, for base grids and sub grids alike; 404 when there is no such version. */
export function versionGeometry(code: string, version: number, row: VersionGeometryRow | undefined) {
  if (!row) throw new NotFoundError(`网格 ${code} 没有版本 ${version}`);
  return {
    code,
    version,
    action: row.action,
    actor: row.actor,
    at: new Date(row.at).toISOString(),
    before: row.before ? (JSON.parse(row.before) as GeoJSON.MultiPolygon) : null,
    after: row.after ? (JSON.parse(row.after) as GeoJSON.MultiPolygon) : null,
  };
}

export type GridVersionGeometry = Awaited<ReturnType<typeof gridVersionGeometry>>;
