/**
 * Why: a 微网格 or 专属网格 has a history like a base grid (./history.ts): every version the trigger
 * wrote into sub_grid_versions (migration 0021) — who, when, what action, its area and households
 * before and after — and one version's outlines, so the editor can show a past shape and revert to it
 * (revertSubGrid in ./subGrids.ts). Looked up by the code the sub grid holds now (a micro grid's code
 * follows its base grid, so older versions may carry another code). Only reads; the snapshots' keeper
 * (personal data) is not returned.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { NotFoundError } from '../http/domainError';
import { versionGeometry, type VersionGeometryRow } from './history';

interface SubVersionRow {
  version: number;
  action: string;
  actor: string;
  at: Date | string;
  code: string;
  households_before: number | null;
  households_after: number | null;
  area_before: number | null;
  area_after: number | null;
}

const num = (v: number | null) => (v == null ? null : Number(v));

/** Every version of the sub grid now holding `code`, newest first. */
export async function subGridHistory(handle: DbHandle, code: string) {
  const [grid] = await handle.rows<{ id: number; level: string; community_code: string; version: number }>(sql`SELECT id, level, community_code, version FROM sub_grids WHERE code = ${code}`);
  if (!grid) throw new NotFoundError(`网格编码 ${code} 不存在`);
  const rows = await handle.rows<SubVersionRow>(sql`
    SELECT v.version, v.action, v.actor, v.at, v.code,
           (v.before_attrs->>'households')::int AS households_before, (v.after_attrs->>'households')::int AS households_after,
           ST_Area(v.before_geom::geography) AS area_before, ST_Area(v.after_geom::geography) AS area_after
    FROM sub_grid_versions v WHERE v.sub_grid_id = ${grid.id}
    ORDER BY v.version DESC`);
  return {
    code,
    level: grid.level as 'micro' | 'exclusive',
    communityCode: grid.community_code,
    currentVersion: Number(grid.version),
    versions: rows.map((r) => ({
      version: Number(r.version),
      action: r.action,
      actor: r.actor,
      at: new Date(r.at).toISOString(),
      code: r.code,
      note: null as string | null,
      householdsBefore: num(r.households_before),
      householdsAfter: num(r.households_after),
      areaBeforeM2: num(r.area_before),
      areaAfterM2: num(r.area_after),
    })),
  };
}

export type SubGridHistory = Awaited<ReturnType<typeof subGridHistory>>;

/** The outline before and after one version of the sub grid now holding `code`. */
export async function subGridVersionGeometry(handle: DbHandle, code: string, version: number) {
  const [row] = await handle.rows<VersionGeometryRow>(sql`
    SELECT ST_AsGeoJSON(v.before_geom, 7) AS before, ST_AsGeoJSON(v.after_geom, 7) AS after, v.action, v.actor, v.at
    FROM sub_grid_versions v JOIN sub_grids s ON s.id = v.sub_grid_id WHERE s.code = ${code} AND v.version = ${version}`);
  return versionGeometry(code, version, row);
}
