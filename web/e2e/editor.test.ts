/**
 * The grid editor in Chromium: drag a vertex with the mouse, save with Enter, and
 * check the server's geometry and version, the refreshed vector tiles and the
 * adjusted neighbours; then a save the rules reject (a vertex dragged out of the
 * community) shows its violation and writes nothing.
 */
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { moveVertex, vertices, type PolygonalGeometry, type Position, type VertexRef } from '../src/features/editor/geometryOps';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

interface GridRow {
  code: string;
  version: number;
  geometry: string;
  community_code: string;
}

describe('grid editor in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let code: string;
  const pageErrors: string[] = [];

  const gridRow = async (c: string) => {
    const [row] = await db.handle.rows<GridRow>(sql`SELECT code, version, ST_AsGeoJSON(geom, 7) AS geometry, community_code FROM grids WHERE code = ${c}`);
    return { ...row!, geometry: JSON.parse(row!.geometry) as PolygonalGeometry };
  };
  const apiGrid = async (c: string) => (await (await fetch(`${server.url}/api/grids/${c}`)).json()) as { version: number; geometry: GeoJSON.MultiPolygon };
  const project = (p: Position) => page.evaluate((q) => window.__dangjian!.map.project(q as [number, number]), p);
  const unproject = (p: { x: number; y: number }) => page.evaluate((q) => window.__dangjian!.map.unproject([q.x, q.y]).toArray() as [number, number], p);
  const canvasBox = async () => (await page.locator('.maplibregl-canvas').boundingBox())!;

  /** Moves a vertex `px` screen pixels towards (sign 1) or away from (sign −1) the grid's inside point. */
  async function candidateMove(geometry: PolygonalGeometry, inside: Position, ref: VertexRef, px: number, sign: 1 | -1) {
    const from = vertices(geometry).find((v) => v.ref.polygon === ref.polygon && v.ref.ring === ref.ring && v.ref.index === ref.index)!.position;
    const a = await project(from);
    const c = await project(inside);
    const len = Math.hypot(c.x - a.x, c.y - a.y);
    // Whole pixels: the mouse lands on integer CSS pixels.
    const to = { x: Math.round(a.x + (sign * px * (c.x - a.x)) / len), y: Math.round(a.y + (sign * px * (c.y - a.y)) / len) };
    return { fromPx: a, toPx: to, toLngLat: await unproject(to) };
  }

  /** The first vertex whose move gives a valid polygon that is (or is not) inside the community. */
  async function pickMove(row: { code: string; community_code: string; geometry: PolygonalGeometry }, inside: Position, wantInside: boolean) {
    for (const v of vertices(row.geometry)) {
      if (v.ref.ring !== 0) continue;
      const [onBoundary] = await db.handle.rows<{ on: boolean }>(sql`
        SELECT ST_DWithin(ST_Boundary(geom)::geography, ST_SetSRID(ST_MakePoint(${v.position[0]}, ${v.position[1]}), 4326)::geography, 0.5) AS on
        FROM regions WHERE code = ${row.community_code}`);
      if (onBoundary!.on === wantInside) continue;
      const move = await candidateMove(row.geometry, inside, v.ref, wantInside ? 25 : 60, wantInside ? 1 : -1);
      const moved = moveVertex(row.geometry, v.ref, move.toLngLat);
      const [check] = await db.handle.rows<{ valid: boolean; covered: boolean }>(sql`
        SELECT ST_IsValid(g) AS valid, ST_CoveredBy(g, (SELECT geom FROM regions WHERE code = ${row.community_code})) AS covered
        FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(moved)}), 4326) AS g) x`);
      if (check!.valid && check!.covered === wantInside) return { ...move, ref: v.ref };
    }
    throw new Error(`no vertex of ${row.code} to move ${wantInside ? 'inside' : 'outside'} its community`);
  }

  async function drag(fromPx: { x: number; y: number }, toPx: { x: number; y: number }) {
    const box = await canvasBox();
    await page.keyboard.down('Alt'); // no snapping: the vertex lands exactly under the mouse
    await page.mouse.move(box.x + fromPx.x, box.y + fromPx.y);
    await page.mouse.down();
    await page.mouse.move(box.x + (fromPx.x + toPx.x) / 2, box.y + (fromPx.y + toPx.y) / 2, { steps: 4 });
    await page.mouse.move(box.x + toPx.x, box.y + toPx.y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Alt');
  }

  const near = (a: readonly number[], b: readonly number[], tol: number) => Math.abs(a[0]! - b[0]!) <= tol && Math.abs(a[1]! - b[1]!) <= tol;
  const hasVertexNear = (g: PolygonalGeometry, p: Position, tol: number) => vertices(g).some((v) => near(v.position, p, tol));

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
    page = await openPage(browser, { viewport: { width: 1600, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // A grid inside its community with neighbours on several sides: the first one of a community in the middle of the list.
    const [row] = await db.handle.rows<{ code: string }>(sql`
      SELECT g.code FROM grids g JOIN regions r ON r.code = g.community_code
      WHERE NOT ST_Intersects(ST_Boundary(r.geom), ST_PointOnSurface(g.geom)) ORDER BY g.code LIMIT 1 OFFSET 4`);
    code = row!.code;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  it('opens a grid from the URL with its vertices on the map', async () => {
    await page.goto(`${server.url}/editor?grid=${code}`);
    await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
    await expect.poll(() => page.textContent('[data-testid="editor-grid-code"]'), { timeout: WAIT_MS }).toBe(code);
    const row = await gridRow(code);
    // GeoJSON sources are tiled: a handle near a tile edge shows up once per tile.
    const handles = await page.evaluate(() => window.__dangjian!.map.querySourceFeatures('editor-vertices').map((f) => `${f.properties.polygon}.${f.properties.ring}.${f.properties.index}`));
    expect(new Set(handles).size).toBe(vertices(row.geometry).length);
  });

  it('drags a vertex, undoes and redoes it, saves with Enter, and shows the new shape at once', async () => {
    const before = await gridRow(code);
    const [inside] = await db.handle.rows<{ x: number; y: number }>(sql`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids WHERE code = ${code}`);
    const move = await pickMove(before, [inside!.x, inside!.y], true);
    await drag(move.fromPx, move.toPx);
    await page.waitForSelector('.editor-dirty');

    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.editor-dirty').count(), { timeout: WAIT_MS }).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await page.waitForSelector('.editor-dirty');

    // The server's dry run first: nothing may be written.
    await page.click('[data-testid="editor-validate"]');
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain('校验通过（未保存）');
    expect((await gridRow(code)).version).toBe(before.version);

    const tileRequests: string[] = [];
    const onTile = (res: import('playwright-core').Response) => {
      if (res.url().includes('/tiles/grids/')) tileRequests.push(`${res.status()} ${new URL(res.url()).pathname}${new URL(res.url()).search}`);
    };
    page.on('response', onTile);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain('已保存');
    const outcome = (await page.textContent('[data-testid="editor-outcome"]'))!;

    const after = await apiGrid(code);
    expect(after.version).toBe(before.version + 1);
    expect(JSON.stringify(after.geometry)).not.toBe(JSON.stringify(before.geometry));
    // ≈ 0.2 m: the mouse position, rounded to 7 decimals on save.
    expect(hasVertexNear(after.geometry, move.toLngLat, 2e-6)).toBe(true);
    expect(hasVertexNear(after.geometry, vertices(before.geometry).find((v) => v.ref.index === move.ref.index && v.ref.ring === 0 && v.ref.polygon === move.ref.polygon)!.position, 1e-9)).toBe(false);

    // The neighbours that took up the freed area got new versions, and the page names them.
    const changed = await db.handle.rows<{ code: string; version: number }>(sql`
      SELECT g.code, g.version FROM grid_versions v JOIN grids g ON g.id = v.grid_id
      WHERE v.action = 'update' AND g.code <> ${code} AND g.community_code = ${before.community_code}`);
    expect(changed.length).toBeGreaterThan(0);
    for (const c of changed) expect(outcome).toContain(c.code);
    await page.waitForSelector('[data-testid="editor-grid-version"]');
    await expect.poll(() => page.textContent('[data-testid="editor-grid-version"]'), { timeout: WAIT_MS }).toBe(String(before.version + 1));

    // The grid tiles were refetched: the tile features carry the moved vertex. Tile precision is
    // 0.15 m at z16 but 0.6 m if a z14 tile is shown; the old position is tens of metres away.
    await page.waitForSelector('body[data-grid-tiles-version="1"]');
    const nearestTileVertexM = () =>
      page.evaluate(
        ({ c, p }) => {
          const coords = window
            .__dangjian!.map.querySourceFeatures('grids', { sourceLayer: 'grids', filter: ['==', ['get', 'code'], c] })
            .flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : []).flat(2));
          const metres = (q: number[]) => Math.hypot((q[0]! - p[0]) * 111_320 * Math.cos((p[1] * Math.PI) / 180), (q[1]! - p[1]) * 110_540);
          return coords.length === 0 ? Infinity : Math.min(...coords.map(metres));
        },
        { c: code, p: move.toLngLat },
      );
    try {
      await expect.poll(nearestTileVertexM, { timeout: WAIT_MS }).toBeLessThan(1);
    } catch (err) {
      // Say what the map holds, so a stale tile can be told from a slow one.
      const state = await page.evaluate(() => {
        const map = window.__dangjian!.map;
        const source = map.getSource('grids') as unknown as { tiles?: string[] };
        return { zoom: map.getZoom(), tiles: source.tiles, loaded: map.isSourceLoaded('grids'), moving: map.isMoving(), dataset: { ...document.body.dataset } };
      });
      throw new Error(`${String(err)}; map: ${JSON.stringify(state)}; nearest ${await nearestTileVertexM()} m; grid tiles since the save: ${tileRequests.join(', ')}`);
    } finally {
      page.off('response', onTile);
    }
    await mapIdle(page);
    await page.screenshot({ path: screenshotPath('editor.png') });
  });

  it('snaps a dragged vertex onto the nearest corner of a neighbouring grid', async () => {
    const row = await gridRow(code);
    // A corner of a neighbour that is not one of this grid's own vertices, near one of them.
    const pairs = await db.handle.rows<{ vx: number; vy: number; wx: number; wy: number }>(sql`
      WITH mine AS (SELECT (ST_DumpPoints(ST_ExteriorRing(ST_GeometryN(geom, 1)))).geom AS p FROM grids WHERE code = ${code}),
           theirs AS (
             SELECT DISTINCT (ST_DumpPoints(n.geom)).geom AS q FROM grids n, grids g
             WHERE g.code = ${code} AND n.code <> g.code AND ST_DWithin(n.geom, g.geom, 0.002))
      SELECT ST_X(p) AS vx, ST_Y(p) AS vy, ST_X(q) AS wx, ST_Y(q) AS wy
      FROM mine, theirs
      WHERE NOT EXISTS (SELECT 1 FROM mine m2 WHERE ST_DWithin(m2.p, q, 1e-7))
        AND ST_Distance(p::geography, q::geography) BETWEEN 5 AND 250
      ORDER BY ST_Distance(p, q) LIMIT 20`);
    const box = await canvasBox();
    let pair: (typeof pairs)[number] | undefined;
    for (const candidate of pairs) {
      const c = await project([candidate.wx, candidate.wy]);
      if (c.x > 30 && c.y > 30 && c.x < box.width - 30 && c.y < box.height - 30) {
        pair = candidate;
        break;
      }
    }
    expect(pair).toBeDefined();
    const from = await project([pair!.vx, pair!.vy]);
    const corner = await project([pair!.wx, pair!.wy]);
    // Released 4 px off the corner, without Alt: the vertex lands on the corner itself.
    await page.mouse.move(box.x + from.x, box.y + from.y);
    await page.mouse.down();
    await page.mouse.move(box.x + corner.x + 3, box.y + corner.y + 2, { steps: 6 });
    await page.mouse.up();
    await page.waitForSelector('.editor-dirty');
    const draft = await page.evaluate(() => window.__dangjianEditor!.draft);
    expect(hasVertexNear(draft!, [pair!.wx, pair!.wy], 1e-7)).toBe(true);
    expect(vertices(draft!)).toHaveLength(vertices(row.geometry).length);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.editor-dirty').count(), { timeout: WAIT_MS }).toBe(0);
  });

  it('rejects a vertex dragged out of the community, shows why in red, and writes nothing', async () => {
    const before = await gridRow(code);
    const versionsBefore = await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grid_versions`);
    const [inside] = await db.handle.rows<{ x: number; y: number }>(sql`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids WHERE code = ${code}`);
    const move = await pickMove(before, [inside!.x, inside!.y], false);
    await drag(move.fromPx, move.toPx);
    await page.waitForSelector('.editor-dirty');
    await page.click('[data-testid="editor-save"]');

    const violations = page.locator('[data-testid="editor-violations"]');
    await violations.waitFor({ timeout: WAIT_MS });
    const text = (await violations.textContent())!;
    expect(text).toContain('超出社区边界');
    expect(text).toContain(`网格 ${code} 超出所属社区边界`);
    // The offending area is drawn on the map.
    const drawn = await page.evaluate(() => window.__dangjian!.map.querySourceFeatures('editor-violations').map((f) => f.properties.rule));
    expect(drawn).toContain('outside_community');

    const after = await gridRow(code);
    expect(after.version).toBe(before.version);
    expect(after.geometry).toEqual(before.geometry);
    expect(await db.handle.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM grid_versions`)).toEqual(versionsBefore);
    await page.screenshot({ path: screenshotPath('editor-rejected.png') });
  });

  it('reverts to the first version from the history table, as a new version', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.editor-dirty').count(), { timeout: WAIT_MS }).toBe(0);
    const before = await gridRow(code);
    const rows = page.locator('[data-testid="editor-history"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(before.version);
    // The oldest version is the last row.
    await rows.last().locator('button', { hasText: '回退到此版本' }).click();
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain('回退为版本');
    const after = await gridRow(code);
    expect(after.version).toBe(before.version + 1);
    const [same] = await db.handle.rows<{ same: boolean; action: string }>(sql`
      SELECT ST_Equals(g.geom, v.after_geom) AS same, (SELECT action FROM grid_versions w WHERE w.grid_id = g.id AND w.version = g.version) AS action
      FROM grids g JOIN grid_versions v ON v.grid_id = g.id AND v.version = 1 WHERE g.code = ${code}`);
    expect(same).toEqual({ same: true, action: 'revert' });
    await expect.poll(() => page.textContent('[data-testid="editor-grid-version"]'), { timeout: WAIT_MS }).toBe(String(before.version + 1));
  });

  it('splits the grid by a drawn line, then merges the parts back', async () => {
    const [original] = await db.handle.rows<{ area: number; xmin: number; xmax: number; ymin: number; ymax: number }>(sql`
      SELECT ST_Area(geom::geography) AS area, ST_XMin(geom) AS xmin, ST_XMax(geom) AS xmax, ST_YMin(geom) AS ymin, ST_YMax(geom) AS ymax FROM grids WHERE code = ${code}`);
    const { xmin, xmax, ymin, ymax } = original!;
    const lat = ymin + (ymax - ymin) * 0.45;
    const box = await canvasBox();
    await page.click('button:has-text("分割网格")');
    await page.keyboard.down('Alt');
    for (const p of [
      [xmin - (xmax - xmin) * 0.2, lat],
      [xmax + (xmax - xmin) * 0.2, lat],
    ] as Position[]) {
      const s = await project(p);
      await page.mouse.click(box.x + s.x, box.y + s.y);
    }
    await page.keyboard.up('Alt');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain('新建网格');
    const created = ((await page.textContent('[data-testid="editor-outcome"]'))!.match(/新建网格 ([\d、]+)/)?.[1] ?? '').split('、');
    expect(created.length).toBeGreaterThan(0);
    const parts = [code, ...created];
    const [sum] = await db.handle.rows<{ area: number; n: number }>(sql`
      SELECT sum(ST_Area(geom::geography)) AS area, count(*)::int AS n FROM grids WHERE code IN (${sql.join(
        parts.map((c) => sql`${c}`),
        sql`, `,
      )})`);
    expect(sum!.n).toBe(parts.length);
    expect(Math.abs(Number(sum!.area) - Number(original!.area))).toBeLessThan(1);

    await page.click('button:has-text("合并网格")');
    for (const c of created) {
      const [label] = await db.handle.rows<{ x: number; y: number }>(sql`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM grids WHERE code = ${c}`);
      const s = await project([label!.x, label!.y]);
      // The refreshed tiles carry the new grid once loaded: click until it is picked.
      await expect
        .poll(
          async () => {
            if (!((await page.textContent('[data-testid="editor-merge-list"]')) ?? '').includes(c)) await page.mouse.click(box.x + s.x, box.y + s.y);
            return page.textContent('[data-testid="editor-merge-list"]');
          },
          { timeout: WAIT_MS },
        )
        .toContain(c);
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-testid="editor-outcome"]'), { timeout: WAIT_MS }).toContain('撤销网格');
    const left = await db.handle.rows<{ code: string; area: number }>(sql`
      SELECT code, ST_Area(geom::geography) AS area FROM grids WHERE code IN (${sql.join(
        parts.map((c) => sql`${c}`),
        sql`, `,
      )})`);
    expect(left.map((r) => r.code)).toEqual([code]);
    expect(Math.abs(Number(left[0]!.area) - Number(original!.area))).toBeLessThan(1);
  });

  it('Delete removes the selected vertex and Esc brings it back', async () => {
    await expect.poll(() => page.locator('button[aria-pressed="true"]').textContent(), { timeout: WAIT_MS }).toBe('编辑顶点');
    const row = await gridRow(code);
    const count = vertices(row.geometry).length;
    const facts = page.locator('.editor-facts');
    await expect.poll(() => facts.textContent(), { timeout: WAIT_MS }).toContain(`顶点${count}`);
    const box = await canvasBox();
    const s = await project(vertices(row.geometry)[0]!.position);
    await page.mouse.click(box.x + s.x, box.y + s.y);
    await page.keyboard.press('Delete');
    await expect.poll(() => facts.textContent(), { timeout: WAIT_MS }).toContain(`顶点${count - 1}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => facts.textContent(), { timeout: WAIT_MS }).toContain(`顶点${count}`);
  });

  it('clicking another grid opens it', async () => {
    const box = await canvasBox();
    // The inside point of a neighbouring grid that is in view.
    const neighbours = await db.handle.rows<{ code: string; x: number; y: number }>(sql`
      SELECT n.code, ST_X(ST_PointOnSurface(n.geom)) AS x, ST_Y(ST_PointOnSurface(n.geom)) AS y
      FROM grids n, grids g WHERE g.code = ${code} AND n.code <> g.code AND ST_Intersects(n.geom, g.geom) ORDER BY n.code`);
    let other: { code: string } | undefined;
    let spot = { x: 0, y: 0 };
    for (const n of neighbours) {
      const p = await project([n.x, n.y]);
      if (p.x > 60 && p.y > 60 && p.x < box.width - 60 && p.y < box.height - 60) {
        other = n;
        spot = { x: Math.round(p.x), y: Math.round(p.y) };
        break;
      }
    }
    expect(other?.code).toMatch(/^\d{15}$/);
    await page.mouse.click(box.x + spot.x, box.y + spot.y);
    await expect.poll(() => page.textContent('[data-testid="editor-grid-code"]'), { timeout: WAIT_MS }).toBe(other!.code);
    expect(new URL(page.url()).searchParams.get('grid')).toBe(other!.code);
  });

  it('threw no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
