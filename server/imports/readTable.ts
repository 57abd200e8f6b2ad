/**
 * Reads an uploaded table — CSV (UTF-8, or GBK as Excel saves it: the incident batch's
 * decoder) or Excel .xlsx (exceljs, first worksheet) — into a header and rows of
 * strings with their row numbers in the file, so every entity parses the same cells.
 */
import { parse as parseCsvSync } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { decodeBatch } from '../incidents/batchEncoding';
import { IngestFormatError } from '../incidents/ingest';

export const MAX_IMPORT_ROWS = 20_000;

export interface TableRow {
  /** Row number in the file (the header is 1). */
  row: number;
  cells: string[];
}

export interface ReadTable {
  format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'gb18030' | null;
  header: string[];
  rows: TableRow[];
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A cell as the user typed it: dates as YYYY-MM-DD, formulas by their result, rich text joined. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function readXlsx(bytes: Uint8Array): Promise<ReadTable> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new IngestFormatError(`无法读取 Excel 文件：${(error as Error).message}`);
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new IngestFormatError('Excel 文件没有工作表');
  const lines: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells = values.slice(1).map((v) => cellText(v).trim());
    if (cells.some((c) => c !== '')) lines.push({ row: number, cells });
  });
  const [head, ...rows] = lines;
  if (!head) throw new IngestFormatError('Excel 工作表为空：第一行应为表头');
  return { format: 'xlsx', encoding: null, header: head.cells, rows };
}

function readCsv(bytes: Uint8Array): ReadTable {
  const { text, encoding } = decodeBatch(bytes);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvSync(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as never;
  } catch (error) {
    throw new IngestFormatError(`CSV 格式错误：${(error as Error).message}`);
  }
  const [head, ...body] = records;
  if (!head) throw new IngestFormatError('CSV 为空：第一行应为表头');
  return { format: 'csv', encoding, header: head.record, rows: body.map(({ record, info }) => ({ row: info.lines, cells: record })) };
}

export async function readTable(bytes: Uint8Array): Promise<ReadTable> {
  if (bytes.length === 0) throw new IngestFormatError('文件为空');
  if (isOle(bytes)) throw new IngestFormatError('不支持旧版 Excel（.xls），请另存为 .xlsx 或 CSV 后导入');
  const table = isZip(bytes) ? await readXlsx(bytes) : readCsv(bytes);
  if (table.rows.length > MAX_IMPORT_ROWS) throw new IngestFormatError(`一次最多导入 ${MAX_IMPORT_ROWS} 行，本次 ${table.rows.length} 行`);
  return table;
}
