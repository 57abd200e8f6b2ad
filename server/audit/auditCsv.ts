/**
 * The audit trail as a CSV download: UTF-8 with a BOM and CRLF lines (so Excel
 * opens the Chinese text), every cell quoted, and cells that look like formulas
 * neutralised with a leading apostrophe (spreadsheet injection).
 */
import { csvCell } from '../exports/formats/csvCell';
import type { AuditEntry } from './auditLog';

export function auditCsv(entries: AuditEntry[]): string {
  const lines = ['id,actor,action,entity,entity_id,at,ip,detail', ...entries.map((e) => [e.id, e.actor, e.action, e.entity, e.entityId, e.at, e.ip, e.detail].map((v) => csvCell(v, { alwaysQuote: true })).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
