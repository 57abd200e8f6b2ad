/**
 * What an importable entity is (rosters, estates, organisations — and, plugged in by other
 * features, units and members): its columns with Chinese headers and examples (the
 * templates are made from them), a row parser that turns cells into a value or field
 * errors, optional checks across rows, and a writer that runs inside the import's one
 * transaction. The framework (runImport.ts) does reading, reporting and all-or-nothing.
 */
import type { Executor } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';

export interface ImportColumn {
  /** Key the parser reads the cell by. */
  key: string;
  /** Chinese header of the template (the file may also use the key or an alias). */
  header: string;
  required?: boolean;
  /** Example value for the template's second row. */
  example: string;
  /** What the column takes, shown in the template list. */
  note?: string;
  aliases?: readonly string[];
}

/** One problem of one row: row number as in the file (header = 1), column header, reason in Chinese. */
export interface RowError {
  row: number;
  field: string;
  reason: string;
}

export type ParsedRow<Row> = { value: Row } | { errors: { field: string; reason: string }[] };

export interface ImportContext {
  user: SessionUser | null;
}

export interface ImportEntity<Row = unknown, Ctx extends ImportContext = ImportContext> {
  key: string;
  /** e.g. 网格队伍 */
  label: string;
  columns: readonly ImportColumn[];
  /** Lookups read once per import (codes of grids, organisations …), in the transaction. */
  prepare(db: Executor, user: SessionUser | null): Promise<Ctx>;
  /** Cells by column key (trimmed; absent or empty = ''). `field` of an error is a column key. */
  parseRow(cells: Readonly<Record<string, string>>, ctx: Ctx): ParsedRow<Row>;
  /** Checks needing all rows (duplicates in the file, references to other rows, geometry in SQL); `field` is a column key. */
  checkAll?(rows: readonly { row: number; value: Row }[], ctx: Ctx, tx: Executor): Promise<RowError[]> | RowError[];
  /** Writes every row (only called when no row has an error). */
  write(tx: Executor, rows: readonly Row[], ctx: Ctx, actor: string): Promise<{ inserted: number; updated: number }>;
}

/** Erases the row type so entities of different rows sit in one registry. */
export const defineImportEntity = <Row, Ctx extends ImportContext>(entity: ImportEntity<Row, Ctx>): ImportEntity<unknown, ImportContext> => entity as unknown as ImportEntity<unknown, ImportContext>;
