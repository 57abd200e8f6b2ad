/**
 * Why: a saved 均衡 moves many buildings across several grids at once; taking it back grid by
 * grid in the history would be error-prone, so a batch (rebalance_batches, written by
 * applyRebalance in its save) is undone as a whole. The undo goes through the same
 * community-locked validated save as every edit: each grid the batch changed gets back the
 * outline it had before (the before_geom of the version the batch wrote), every topology rule
 * is checked, a dry run reports the impact, and the buildings follow the grids back
 * (applyGridMoves in gridWriteTransaction). It refuses (409) when any of those grids or
 * buildings changed after the batch: restoring then would silently throw a later edit away.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type DbHandle } from '../../db/client';
import { DomainError } from '../http/domainError';
import { EditNotFound, inCommunityTransaction, type EditOptions, type EditResult } from '../grids/editing';

interface BatchGrid {
  id: number;
  code: string;
  version: number;
}

interface BatchMove {
  id: number;
  code: string;
  households: number;
  fromId: number;
  from: string;
  toId: number;
  to: string;
}

interface BatchRow {
  id: number;
  actor: string;
  at: Date | string;
  grids: BatchGrid[];
  moves: BatchMove[];
  undone_at: Date | string | null;
  undone_by: string | null;
  current: boolean;
}

/** 409: the batch was undone already, or something it changed was edited since. */
export class RebalanceUndoConflict extends DomainError {
  constructor(detail: string, conflicts: { kind: 'grid' | 'building' | 'batch'; code: string; reason: string }[]) {
    super(409, '无法撤销均衡', detail, { conflicts });
  }
}

const iso = (t: Date | string) => new Date(t).toISOString();

/** One page of the list: at most `limit` batches, only those older than batch `before` (the previous page's `nextBefore`). */
export interface BatchPage {
  before?: number;
  limit?: number;
}

/**
 * The saved 均衡 of a community, newest first: who, when, what moved, undone or still undoable — one page
 * (default the 50 newest), keyed by batch id so a batch saved meanwhile does not shift the pages; `nextBefore`
 * is the cursor of the next (older) page, null on the last.
 */
export async function rebalanceBatches(handle: DbHandle, communityCode: string, page: BatchPage = {}) {
  const limit = page.limit ?? 50;
  const found = await handle.rows<BatchRow>(sql`
    SELECT r.id, r.actor, r.at, r.grids, r.moves, r.undone_at, r.undone_by,
           NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(r.grids) AS x(id int, version int) LEFT JOIN grids g ON g.id = x.id WHERE g.id IS NULL OR g.version <> x.version) AS current
    FROM rebalance_batches r WHERE r.community_code = ${communityCode} ${page.before === undefined ? sql`` : sql`AND r.id < ${page.before}`}
    ORDER BY r.id DESC LIMIT ${limit + 1}`);
  const rows = found.slice(0, limit);
  return {
    communityCode,
    nextBefore: found.length > limit ? Number(rows.at(-1)?.id) : null,
    batches: rows.map((r) => ({
      id: Number(r.id),
      actor: r.actor,
      at: iso(r.at),
      grids: r.grids.map((g) => g.code),
      moves: r.moves.map((m) => ({ building: m.code, households: m.households, from: m.from, to: m.to })),
      households: r.moves.reduce((t, m) => t + m.households, 0),
      undoneAt: r.undone_at ? iso(r.undone_at) : null,
      undoneBy: r.undone_by,
      /** Not undone and none of its grids edited since (buildings are checked on the undo itself). */
      undoable: !r.undone_at && Boolean(r.current),
    })),
  };
}

export type RebalanceBatches = Awaited<ReturnType<typeof rebalanceBatches>>;

/** Undoes one batch through the community-locked validated save (dry run: the impact, nothing written). */
export async function undoRebalance(handle: DbHandle, communityCode: string, batchId: number, options: EditOptions): Promise<EditResult & { batch: number }> {
  const result = await inCommunityTransaction(handle, communityCode, 'revert', { ...options, note: options.note ?? `撤销均衡 #${batchId}` }, async (tx) => {
    const [batch] = await executeRows<Omit<BatchRow, 'current'>>(
      tx,
      sql`SELECT id, actor, at, grids, moves, undone_at, undone_by FROM rebalance_batches WHERE id = ${batchId} AND community_code = ${communityCode} FOR UPDATE`,
    );
    if (!batch) throw new EditNotFound(`社区 ${communityCode} 没有均衡记录 #${batchId}`);
    if (batch.undone_at) {
      throw new RebalanceUndoConflict(`均衡 #${batchId} 已于 ${iso(batch.undone_at)} 由 ${batch.undone_by ?? '他人'} 撤销`, [{ kind: 'batch', code: String(batchId), reason: '已撤销' }]);
    }
    const gridIds = `{${batch.grids.map((g) => g.id).join(',')}}`;
    const buildingIds = `{${batch.moves.map((m) => m.id).join(',')}}`;
    const now = await executeRows<{ id: number; version: number }>(tx, sql`SELECT id, version FROM grids WHERE id = ANY(${gridIds}::int[]) ORDER BY id FOR UPDATE`);
    const buildings = await executeRows<{ id: number; grid_id: number | null; later: boolean }>(
      tx,
      sql`SELECT b.id, b.grid_id, b.updated_at > (SELECT at FROM rebalance_batches WHERE id = ${batchId}) AS later FROM buildings b WHERE b.id = ANY(${buildingIds}::int[]) ORDER BY b.id FOR UPDATE`,
    );
    const gridNow = new Map(now.map((g) => [Number(g.id), Number(g.version)]));
    const buildingNow = new Map(buildings.map((b) => [Number(b.id), b]));
    const conflicts: { kind: 'grid' | 'building'; code: string; reason: string }[] = [];
    for (const g of batch.grids) {
      const v = gridNow.get(g.id);
      if (v === undefined) conflicts.push({ kind: 'grid', code: g.code, reason: `网格 ${g.code} 在均衡后已被删除或合并` });
      else if (v !== g.version) conflicts.push({ kind: 'grid', code: g.code, reason: `网格 ${g.code} 在均衡后又被修改（均衡写入版本 ${g.version}，当前版本 ${v}）` });
    }
    for (const m of batch.moves) {
      const b = buildingNow.get(m.id);
      if (!b) conflicts.push({ kind: 'building', code: m.code, reason: `楼栋 ${m.code} 在均衡后已被删除` });
      else if (Number(b.grid_id) !== m.toId || b.later) conflicts.push({ kind: 'building', code: m.code, reason: `楼栋 ${m.code} 在均衡后又被修改` });
    }
    if (conflicts.length > 0) throw new RebalanceUndoConflict(`均衡 #${batchId} 之后又有修改，无法整体撤销：${conflicts.map((c) => c.reason).join('；')}`, conflicts);
    // Each grid gets back the outline it had before the batch: the before side of the version the batch wrote.
    const restored = await executeRows<{ id: number }>(
      tx,
      sql`UPDATE grids g SET geom = v.before_geom
          FROM rebalance_batches r, jsonb_to_recordset(r.grids) AS x(id int, version int), grid_versions v
          WHERE r.id = ${batchId} AND g.id = x.id AND v.grid_id = x.id AND v.version = x.version AND v.before_geom IS NOT NULL
          RETURNING g.id`,
    );
    await tx.execute(sql`UPDATE rebalance_batches SET undone_at = now(), undone_by = ${options.actor} WHERE id = ${batchId}`);
    return { touched: restored.map((r) => Number(r.id)) };
  });
  return { ...result, batch: batchId };
}
