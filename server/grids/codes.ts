/**
 * Grid code allocation. New grids take the next sequence never used in the
 * community (current grids and history), so a retired code is never handed out
 * silently; renumbering is explicit, previewed, and recorded as versions.
 */
import { sql } from 'drizzle-orm';
import { DomainError, NotFoundError } from '../http/domainError';
import { executeRows, type DbHandle, type Executor } from '../../db/client';
import { formatGridCode, isGridCode } from '../../kernel/gridCode';
import { defaultRowTolerance, readingOrder } from '../../kernel/numbering';

export class CodesExhausted extends DomainError {
  constructor(readonly communityCode: string) {
    super(422, '编号已用尽', `社区 ${communityCode} 的网格编号（001–999）已用尽`);
  }
}

export async function nextFreeCodes(tx: Executor, communityCode: string, count: number): Promise<string[]> {
  const [row] = await executeRows<{ used: number }>(
    tx,
    sql`
    SELECT greatest(
      coalesce((SELECT max(right(code, 3)::int) FROM grids WHERE community_code = ${communityCode}), 0),
      coalesce((SELECT max(right(grid_code, 3)::int) FROM grid_versions WHERE left(grid_code, 12) = ${communityCode}), 0)
    ) AS used`,
  );
  const first = Number(row?.used ?? 0) + 1;
  if (first + count - 1 > 999) throw new CodesExhausted(communityCode);
  return Array.from({ length: count }, (_, i) => formatGridCode(communityCode, first + i));
}

export interface RenumberEntry {
  id: number;
  oldCode: string;
  newCode: string;
  name: string;
}

/** The codes the community's grids would get in reading order (north→south rows, west→east). */
export async function renumberPlan(tx: Executor, communityCode: string): Promise<RenumberEntry[]> {
  const rows = await executeRows<{ id: number; code: string; name: string; lon: number; lat: number; area_deg2: number }>(
    tx,
    sql`
    SELECT g.id, g.code, g.name, ST_X(ST_Centroid(g.geom)) AS lon, ST_Y(ST_Centroid(g.geom)) AS lat, ST_Area(r.geom) AS area_deg2
    FROM grids g JOIN regions r ON r.code = g.community_code
    WHERE g.community_code = ${communityCode}`,
  );
  if (rows.length === 0) return [];
  const tolerance = defaultRowTolerance(Number(rows[0]!.area_deg2), rows.length);
  const ordered = readingOrder(
    rows.map((r) => ({ item: r, lon: Number(r.lon), lat: Number(r.lat) })),
    tolerance,
  );
  return ordered.map((r, i) => ({ id: r.id, oldCode: r.code, newCode: formatGridCode(communityCode, i + 1), name: r.name }));
}

/** The renumbering a planner previews before applying it: each grid's old and new code. */
export async function renumberPreview(handle: DbHandle, communityCode: string) {
  const plan = await renumberPlan(handle.db, communityCode);
  if (plan.length === 0) throw new NotFoundError(`社区 ${communityCode} 没有网格`);
  return { community: communityCode, plan: plan.map(({ oldCode, newCode, name }) => ({ oldCode, newCode, name, changed: oldCode !== newCode })) };
}

export type RenumberPreview = Awaited<ReturnType<typeof renumberPreview>>;

/** 400: `expected` cannot be a preview of this community's renumbering (codes made up, foreign, unknown or repeated). */
export class RenumberExpectationInvalid extends DomainError {
  constructor(reason: string) {
    super(400, '请求参数无效', `expected：${reason}`, { errors: [{ field: 'expected', reason }] });
  }
}

/** 409: a real preview, but the community's grids changed since (a grid added, removed or reshaped). */
export class RenumberPlanChanged extends DomainError {
  constructor(communityCode: string, plan: RenumberEntry[]) {
    super(409, '版本冲突', `社区 ${communityCode} 的网格在预览之后已有变化，编号方案已不同，请重新预览后再应用`, {
      plan: plan.map(({ oldCode, newCode, name }) => ({ oldCode, newCode, name, changed: oldCode !== newCode })),
    });
  }
}

/**
 * Checks the plan a planner previewed against the one that would be applied now. A list
 * no preview could have produced is bad input (400, field `expected`); a genuine preview
 * that no longer matches means the grids changed meanwhile (409).
 */
export async function checkExpectedPlan(tx: Executor, communityCode: string, expected: { oldCode: string; newCode: string }[], plan: RenumberEntry[]): Promise<void> {
  if (expected.length === 0) throw new RenumberExpectationInvalid('与当前编号方案不符：列表为空，请提交预览中的编号方案');
  if (expected.length > 999) throw new RenumberExpectationInvalid('与当前编号方案不符：一个社区最多 999 个网格');
  const foreign = expected.flatMap((e) => [e.oldCode, e.newCode]).find((c) => !isGridCode(c) || !c.startsWith(communityCode));
  if (foreign !== undefined) throw new RenumberExpectationInvalid(`与当前编号方案不符：${JSON.stringify(foreign)} 不是社区 ${communityCode} 的网格编码`);
  for (const key of ['oldCode', 'newCode'] as const) {
    const seen = new Set<string>();
    for (const entry of expected) {
      if (seen.has(entry[key])) throw new RenumberExpectationInvalid(`与当前编号方案不符：编码 ${entry[key]} 重复出现`);
      seen.add(entry[key]);
    }
  }
  // A preview numbers its grids 001…n; n is the number of grids then (or now).
  const highest = Math.max(plan.length, expected.length);
  const outOfRange = expected.find((e) => Number(e.newCode.slice(12)) > highest);
  if (outOfRange) throw new RenumberExpectationInvalid(`与当前编号方案不符：新编码 ${outOfRange.newCode} 超出编号范围（001–${String(highest).padStart(3, '0')}）`);
  const known = new Set(plan.map((p) => p.oldCode));
  const missing = expected.map((e) => e.oldCode).filter((c) => !known.has(c));
  if (missing.length > 0) {
    const history = await executeRows<{ code: string }>(
      tx,
      sql`
      SELECT DISTINCT grid_code AS code FROM grid_versions WHERE grid_code IN (${sql.join(
        missing.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
    const everUsed = new Set(history.map((h) => h.code));
    const unknown = missing.find((c) => !everUsed.has(c));
    if (unknown) throw new RenumberExpectationInvalid(`与当前编号方案不符：社区 ${communityCode} 没有编码为 ${unknown} 的网格（当前和历史中都没有）`);
  }
  const same = expected.length === plan.length && plan.every((p) => expected.some((e) => e.oldCode === p.oldCode && e.newCode === p.newCode));
  if (!same) throw new RenumberPlanChanged(communityCode, plan);
}

/** Applies a plan in two steps through unused codes, since codes are unique at every moment. */
export async function applyRenumber(tx: Executor, communityCode: string, plan: RenumberEntry[]): Promise<RenumberEntry[]> {
  const moving = plan.filter((p) => p.oldCode !== p.newCode);
  if (moving.length === 0) return [];
  const taken = new Set(plan.map((p) => Number(p.oldCode.slice(12))).concat(plan.map((p) => Number(p.newCode.slice(12)))));
  const parking: number[] = [];
  for (let seq = 999; seq >= 1 && parking.length < moving.length; seq--) if (!taken.has(seq)) parking.push(seq);
  if (parking.length < moving.length) throw new CodesExhausted(communityCode);
  // Parking moves are bookkeeping, not history (the versioning trigger skips action 'park').
  const [{ action }] = (await executeRows<{ action: string }>(tx, sql`SELECT current_setting('dangjian.action', true) AS action`)) as [{ action: string }];
  await tx.execute(sql`SELECT set_config('dangjian.action', 'park', true)`);
  for (const [i, p] of moving.entries()) {
    await tx.execute(sql`UPDATE grids SET code = ${formatGridCode(communityCode, parking[i] as number)} WHERE id = ${p.id}`);
  }
  await tx.execute(sql`SELECT set_config('dangjian.action', ${action ?? 'recode'}, true)`);
  for (const p of moving) {
    const renamed = p.name.replace(/第\d+网格$/, `第${Number(p.newCode.slice(12))}网格`);
    await tx.execute(sql`UPDATE grids SET code = ${p.newCode}, name = ${renamed} WHERE id = ${p.id}`);
  }
  return moving;
}
