/**
 * A 微网格 reshaped in the editor in Chromium, by the planner of its street: selected from the
 * panel's list, one vertex dragged with the same vertex tools base grids use, saved — the stored
 * outline changed, its siblings took the area it gave up so they still tile the base grid, the
 * panel shows the new version — and its history lists the versions (who, what) with a past outline
 * shown on the map; a save on a version someone else has moved past is a conflict the planner
 * reloads, and 回退 from the history restores the first outline with the base grid still tiled; 校验 of a
 * vertex dragged out of the base grid shows the level rule's refusal and writes nothing; Esc goes back
 * to the base grid and a double click on the map selects another 微网格.
 * Grid, vertex and target are derived from the data, not from fixed coordinates.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { testPlanner } from '../../server/testing/principals';
import type { SessionUser } from '../../kernel/roles';
import { LOAD_MS, launchBrowser, mapIdle, openPage, startServer, TEST_MS, WAIT_MS } from './browser';

type Position = [number, number];

describe('a 微网格 reshaped in the editor (Chromium)', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let planner: SessionUser;
  let micro: { code: string; parent: string; version: number; lon: number; lat: number };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    // A micro grid with siblings; its point on surface to pull a vertex towards.
    const [row] = await db.handle.rows<{ code: string; parent: string; street: string; version: number; lon: number; lat: number }>(sql`
      SELECT m.code, m.parent_grid_code AS parent, m.street_code AS street, m.version, ST_X(ST_PointOnSurface(m.geom)) AS lon, ST_Y(ST_PointOnSurface(m.geom)) AS lat
      FROM sub_grids m WHERE m.level = 'micro' AND (SELECT count(*) FROM sub_grids s WHERE s.parent_grid_code = m.parent_grid_code) >= 2
      ORDER BY m.code LIMIT 1`);
    micro = { code: row!.code, parent: row!.parent, version: Number(row!.version), lon: Number(row!.lon), lat: Number(row!.lat) };
    planner = testPlanner(row!.street);
    server = await startServer(db.handle, { anonymousUser: planner });
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  const project = (p: Position) => page.evaluate((q) => window.__dangjian!.map.project(q as [number, number]), p);
  const draft = () => page.evaluate(() => window.__dangjianEditor?.draft ?? null);
  const stored = async () => {
    const [r] = await db.handle.rows<{ version: number; area: number; g: string }>(sql`SELECT version, area_m2 AS area, ST_AsGeoJSON(geom, 7) AS g FROM sub_grids WHERE code = ${micro.code}`);
    return { version: Number(r!.version), area: Number(r!.area), geometry: JSON.parse(r!.g) as GeoJSON.MultiPolygon };
  };

  const tiling = async () => {
    const [t] = await db.handle.rows<{ base: number; sum: number; overlap: number }>(sql`
      SELECT ST_Area(g.geom::geography) AS base, (SELECT sum(area_m2) FROM sub_grids WHERE parent_grid_code = g.code) AS sum,
             (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM sub_grids a JOIN sub_grids b ON a.id < b.id
                AND a.parent_grid_code = g.code AND b.parent_grid_code = g.code WHERE ST_Relate(a.geom, b.geom, '2********')) AS overlap
      FROM grids g WHERE g.code = ${micro.parent}`);
    return { gap: Math.abs(Number(t!.base) - Number(t!.sum)), overlap: Number(t!.overlap) };
  };

  /** Drags the draft's vertex `index` (first ring) a `share` of the way to the micro grid's inner point (negative: away from it), without snapping. */
  async function dragVertex(geometry: GeoJSON.MultiPolygon, index: number, share = 0.35) {
    const from = geometry.coordinates[0]![0]![index] as Position;
    const to: Position = [from[0] + (micro.lon - from[0]) * share, from[1] + (micro.lat - from[1]) * share];
    const a = await project(from);
    const b = await project(to);
    expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThan(15);
    const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
    await page.keyboard.down('Alt');
    await page.mouse.move(box.x + a.x, box.y + a.y);
    await page.mouse.down();
    await page.mouse.move(box.x + (a.x + b.x) / 2, box.y + (a.y + b.y) / 2, { steps: 4 });
    await page.mouse.move(box.x + b.x, box.y + b.y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Alt');
    await expect.poll(async () => JSON.stringify(await draft()) !== JSON.stringify(geometry), { timeout: WAIT_MS }).toBe(true);
    return { from, to };
  }

  it('selects the 微网格, moves a vertex and saves: stored outline changed, siblings still tile the base grid', async () => {
    const before = await stored();
    const siblingsBefore = await db.handle.rows<{ code: string; version: number }>(sql`SELECT code, version FROM sub_grids WHERE parent_grid_code = ${micro.parent} AND code <> ${micro.code} ORDER BY code`);
    await page.goto(`${server.url}/editor?grid=${micro.parent}`);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    await expect.poll(() => page.textContent('[data-testid="editor-grid-code"]'), { timeout: WAIT_MS }).toBe(micro.parent);
    await page.getByRole('button', { name: `编辑 ${micro.code}` }).click();
    await expect.poll(() => page.textContent('[data-testid="sub-grid-selected"]'), { timeout: WAIT_MS }).toContain(micro.code);
    // The draft is the micro grid's outline, with its vertex handles.
    await expect.poll(async () => JSON.stringify(await draft()), { timeout: WAIT_MS }).toBe(JSON.stringify(before.geometry));
    await mapIdle(page);

    const { from, to } = await dragVertex(before.geometry, 0);
    const moved = (await draft()) as GeoJSON.MultiPolygon;
    const landed = moved.coordinates[0]![0]![0]!;
    expect(Math.hypot(landed[0]! - to[0], landed[1]! - to[1])).toBeLessThan(Math.hypot(from[0] - to[0], from[1] - to[1]) / 3);

    await page.getByTestId('editor-save').click();
    await expect.poll(async () => (await stored()).version, { timeout: WAIT_MS }).toBe(before.version + 1);
    const after = await stored();
    expect(after.geometry.coordinates[0]![0]![0]).toEqual(landed.map((n) => Math.round(n * 1e7) / 1e7));
    expect(Math.abs(after.area - before.area)).toBeGreaterThan(1);
    const t = await tiling();
    expect(t.gap).toBeLessThan(1);
    expect(t.overlap).toBeLessThan(1);
    // A sibling took (or gave) the area: it has a new version.
    const siblingsAfter = await db.handle.rows<{ code: string; version: number }>(sql`SELECT code, version FROM sub_grids WHERE parent_grid_code = ${micro.parent} AND code <> ${micro.code} ORDER BY code`);
    expect(siblingsAfter.some((s) => Number(s.version) > Number(siblingsBefore.find((x) => x.code === s.code)?.version ?? Infinity))).toBe(true);
    // The panel follows: still editing the micro grid, now at its new version.
    await expect.poll(() => page.textContent('[data-testid="sub-grid-version"]'), { timeout: WAIT_MS }).toBe(String(before.version + 1));
  });

  it('opens its history: the versions with who and what, a past outline on the map', async () => {
    await page.getByRole('tab', { name: '历史版本（微网格）' }).click();
    const versions = await db.handle.rows<{ version: number }>(sql`SELECT v.version FROM sub_grid_versions v JOIN sub_grids s ON s.id = v.sub_grid_id WHERE s.code = ${micro.code} ORDER BY v.version DESC`);
    expect(versions.length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.locator('[data-testid="editor-history"] tbody tr').count(), { timeout: WAIT_MS }).toBe(versions.length);
    const top = (await page.locator('[data-testid="editor-history"] tbody tr').first().textContent()) ?? '';
    expect(top).toContain(String(micro.version + 1));
    expect(top).toContain('当前');
    expect(top).toContain('修改');
    expect(top).toContain(planner.displayName);
    await page.locator('[data-testid="editor-history"] tbody tr').first().getByRole('button', { name: '查看' }).click();
    await expect.poll(() => page.textContent('[data-testid="editor-overlay"]'), { timeout: WAIT_MS }).toContain(`版本 ${micro.version + 1}`);
    // The outline before the edit is drawn as the overlay.
    await expect.poll(() => page.evaluate(() => window.__dangjian!.map.querySourceFeatures('editor-overlay').length), { timeout: WAIT_MS }).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it('shows a conflict when someone else saved meanwhile, reloads, and reverts to the first version from the history', async () => {
    // Someone else renames it: the stored version moves past the one the editor holds.
    await db.handle.rows(sql`UPDATE sub_grids SET name = name || '（他人修改）' WHERE code = ${micro.code} RETURNING id`);
    const theirs = await stored();
    expect(theirs.version).toBe(micro.version + 2);
    await dragVertex((await draft()) as GeoJSON.MultiPolygon, 1);
    await page.getByTestId('editor-save').click();
    await expect.poll(() => page.textContent('[data-testid="editor-conflict"]'), { timeout: WAIT_MS }).toContain(`版本 ${theirs.version}`);
    expect((await stored()).version).toBe(theirs.version);
    await page.getByRole('button', { name: '重新加载（放弃我的修改）' }).click();
    await expect.poll(() => page.textContent('[data-testid="sub-grid-version"]'), { timeout: WAIT_MS }).toBe(String(theirs.version));
    await expect.poll(async () => JSON.stringify(await draft()), { timeout: WAIT_MS }).toBe(JSON.stringify(theirs.geometry));

    // 回退 to the first version: the last row of the history.
    const rows = page.locator('[data-testid="editor-history"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(theirs.version);
    await rows.last().getByRole('button', { name: '回退到此版本' }).click();
    await expect.poll(async () => (await stored()).version, { timeout: WAIT_MS }).toBe(theirs.version + 1);
    const [same] = await db.handle.rows<{ diff: number; action: string; actor: string }>(sql`
      SELECT ST_Area(ST_SymDifference(s.geom, v.after_geom)::geography) AS diff, n.action, n.actor
      FROM sub_grids s JOIN sub_grid_versions v ON v.sub_grid_id = s.id AND v.version = ${micro.version}
           JOIN sub_grid_versions n ON n.sub_grid_id = s.id AND n.version = s.version WHERE s.code = ${micro.code}`);
    expect(Number(same!.diff)).toBeLessThan(0.01);
    expect([same!.action, same!.actor]).toEqual(['revert', planner.displayName]);
    const t = await tiling();
    expect(t.gap).toBeLessThan(1);
    expect(t.overlap).toBeLessThan(1);
    await expect.poll(() => page.textContent('[data-testid="sub-grid-version"]'), { timeout: WAIT_MS }).toBe(String(theirs.version + 1));
    expect(pageErrors).toEqual([]);
  });

  it('校验 a vertex dragged out of the base grid: the level rule refuses it, nothing is written, Esc discards', async () => {
    const before = await stored();
    const ring = before.geometry.coordinates[0]![0]!;
    // A vertex that, pulled away from the inner point, lands outside the base grid.
    let index = -1;
    for (let i = 0; i < ring.length - 1 && index < 0; i++) {
      const [x, y] = ring[i] as Position;
      const to: Position = [x + (x - micro.lon) * 0.6, y + (y - micro.lat) * 0.6];
      const [hit] = await db.handle.rows<{ inside: boolean }>(sql`SELECT ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${to[0]}, ${to[1]}), 4326)) AS inside FROM grids WHERE code = ${micro.parent}`);
      const a = await project([x, y]);
      const b = await project(to);
      if (!hit!.inside && Math.hypot(a.x - b.x, a.y - b.y) > 15 && b.x > 0 && b.y > 0) index = i;
    }
    expect(index).toBeGreaterThanOrEqual(0);
    await dragVertex(before.geometry, index, -0.6);
    await page.getByTestId('editor-validate').click();
    await expect.poll(() => page.textContent('[data-testid="editor-violations"]'), { timeout: WAIT_MS }).toContain(`微网格 ${micro.code} 超出所属基础网格`);
    expect((await stored()).version).toBe(before.version);
    await page.keyboard.press('Escape');
    await expect.poll(async () => JSON.stringify(await draft()), { timeout: WAIT_MS }).toBe(JSON.stringify(before.geometry));
    expect(pageErrors).toEqual([]);
  });

  it('Esc returns to the base grid; a double click on a sibling selects that 微网格', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="sub-grid-selected"]').count(), { timeout: WAIT_MS }).toBe(0);
    const [base] = await db.handle.rows<{ g: string }>(sql`SELECT ST_AsGeoJSON(geom, 7) AS g FROM grids WHERE code = ${micro.parent}`);
    await expect.poll(async () => JSON.stringify(await draft()), { timeout: WAIT_MS }).toBe(base!.g);
    const [sibling] = await db.handle.rows<{ code: string; lon: number; lat: number }>(sql`
      SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM sub_grids
      WHERE parent_grid_code = ${micro.parent} AND code <> ${micro.code} ORDER BY area_m2 DESC LIMIT 1`);
    await mapIdle(page);
    const at = await project([Number(sibling!.lon), Number(sibling!.lat)]);
    const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
    await page.mouse.dblclick(box.x + at.x, box.y + at.y);
    await expect.poll(() => page.textContent('[data-testid="sub-grid-selected"]'), { timeout: WAIT_MS }).toContain(sibling!.code);
    expect(pageErrors).toEqual([]);
  });
});
