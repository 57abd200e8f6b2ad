/**
 * CSV with a WKT geometry column (GDAL's CSV driver recognises a column named
 * WKT). UTF-8 with a BOM so Excel shows Chinese correctly; RFC 4180 quoting.
 * CSV carries no CRS: the download's X-CRS header and file name say which.
 * Cells go through csvCell: text that would start a formula is neutralised.
 */
import { csvCell } from './csvCell';
import { toWkt } from './wkt';
import type { ExportFormat } from './types';
import { encoder } from './types';

export const csvFormat: ExportFormat = {
  id: 'csv',
  title: 'CSV（WKT 几何）',
  extension: 'csv',
  contentType: 'text/csv; charset=utf-8',
  streaming: true,
  rejectCrs: () => null,
  async *write({ layer, batches }) {
    yield encoder.encode(`\uFEFF${['WKT', ...layer.fields.map((f) => f.name)].map((name) => csvCell(name)).join(',')}\r\n`);
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      yield encoder.encode(batch.map((f) => `${[csvCell(toWkt(f.geometry)), ...layer.fields.map((fd) => csvCell(f.properties[fd.name]))].join(',')}\r\n`).join(''));
    }
  },
};
