/**
 * The audit trail as a CSV download: UTF-8 with a BOM and CRLF lines (so Excel
 * opens the Chinese text), every cell quoted, and cells that look like formulas
 * neutralised with a leading apostrophe (spreadsheet injection).
 */
import type { AuditEntry } from './auditLog';

const csvCell = (v: unknown) => {
  let s = v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};

export function auditCsv(entries: AuditEntry[]): string {
  const lines = ['id,actor,action,entity,entity_id,at,ip,detail', ...entries.map((e) => [e.id, e.actor, e.action, e.entity, e.entityId, e.at, e.ip, e.detail].map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
