/**
 * The import framework's one entry: read the table, map its headers to the entity's
 * columns, parse every row, check across rows, and — unless it is a dry run — write all
 * rows in one transaction. Any bad row means nothing is written: a commit with errors is
 * a 422 carrying the same report as the dry run (row, column, reason in Chinese).
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { DomainError } from '../http/domainError';
import { IngestFormatError } from '../incidents/ingest';
import type { ImportEntity, RowError } from './importEntity';
import { readTable } from './readTable';

export interface ImportReport {
  entity: string;
  label: string;
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'gb18030' | null;
  dryRun: boolean;
  /** Data rows in the file. */
  rows: number;
  /** Rows without an error. */
  valid: number;
  errors: RowError[];
  /** Headers that match no column (ignored). */
  ignoredColumns: string[];
  committed: boolean;
  inserted: number;
  updated: number;
}

/** 422: the file has bad rows; nothing was written. */
export class ImportRejected extends DomainError {
  constructor(report: ImportReport) {
    super(422, '导入被拒绝', `${report.errors.length} 处错误（涉及 ${new Set(report.errors.map((e) => e.row)).size} 行），未写入任何数据`, {
      report,
      errors: report.errors.slice(0, 200).map((e) => ({ field: `第${e.row}行 ${e.field}`, reason: e.reason })),
    });
  }
}

const normalise = (h: string) => h.replace(/[\s*＊（）()]/g, '').toLowerCase();

/** Column index per entity column key, from the header (Chinese header, key or alias; a trailing * or （必填） is ignored). */
function mapHeader(entity: ImportEntity, header: string[]): { indexOf: Map<string, number>; ignored: string[] } {
  const byName = new Map<string, string>();
  for (const c of entity.columns) for (const name of [c.header, c.key, ...(c.aliases ?? [])]) byName.set(normalise(name.replace('必填', '')), c.key);
  const indexOf = new Map<string, number>();
  const ignored: string[] = [];
  header.forEach((h, k) => {
    const key = byName.get(normalise(h.replace('必填', '')));
    if (key && !indexOf.has(key)) indexOf.set(key, k);
    else if (h.trim() !== '') ignored.push(h.trim());
  });
  const missing = entity.columns.filter((c) => c.required && !indexOf.has(c.key));
  if (missing.length > 0) throw new IngestFormatError(`表头缺少必填列：${missing.map((c) => c.header).join('、')}（请使用下载的模板）`);
  return { indexOf, ignored };
}

export interface RunImportOptions {
  dryRun: boolean;
  user: SessionUser | null;
}

export async function runImport(db: DbHandle, entity: ImportEntity, bytes: Uint8Array, options: RunImportOptions): Promise<ImportReport> {
  const table = await readTable(bytes);
  const { indexOf, ignored } = mapHeader(entity, table.header);
  const headerOf = new Map(entity.columns.map((c) => [c.key, c.header]));
  const actor = options.user?.displayName ?? options.user?.username ?? '未知用户';
  return db.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('dangjian.actor', ${actor}, true), set_config('dangjian.action', 'import', true), set_config('dangjian.note', ${`导入${entity.label}`}, true)`);
    const ctx = await entity.prepare(tx, options.user);
    const errors: RowError[] = [];
    const parsed: { row: number; value: unknown }[] = [];
    for (const { row, cells } of table.rows) {
      const byKey: Record<string, string> = {};
      for (const c of entity.columns) byKey[c.key] = (cells[indexOf.get(c.key) ?? -1] ?? '').trim();
      const result = entity.parseRow(byKey, ctx);
      if ('errors' in result) for (const e of result.errors) errors.push({ row, field: headerOf.get(e.field) ?? e.field, reason: e.reason });
      else parsed.push({ row, value: result.value });
    }
    for (const e of (await entity.checkAll?.(parsed, ctx, tx)) ?? []) errors.push({ ...e, field: headerOf.get(e.field) ?? e.field });
    errors.sort((a, b) => a.row - b.row);
    const badRows = new Set(errors.map((e) => e.row));
    const report: ImportReport = {
      entity: entity.key,
      label: entity.label,
      format: table.format,
      encoding: table.encoding,
      dryRun: options.dryRun,
      rows: table.rows.length,
      valid: table.rows.filter((r) => !badRows.has(r.row)).length,
      errors,
      ignoredColumns: ignored,
      committed: false,
      inserted: 0,
      updated: 0,
    };
    if (table.rows.length === 0) throw new IngestFormatError('文件没有数据行');
    if (options.dryRun) return report;
    if (errors.length > 0) throw new ImportRejected(report);
    const counts = await entity.write(
      tx,
      parsed.map((p) => p.value),
      ctx,
      actor,
    );
    return { ...report, committed: true, ...counts };
  });
}
