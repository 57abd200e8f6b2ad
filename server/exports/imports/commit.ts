/**
 * Writes an import inside the caller's transaction: existing codes whose
 * geometry, name or imported attributes (households, population, party
 * organisation, grid workers) changed are updated (version + 1), new codes are created.
 * Each written grid gets a grid_versions row with action 'import'.
 *
 * Where the grids versioning trigger exists (migration 0002) it records the
 * versions itself; writers name the action/actor per transaction with
 * set_config('dangjian.*', …, true). Without it we insert the rows here.
 */
import { sql } from 'drizzle-orm';
import { candidatesJson, inputRows, type RunRows } from './checks';
import type { PreparedCandidate } from './prepare';

/** The attributes an import writes, as a version's attrs (without the trigger). */
const ATTRS = (t: string) => sql.raw(`jsonb_build_object('name', ${t}.name, 'households', ${t}.households, 'population', ${t}.population, 'partyOrgName', ${t}.party_org_name, 'gridWorkers', ${t}.grid_workers)`);

export interface WriteResult {
  created: number;
  updated: number;
  unchanged: number;
}

export async function writeImport(rows: RunRows, candidates: PreparedCandidate[], actor: string, note: string): Promise<WriteResult> {
  const json = candidatesJson(candidates);
  await rows(sql`SELECT set_config('dangjian.actor', ${actor}, true), set_config('dangjian.action', 'import', true), set_config('dangjian.note', ${note}, true)`);
  const [trigger] = await rows<{ present: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'grids_version_record') AS present`);
  const recordedByTrigger = Boolean(trigger?.present);

  const updated = await rows<{ id: number }>(sql`
    WITH input AS (${inputRows(json)}),
    before AS (SELECT g.id, g.geom, ${ATTRS('g')} AS attrs FROM grids g JOIN input i ON i.code = g.code),
    changed AS (
      UPDATE grids g SET geom = i.geom, name = coalesce(i.name, g.name), label_point = ST_PointOnSurface(i.geom),
                         households = coalesce(i.households, g.households), population = coalesce(i.population, g.population),
                         party_org_name = coalesce(i.party_org_name, g.party_org_name), grid_workers = coalesce(i.grid_workers, g.grid_workers),
                         version = g.version + 1, updated_at = now(), updated_by = ${actor}
      FROM input i
      WHERE g.code = i.code AND (ST_AsEWKB(g.geom) <> ST_AsEWKB(i.geom) OR g.name IS DISTINCT FROM coalesce(i.name, g.name)
        OR g.households <> coalesce(i.households, g.households) OR g.population <> coalesce(i.population, g.population)
        OR g.party_org_name IS DISTINCT FROM coalesce(i.party_org_name, g.party_org_name) OR g.grid_workers <> coalesce(i.grid_workers, g.grid_workers))
      RETURNING g.id, g.code, g.version, g.geom, ${ATTRS('g')} AS attrs),
    versions AS (
      INSERT INTO grid_versions (grid_id, grid_code, version, action, actor, before_geom, after_geom, before_attrs, after_attrs, note)
      SELECT c.id, c.code, c.version, 'import', ${actor}, b.geom, c.geom, b.attrs, c.attrs, ${note}
      FROM changed c JOIN before b ON b.id = c.id
      WHERE NOT ${recordedByTrigger})
    SELECT id FROM changed`);
  const created = await rows<{ id: number }>(sql`
    WITH input AS (${inputRows(json)}),
    added AS (
      INSERT INTO grids (code, name, community_code, street_code, district_code, geom, label_point, households, population, party_org_name, grid_workers, updated_by)
      SELECT i.code, coalesce(i.name, i.code), left(i.code, 12), left(i.code, 9), left(i.code, 6), i.geom, ST_PointOnSurface(i.geom),
             coalesce(i.households, 0), coalesce(i.population, 0), i.party_org_name, coalesce(i.grid_workers, '[]'::jsonb), ${actor}
      FROM input i WHERE NOT EXISTS (SELECT 1 FROM grids g WHERE g.code = i.code)
      RETURNING id, code, version, geom, ${ATTRS('grids')} AS attrs),
    versions AS (
      INSERT INTO grid_versions (grid_id, grid_code, version, action, actor, after_geom, after_attrs, note)
      SELECT a.id, a.code, a.version, 'import', ${actor}, a.geom, a.attrs, ${note}
      FROM added a
      WHERE NOT ${recordedByTrigger})
    SELECT id FROM added`);
  await rows(sql`
    INSERT INTO audit_log (actor, action, entity, detail)
    VALUES (${actor}, 'import', 'grids', ${JSON.stringify({ created: created.length, updated: updated.length, note })}::jsonb)`);
  return { created: created.length, updated: updated.length, unchanged: candidates.length - created.length - updated.length };
}
