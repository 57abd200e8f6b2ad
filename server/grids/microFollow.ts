/**
 * Why: 微网格 tile their base grid, so a base-grid write (reshape, the neighbours' adjustment,
 * split, merge, revert, renumber, import) must carry them along in the same transaction, or the
 * next look at the map shows micro grids hanging over a neighbour, gaps in a base grid or codes
 * of a base grid that no longer exists. After the base grids are written and before the rules
 * are checked, for every micro grid whose base grid changed since `mark`:
 *  - its base grid becomes the one holding the largest part of it (a split's new grid, a merge's
 *    survivor, the neighbour that took the area);
 *  - its code follows: the same sequence under the same (possibly renumbered) base grid, else the
 *    next sequence never used under the new one (kernel/gridCode.ts);
 *  - it is clipped to its base grid, parts below the sliver size dropped;
 *  - what a base grid no longer has covered goes to its micro grid sharing the longest border.
 * A micro grid with nothing left is retired. The level's rules (./levelTopology.ts) then check
 * the result; the versions are written by the trigger with the edit's actor and action.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type Executor } from '../../db/client';
import { formatMicroGridCode } from '../../kernel/gridCode';
import { DomainError } from '../http/domainError';
import { levelViolations } from './levelTopology';
import type { GridRules, Violation } from './rules';

interface Affected {
  id: number;
  code: string;
  community_code: string;
  /** The base grid (id) it belonged to before this transaction. */
  old_parent: number;
  /** The base grid (id, code now) holding the largest part of it now; null if none. */
  target: number | null;
  target_code: string | null;
}

/** Pieces below this (m²) are overlay noise, far below the gap tolerance: neither filled nor kept. */
const DUST_M2 = 0.05;

const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/** Carries the micro grids of every base grid written since `mark` along; returns the level rules' violations. */
export async function followBaseGrids(tx: Executor, mark: number, rules: GridRules): Promise<Violation[]> {
  // The micro grids whose base grid (by its code before this transaction) has a version since `mark`.
  const affected = await executeRows<Affected>(
    tx,
    sql`
    WITH changed AS (
      SELECT DISTINCT ON (grid_id) grid_id, before_attrs->>'code' AS code FROM grid_versions
      WHERE id > ${mark} ORDER BY grid_id, id),
    -- The code before this transaction: the last version before it (a renumbering's parking writes none).
    first AS (
      SELECT c.grid_id, coalesce(p.code, c.code) AS code FROM changed c
      LEFT JOIN LATERAL (SELECT after_attrs->>'code' AS code FROM grid_versions WHERE grid_id = c.grid_id AND id <= ${mark} ORDER BY version DESC LIMIT 1) p ON true)
    SELECT m.id, m.code, m.community_code, f.grid_id AS old_parent, t.id AS target, t.code AS target_code
    FROM first f JOIN sub_grids m ON m.level = 'micro' AND m.parent_grid_code = f.code
    LEFT JOIN LATERAL (
      SELECT g.id, g.code FROM grids g
      WHERE g.community_code = m.community_code AND g.geom && m.geom AND ST_Relate(g.geom, m.geom, '2********')
      ORDER BY ST_Area(ST_Intersection(g.geom, m.geom)) DESC, g.id LIMIT 1) t ON true
    ORDER BY m.code`,
  );
  if (affected.length === 0) return [];

  const retired = affected.filter((m) => m.target === null).map((m) => m.id);
  const placed = affected.filter((m) => m.target !== null);
  const finalCode = await followingCodes(tx, placed);
  await applyCodes(tx, placed, finalCode);

  const ids = placed.map((m) => m.id);
  const targets = [...new Set(placed.map((m) => Number(m.target)))];
  if (ids.length > 0) {
    // Clipped to the base grid, parts below the sliver size dropped (they go back in as gaps below).
    const emptied = await executeRows<{ id: number }>(
      tx,
      sql`
      WITH clipped AS (
        SELECT m.id, CASE WHEN ST_CoveredBy(m.geom, g.geom) THEN m.geom ELSE ST_CollectionExtract(ST_Intersection(m.geom, g.geom), 3) END AS geom, ST_CoveredBy(m.geom, g.geom) AS inside
        FROM sub_grids m JOIN grids g ON g.code = m.parent_grid_code WHERE m.id IN (${idList(ids)})),
      kept AS (
        SELECT c.id, c.inside, bool_and(ST_Area(d.geom::geography) >= ${rules.sliverAreaM2}) AS whole,
               ST_Multi(ST_Union(d.geom) FILTER (WHERE ST_Area(d.geom::geography) >= ${rules.sliverAreaM2})) AS geom
        FROM clipped c LEFT JOIN LATERAL ST_Dump(c.geom) d ON true GROUP BY c.id, c.inside),
      upd AS (
        UPDATE sub_grids m SET geom = k.geom FROM kept k
        WHERE m.id = k.id AND k.geom IS NOT NULL AND NOT (k.inside AND k.whole) RETURNING m.id)
      SELECT id FROM kept WHERE geom IS NULL`,
    );
    retired.push(...emptied.map((r) => r.id));
  }
  if (retired.length > 0) await tx.execute(sql`DELETE FROM sub_grids WHERE id IN (${idList(retired)})`);
  if (targets.length > 0) await fillGaps(tx, targets);

  const remaining = ids.filter((id) => !retired.includes(id));
  return levelViolations(tx, remaining, rules);
}

/**
 * The code each placed micro grid ends with: its sequence kept under the same base grid (that grid
 * may have a new code), else the next free sequence under its new base grid, in code order.
 */
async function followingCodes(tx: Executor, placed: Affected[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  // Every micro grid retired (its base grid moved away from them all): no codes to find.
  if (placed.length === 0) return out;
  const used = new Map<string, Set<number>>();
  const seqs = (parent: string) => {
    const set = used.get(parent) ?? new Set<number>();
    used.set(parent, set);
    return set;
  };
  const movingIds = new Set(placed.map((m) => m.id));
  const parents = [...new Set(placed.map((m) => m.target_code as string))];
  // Sequences held by the micro grids of the new base grids that are not moving.
  const staying = await executeRows<{ parent_grid_code: string; code: string; id: number }>(
    tx,
    sql`SELECT id, code, parent_grid_code FROM sub_grids WHERE level = 'micro' AND parent_grid_code IN (${sql.join(
      parents.map((p) => sql`${p}`),
      sql`, `,
    )})`,
  );
  for (const s of staying) if (!movingIds.has(s.id)) seqs(s.parent_grid_code).add(Number(s.code.slice(15)));
  const moved: Affected[] = [];
  for (const m of placed) {
    const seq = Number(m.code.slice(15));
    const parent = m.target_code as string;
    if (Number(m.target) === Number(m.old_parent) && !seqs(parent).has(seq)) {
      seqs(parent).add(seq);
      out.set(m.id, formatMicroGridCode(parent, seq));
    } else moved.push(m);
  }
  // A micro grid moving to another base grid gets a sequence never used under it (as base grids do), so history stays unambiguous.
  const usedBefore = new Map<string, number>();
  if (moved.length > 0) {
    const targets = [...new Set(moved.map((m) => m.target_code as string))];
    const rows = await executeRows<{ parent: string; max: number }>(
      tx,
      sql`SELECT left(code, 15) AS parent, max(substr(code, 16, 2)::int) AS max FROM sub_grid_versions
          WHERE level = 'micro' AND (${sql.join(
            targets.map((p) => sql`(code >= ${`${p}00`} AND code <= ${`${p}99`})`),
            sql` OR `,
          )}) GROUP BY left(code, 15)`,
    );
    for (const r of rows) usedBefore.set(r.parent, Number(r.max));
  }
  for (const m of moved) {
    const parent = m.target_code as string;
    const taken = seqs(parent);
    const next = Math.max(usedBefore.get(parent) ?? 0, ...taken) + 1;
    if (next > 99) throw new DomainError(422, '微网格已满', `基础网格 ${parent} 接收微网格后将超过 99 个`);
    taken.add(next);
    out.set(m.id, formatMicroGridCode(parent, next));
  }
  return out;
}

/**
 * Writes the new codes. Renumbering can swap codes between micro grids, and the unique code index
 * is checked row by row, so when a new code is still held by another moving micro grid they are
 * parked first under a base-grid sequence that no grid of the community uses.
 */
async function applyCodes(tx: Executor, placed: Affected[], finalCode: Map<number, string>) {
  const changing = placed.filter((m) => finalCode.get(m.id) !== m.code);
  if (changing.length === 0) return;
  const held = new Set(changing.map((m) => m.code));
  if (changing.some((m) => held.has(finalCode.get(m.id) as string))) {
    const byCommunity = new Map<string, Affected[]>();
    for (const m of changing) byCommunity.set(m.community_code, [...(byCommunity.get(m.community_code) ?? []), m]);
    for (const [community, list] of byCommunity) {
      const free = await executeRows<{ code: string }>(
        tx,
        sql`
        SELECT ${community} || lpad(s::text, 3, '0') AS code FROM generate_series(1, 999) s
        WHERE NOT EXISTS (SELECT 1 FROM grids WHERE code = ${community} || lpad(s::text, 3, '0'))
          AND NOT EXISTS (SELECT 1 FROM sub_grids WHERE parent_grid_code = ${community} || lpad(s::text, 3, '0'))
        ORDER BY s DESC LIMIT ${Math.ceil(list.length / 99)}`,
      );
      if (free.length * 99 < list.length) throw new DomainError(409, '无法重新编码微网格', `社区 ${community} 没有可用的临时编码`);
      for (const [i, m] of list.entries()) {
        const parkParent = (free[Math.floor(i / 99)] as { code: string }).code;
        await tx.execute(sql`UPDATE sub_grids SET parent_grid_code = ${parkParent}, code = ${formatMicroGridCode(parkParent, (i % 99) + 1)} WHERE id = ${m.id}`);
      }
    }
  }
  for (const m of changing) {
    const code = finalCode.get(m.id) as string;
    await tx.execute(sql`UPDATE sub_grids SET parent_grid_code = ${code.slice(0, 15)}, code = ${code} WHERE id = ${m.id}`);
  }
}

/**
 * What each of the base grids `targets` has not covered by its micro grids goes, piece by piece,
 * to the micro grid sharing the longest border with the piece (the nearest if none touches), never
 * to one of `exclude` (the micro grid a planner just reshaped keeps the shape drawn).
 * Each difference is guarded non-empty (the WASM engine answers no rows at all for an empty one).
 */
export async function fillGaps(tx: Executor, targets: number[], exclude: number[] = []) {
  await tx.execute(sql`
    WITH covered AS (
      SELECT g.id, g.code, g.geom, ST_Union(m.geom) AS micro
      FROM grids g JOIN sub_grids m ON m.level = 'micro' AND m.parent_grid_code = g.code
      WHERE g.id IN (${idList(targets)}) GROUP BY g.id, g.code, g.geom),
    uncovered AS MATERIALIZED (
      SELECT c.code, ST_Difference(c.geom, c.micro) AS geom FROM covered c WHERE NOT ST_Covers(c.micro, c.geom)),
    gaps AS (
      SELECT row_number() OVER () AS gap_id, u.code, d.geom
      FROM uncovered u, LATERAL ST_Dump(ST_CollectionExtract(u.geom, 3)) d WHERE ST_Area(d.geom::geography) >= ${DUST_M2}),
    scored AS (
      SELECT DISTINCT ON (gaps.gap_id) gaps.gap_id, gaps.geom, m.id
      FROM gaps JOIN sub_grids m ON m.level = 'micro' AND m.parent_grid_code = gaps.code ${exclude.length > 0 ? sql`AND m.id NOT IN (${idList(exclude)})` : sql``}
      ORDER BY gaps.gap_id,
               CASE WHEN ST_Intersects(gaps.geom, m.geom) THEN ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(gaps.geom), m.geom), 2)) ELSE 0 END DESC,
               ST_Distance(gaps.geom, m.geom), m.id),
    target AS (SELECT id, ST_Union(geom) AS extra FROM scored GROUP BY id)
    UPDATE sub_grids m SET geom = ST_Multi(ST_CollectionExtract(ST_Union(m.geom, t.extra), 3))
    FROM target t WHERE m.id = t.id`);
  // Overlay noise (zero-area spikes, specks along shared borders) would read as slivers: dropped.
  await tx.execute(sql`
    UPDATE sub_grids m SET geom = (SELECT ST_Multi(ST_Union(d.geom)) FROM ST_Dump(m.geom) d WHERE ST_Area(d.geom::geography) >= ${DUST_M2})
    WHERE m.level = 'micro' AND m.parent_grid_code IN (SELECT code FROM grids WHERE id IN (${idList(targets)}))
      AND EXISTS (SELECT 1 FROM ST_Dump(m.geom) d WHERE ST_Area(d.geom::geography) < ${DUST_M2})
      AND EXISTS (SELECT 1 FROM ST_Dump(m.geom) d WHERE ST_Area(d.geom::geography) >= ${DUST_M2})`);
}
