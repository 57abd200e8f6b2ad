/**
 * The grid attributes an import may carry besides code and name — households, population,
 * the party organisation's name and the grid workers (a list) — found in the file's
 * attributes by the mapping or by their usual names, and validated with the same rules
 * as the editor (server/grids/attributesInput.ts), so an import cannot store what a
 * manual edit would refuse. A value left empty in the file keeps the stored one.
 */
import { gridAttributesInput } from '../../grids/attributesInput';
import type { ImportIssue } from './report';

export const IMPORTED_ATTRIBUTES = ['households', 'population', 'partyOrgName', 'gridWorkers'] as const;
export type ImportedAttribute = (typeof IMPORTED_ATTRIBUTES)[number];

export const ATTRIBUTE_LABELS: Record<ImportedAttribute, string> = { households: '户数', population: '人口', partyOrgName: '党组织名称', gridWorkers: '网格员' };

/** Field names tried (case-insensitively) when the mapping names none; the grid export's names first, so an export imports back unchanged. */
export const ATTRIBUTE_FALLBACKS: Record<ImportedAttribute, string[]> = {
  households: ['households', 'hh', 'hs', '户数'],
  population: ['population', 'pop', 'rk', '人口', '人口数'],
  partyOrgName: ['party_org', 'party_org_name', 'partyorgname', 'dzz', '党组织', '党组织名称'],
  gridWorkers: ['grid_workers', 'gridworkers', 'workers', 'wgy', '网格员'],
};

export type GridImportAttributes = { households?: number; population?: number; partyOrgName?: string; gridWorkers?: string[] };

/** Names in one cell: a list, or text separated by 、 , ， ; ； or |. */
const WORKER_SEPARATORS = /[、,，;；|]+/;

const empty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** A count from a number or numeric text ("1,234" and full-width digits are not guessed at). */
function countValue(v: unknown): number | string {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[+-]?\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  return `应为数字，实际为“${String(typeof v === 'object' ? JSON.stringify(v) : v).slice(0, 40)}”`;
}

function workersValue(v: unknown): string[] | string {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(WORKER_SEPARATORS) : null;
  if (!list) return '应为姓名列表，或以顿号、逗号分隔的姓名';
  if (list.some((n) => typeof n !== 'string')) return '列表中的每一项都应为姓名文字';
  return (list as string[]).map((n) => n.trim()).filter((n) => n !== '');
}

export interface AttributeSource {
  key: ImportedAttribute;
  /** The file's field the value came from. */
  field: string;
  value: unknown;
}

/** The attributes of one feature, and an error issue per bad value (row, field, reason). */
export function importAttributes(sources: AttributeSource[], feature: number, code: string): { attributes: GridImportAttributes; issues: ImportIssue[] } {
  const attributes: GridImportAttributes = {};
  const issues: ImportIssue[] = [];
  const bad = (s: AttributeSource, reason: string) =>
    issues.push({ severity: 'error', kind: 'bad_attribute', feature, code, field: s.key, sourceField: s.field, reason: `${ATTRIBUTE_LABELS[s.key]}（字段 ${s.field}）：${reason}`, location: null });
  for (const s of sources) {
    if (empty(s.value)) continue;
    const raw = s.key === 'households' || s.key === 'population' ? countValue(s.value) : s.key === 'gridWorkers' ? workersValue(s.value) : typeof s.value === 'string' ? s.value.trim() : String(s.value);
    if (typeof raw === 'string' && s.key !== 'partyOrgName') {
      bad(s, raw);
      continue;
    }
    const parsed = gridAttributesInput.shape[s.key].safeParse(raw);
    if (!parsed.success) {
      const shown = typeof s.value === 'object' ? JSON.stringify(s.value) : String(s.value);
      bad(s, `${parsed.error.issues[0]?.message ?? '无效'}，实际为“${shown.slice(0, 40)}”`);
      continue;
    }
    Object.assign(attributes, { [s.key]: parsed.data });
  }
  return { attributes, issues };
}
