/**
 * Downloadable templates of an import entity, made from its columns: a CSV (UTF-8 with a
 * byte-order mark, so Excel opens it in Chinese) and an .xlsx with the header, an example
 * row and a 说明 sheet (what each column takes, which are required).
 */
import ExcelJS from 'exceljs';
import { csvCell } from '../exports/formats/csvCell';
import type { ImportEntity } from './importEntity';

const headerText = (c: ImportEntity['columns'][number]) => (c.required ? `${c.header}*` : c.header);

export function templateCsv(entity: ImportEntity): string {
  const line = (cells: string[]) => cells.map((v) => csvCell(v)).join(',');
  return `\uFEFF${line(entity.columns.map(headerText))}\r\n${line(entity.columns.map((c) => c.example))}\r\n`;
}

export async function templateXlsx(entity: ImportEntity): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(entity.label);
  sheet.addRow(entity.columns.map(headerText)).font = { bold: true };
  sheet.addRow(entity.columns.map((c) => c.example));
  entity.columns.forEach((c, k) => {
    sheet.getColumn(k + 1).width = Math.max(10, Math.min(40, c.header.length * 2 + 4, c.example.length + 4));
    sheet.getColumn(k + 1).numFmt = '@';
  });
  const notes = book.addWorksheet('说明');
  notes.addRow(['列', '必填', '说明', '示例']).font = { bold: true };
  for (const c of entity.columns) notes.addRow([c.header, c.required ? '是' : '否', c.note ?? '', c.example]);
  notes.getColumn(3).width = 60;
  return new Uint8Array(await book.xlsx.writeBuffer());
}
