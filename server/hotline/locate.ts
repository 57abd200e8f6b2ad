/**
 * Where a 12345 case lies when the hotline sends no point: its grid (a 15-digit code
 * or a grid's name), its community's name, or the address text, matched against the
 * names of grids and communities — exact first, then a name the text contains (the
 * longest wins), then a name containing the text. A community gives its grid at the
 * community's centre. (Exact and contained names prefer grids; a text found inside names
 * prefers the community, since 城西社区 is inside every one of its grids' names.) Nothing found, or two equally good candidates, is a 422 naming
 * what was tried, so the hotline can correct the case instead of us guessing.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { DomainError } from '../http/domainError';

export class CaseNotLocated extends DomainError {
  constructor(field: string, reason: string, candidates: { kind: string; code: string; name: string }[] = []) {
    super(422, '无法定位工单', reason, { errors: [{ field, reason }], ...(candidates.length > 0 ? { candidates } : {}) });
  }
}

interface Candidate {
  kind: 'grid' | 'community';
  code: string;
  name: string;
  match: number;
}

const MATCH_LABEL = ['名称完全一致', '地址包含该名称', '名称包含所填文字'] as const;

async function candidates(db: DbHandle, text: string): Promise<Candidate[]> {
  const rows = await db.rows<Candidate>(sql`
    WITH t AS (SELECT ${text}::text AS v)
    SELECT kind, code, name, match FROM (
      SELECT 'grid' AS kind, g.code, g.name,
             CASE WHEN g.name = t.v THEN 0 WHEN position(g.name IN t.v) > 0 THEN 1 WHEN length(t.v) >= 2 AND position(t.v IN g.name) > 0 THEN 2 END AS match
      FROM grids g, t
      UNION ALL
      SELECT 'community', r.code, r.name,
             CASE WHEN r.name = t.v THEN 0 WHEN position(r.name IN t.v) > 0 THEN 1 WHEN length(t.v) >= 2 AND position(t.v IN r.name) > 0 THEN 2 END
      FROM regions r, t WHERE r.level = 'community'
    ) x
    WHERE match IS NOT NULL
    -- A name inside the text: grids before communities, the longest first; the text inside a
    -- name (e.g. 城西社区 in 城西社区第3网格 and 城西社区居委会): communities first, the shortest.
    ORDER BY match,
             CASE WHEN match = 2 THEN kind = 'community' ELSE kind = 'grid' END DESC,
             CASE WHEN match = 2 THEN length(name) ELSE -length(name) END, code
    LIMIT 20`);
  return rows.map((r) => ({ ...r, match: Number(r.match) }));
}

/** The grid at a community's centre (or its first grid by code). */
async function gridOfCommunity(db: DbHandle, communityCode: string): Promise<string | null> {
  const [row] = await db.rows<{ code: string }>(sql`
    SELECT g.code FROM grids g
    LEFT JOIN regions r ON r.code = g.community_code
    WHERE g.community_code = ${communityCode}
    ORDER BY (r.geom IS NOT NULL AND ST_Contains(g.geom, coalesce(r.label_point, ST_PointOnSurface(r.geom)))) DESC, g.code
    LIMIT 1`);
  return row?.code ?? null;
}

export interface LocateInput {
  grid?: string;
  community?: string;
  address?: string;
}

/** The grid code of the first field that names a place unambiguously. */
export async function locateByName(db: DbHandle, input: LocateInput): Promise<{ gridCode: string; matchedBy: string }> {
  if (input.grid && /^\d{15}$/.test(input.grid)) return { gridCode: input.grid, matchedBy: `网格编码 ${input.grid}` };
  const fields = (['grid', 'community', 'address'] as const).filter((f) => input[f]?.trim());
  if (fields.length === 0) throw new CaseNotLocated('address', '缺少位置：请提供经纬度（lon、lat）、网格（grid）、社区（community）或地址（address）');
  for (const field of fields) {
    const text = (input[field] as string).trim();
    const found = (await candidates(db, text)).filter((c) => field !== 'grid' || c.kind === 'grid').filter((c) => field !== 'community' || c.kind === 'community');
    const best = found[0];
    if (!best) continue;
    const ties = found.filter((c) => c.match === best.match && c.kind === best.kind && c.name.length === best.name.length && c.code !== best.code);
    if (ties.length > 0) {
      const shown = [best, ...ties].slice(0, 5).map(({ kind, code, name }) => ({ kind, code, name }));
      throw new CaseNotLocated(field, `「${text}」可对应多个${best.kind === 'grid' ? '网格' : '社区'}（${shown.map((c) => `${c.name} ${c.code}`).join('、')}），请提供经纬度或网格编码`, shown);
    }
    const gridCode = best.kind === 'grid' ? best.code : await gridOfCommunity(db, best.code);
    if (gridCode) return { gridCode, matchedBy: `${best.kind === 'grid' ? '网格' : '社区'}「${best.name}」（${MATCH_LABEL[best.match]}）` };
  }
  throw new CaseNotLocated(fields[0] as string, `无法根据${fields.map((f) => `「${(input[f] as string).trim().slice(0, 100)}」`).join('、')}定位到任何网格或社区，请提供经纬度或网格编码`);
}
