/**
 * Why: 月报 are generated on a schedule (the 1st of each month for the previous month,
 * and on start for missing past months) and on demand. The row is the lock: a job
 * first claims (region, month) — INSERT … ON CONFLICT DO NOTHING, or takes over a
 * failed row — and only the claimer renders, so two server processes never
 * double-generate. Rendering happens outside any transaction (Chromium takes seconds);
 * the PDF and its printed figures are stored in one UPDATE.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { DomainError, NotFoundError } from '../http/domainError';
import { cstMonth, type Month } from '../screen/months';
import { briefingData } from './briefingData';
import { briefingHtml } from './briefingHtml';
import { htmlToPdf } from './briefingPdf';

export interface BriefingRow {
  id: number;
  regionCode: string;
  regionName: string;
  month: string;
  status: 'generating' | 'ready' | 'failed';
  bytes: number | null;
  error: string | null;
  requestedBy: string;
  startedAt: string;
  finishedAt: string | null;
}

const COLUMNS = sql`id, region_code, region_name, month, status, bytes, error, requested_by, started_at, finished_at`;

function toRow(r: Record<string, unknown>): BriefingRow {
  return {
    id: Number(r.id),
    regionCode: String(r.region_code),
    regionName: String(r.region_name),
    month: String(r.month),
    status: r.status as BriefingRow['status'],
    bytes: r.bytes === null ? null : Number(r.bytes),
    error: (r.error as string | null) ?? null,
    requestedBy: String(r.requested_by),
    startedAt: new Date(r.started_at as string).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at as string).toISOString() : null,
  };
}

/** The month as [start, end) in China time, from "YYYY-MM". */
export function monthOf(key: string): Month {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return cstMonth(new Date(Date.UTC(y, m - 1, 15)));
}

export class BriefingRejected extends DomainError {
  constructor(field: string, reason: string, status: 409 | 422 = 422) {
    super(status, '无法生成月报', `${field}：${reason}`, { errors: [{ field, reason }] });
  }
}

async function regionName(db: DbHandle, code: string): Promise<string> {
  const [r] = await db.rows<{ name: string; level: string }>(sql`SELECT name, level::text AS level FROM regions WHERE code = ${code}`);
  if (!r) throw new NotFoundError(`区域编码 ${code} 不存在`, { errors: [{ field: 'region', reason: '区划不存在' }] });
  if (r.level !== 'street' && r.level !== 'district') throw new BriefingRejected('region', '月报按街道或县区生成');
  return r.name;
}

/**
 * Claims (region, month) for `by`: a new row, or a failed one (or any finished one when
 * `regenerate`). Returns null when another job holds it or it is ready (and not regenerating).
 */
export async function claimBriefing(db: DbHandle, code: string, month: string, by: string, regenerate = false): Promise<BriefingRow | null> {
  const name = await regionName(db, code);
  const [inserted] = await db.rows<Record<string, unknown>>(sql`
    INSERT INTO briefings (region_code, region_name, month, status, requested_by) VALUES (${code}, ${name}, ${month}, 'generating', ${by})
    ON CONFLICT (region_code, month) DO NOTHING RETURNING ${COLUMNS}`);
  if (inserted) return toRow(inserted);
  const takeOver = regenerate ? sql`status <> 'generating'` : sql`status = 'failed'`;
  const [taken] = await db.rows<Record<string, unknown>>(sql`
    UPDATE briefings SET status = 'generating', requested_by = ${by}, started_at = now(), finished_at = NULL, error = NULL
    WHERE region_code = ${code} AND month = ${month} AND ${takeOver} RETURNING ${COLUMNS}`);
  return taken ? toRow(taken) : null;
}

/** Renders a claimed briefing and stores the PDF, or records why it failed (then rethrows). */
export async function renderBriefing(db: DbHandle, row: BriefingRow, now = new Date()): Promise<BriefingRow> {
  try {
    const month = monthOf(row.month);
    const previous = cstMonth(month.start, -1);
    // cstMonth of the instant at the month's start (China midnight) is the month itself; −1 the one before.
    const data = await briefingData(db, row.regionCode, month, previous, now);
    const pdf = await htmlToPdf(briefingHtml(data, now));
    const [r] = await db.rows<Record<string, unknown>>(sql`
      UPDATE briefings SET status = 'ready', pdf = ${pdf}, bytes = ${pdf.length}, summary = ${JSON.stringify(data.summary)}::jsonb, finished_at = now(), error = NULL
      WHERE id = ${row.id} RETURNING ${COLUMNS}`);
    return toRow(r!);
  } catch (err) {
    await db.db.execute(sql`UPDATE briefings SET status = 'failed', error = ${(err as Error).message.slice(0, 500)}, finished_at = now() WHERE id = ${row.id}`);
    throw err;
  }
}

export async function listBriefings(db: DbHandle, region?: string): Promise<BriefingRow[]> {
  const rows = await db.rows<Record<string, unknown>>(sql`SELECT ${COLUMNS} FROM briefings ${region ? sql`WHERE region_code = ${region}` : sql``} ORDER BY month DESC, region_code LIMIT 500`);
  return rows.map(toRow);
}

export async function getBriefing(db: DbHandle, id: number): Promise<BriefingRow> {
  const [r] = await db.rows<Record<string, unknown>>(sql`SELECT ${COLUMNS} FROM briefings WHERE id = ${id}`);
  if (!r) throw new NotFoundError(`月报 ${id} 不存在`);
  return toRow(r);
}

export async function briefingPdf(db: DbHandle, id: number): Promise<{ row: BriefingRow; pdf: Uint8Array }> {
  const [r] = await db.rows<Record<string, unknown>>(sql`SELECT ${COLUMNS}, pdf FROM briefings WHERE id = ${id}`);
  if (!r) throw new NotFoundError(`月报 ${id} 不存在`);
  const row = toRow(r);
  if (row.status !== 'ready' || !r.pdf) throw new BriefingRejected('id', row.status === 'failed' ? `生成失败：${row.error ?? ''}` : '月报仍在生成中', 409);
  return { row, pdf: new Uint8Array(r.pdf as Uint8Array) };
}

/** Regions a schedule covers: BRIEFING_LEVELS (default district,street). */
export async function scheduledRegions(db: DbHandle, levels = (process.env.BRIEFING_LEVELS ?? 'district,street').split(',')): Promise<string[]> {
  const wanted = levels.map((l) => l.trim()).filter((l) => l === 'district' || l === 'street');
  if (wanted.length === 0) return [];
  const rows = await db.rows<{ code: string }>(sql`SELECT code FROM regions WHERE level::text IN ${wanted} ORDER BY code`);
  return rows.map((r) => r.code);
}

/** The complete months to have: the last `count` before the month of `now`, oldest first. */
export function dueMonths(now: Date, count: number): string[] {
  return Array.from({ length: count }, (_, i) => cstMonth(now, i - count).key);
}

/**
 * One pass of the schedule: every scheduled region × due month without a report is
 * claimed and rendered, one at a time. Returns what this process generated.
 */
export async function runBriefingSchedule(db: DbHandle, now = new Date(), months = Number(process.env.BRIEFING_CATCHUP_MONTHS ?? 3), regions?: string[]) {
  const generated: BriefingRow[] = [];
  const failed: { region: string; month: string; error: string }[] = [];
  for (const month of dueMonths(now, months)) {
    for (const code of regions ?? (await scheduledRegions(db))) {
      const claimed = await claimBriefing(db, code, month, 'schedule');
      if (!claimed) continue;
      try {
        generated.push(await renderBriefing(db, claimed, now));
      } catch (err) {
        failed.push({ region: code, month, error: (err as Error).message });
      }
    }
  }
  return { generated, failed };
}
