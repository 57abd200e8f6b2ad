/**
 * Reading grids for the map and the detail panel: grids in a bounding box as
 * GeoJSON features, and one grid with the names of its community, street and
 * district. The record's columns and its API shape come from db/gridRecord.ts;
 * its people (secretary, grid workers, phone) as server/auth/personalData.ts lets
 * the reader see them. Features carry no personal data.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { gridFeatureFromRow, gridRecordColumns, gridRecordFromRow, gridSummaryColumns, type GridPlaceNames, type GridRecordRow, type GridSummaryRow } from '../../db/gridRecord';
import type { Bbox } from '../../kernel/bbox';
import type { SessionUser } from '../../kernel/roles';
import { peopleView, revealPeople, type RevealRequest } from '../auth/personalData';
import { NotFoundError } from '../http/domainError';

/** Grids whose bounding box meets `bbox`, in code order; `truncated` when more than `limit` do. */
export async function gridsInBbox(handle: DbHandle, [west, south, east, north]: Readonly<Bbox>, limit: number) {
  const rows = await handle.rows<GridSummaryRow>(sql`
    SELECT ${gridSummaryColumns('g')}
    FROM grids g
    WHERE g.geom && ST_MakeEnvelope(${west}, ${south}, ${east}, ${north}, 4326)
    ORDER BY g.code
    LIMIT ${limit + 1}`);
  return {
    type: 'FeatureCollection' as const,
    truncated: rows.length > limit,
    features: rows.slice(0, limit).map(gridFeatureFromRow),
  };
}

/** Asking for unmasked fields: what, and what the audit entry records about the request. */
export type GridReveal = Pick<RevealRequest, 'fields' | 'address' | 'query'>;

/** One grid by its 15-digit code, as `reader` may see it; with `reveal`, phones unmasked (checked and audited) or 403. */
export async function gridByCode(handle: DbHandle, code: string, reader: SessionUser | null, reveal?: GridReveal) {
  const [row] = await handle.rows<GridRecordRow & GridPlaceNames>(sql`
    SELECT ${gridRecordColumns('g')}, cm.name AS "communityName", st.name AS "streetName", d.name AS "districtName"
    FROM grids g
    JOIN regions cm ON cm.code = g.community_code
    LEFT JOIN regions st ON st.code = g.street_code
    LEFT JOIN regions d ON d.code = g.district_code
    WHERE g.code = ${code}`);
  if (!row) throw new NotFoundError(`网格编码 ${code} 不存在`);
  const people = reveal ? await revealPeople(handle, { reader, entity: 'grids', entityId: row.code, regionCode: row.code, ...reveal }) : peopleView(reader, row.code);
  return gridRecordFromRow(row, people);
}
