/**
 * Why: the export of a figure's records is a file a leader opens in Excel/WPS — CSV
 * (UTF-8 with BOM, formula-safe cells, server/exports/formats/csvCell.ts) or xlsx
 * (exceljs). Rows are exactly figureExportRows' rows: the test counts them back.
 */
import ExcelJS from 'exceljs';
import { csvCell } from '../exports/formats/csvCell';
import type { FigureColumn } from './figureQuery';

export const FIGURE_EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type FigureExportFormat = (typeof FIGURE_EXPORT_FORMATS)[number];

type Row = Record<string, unknown>;

export function figureCsv(columns: FigureColumn[], rows: Row[]): Buffer {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.key])).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function figureXlsx(sheetName: string, columns: FigureColumn[], rows: Row[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  // Sheet names: ≤ 31 characters, none of : \ / ? * [ ].
  const sheet = book.addWorksheet(sheetName.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || '明细');
  sheet.columns = columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(10, c.label.length * 2 + 4) }));
  for (const r of rows) sheet.addRow(Object.fromEntries(columns.map((c) => [c.key, r[c.key] ?? null])));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** `month`: opened at a trend month, which the name then says (YYYY-MM). */
export function figureFileName(id: string, scope: string, format: FigureExportFormat, month?: string): string {
  return `figure-${id.replace(/[^A-Za-z0-9.]/g, '_')}-${scope}${month ? `-${month}` : ''}.${format}`;
}
