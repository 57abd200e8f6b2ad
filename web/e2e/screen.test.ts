import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedCopy, type TestDatabase } from '../../server/testing/databases';
import { LOAD_MS, launchBrowser, mapIdle, openPage, screenshotPath, startServer, TEST_MS, WAIT_MS } from './browser';

const SIZES = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '3840x2160', width: 3840, height: 2160 },
  { name: '3840x1080', width: 3840, height: 1080 },
] as const;

interface Box {
  label: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Figures count towards a new value for 0.9 s (AnimatedNumber). Settled: no figure has changed for
 * 1.2 s of page time and at least 10 frames (checked every frame), so any count that was running
 * has drawn its last value.
 */
async function figuresSettled(page: Page) {
  type Watch = { text: string; since: number; frames: number };
  await page.evaluate(() => delete (window as unknown as { __e2eFigures?: Watch }).__e2eFigures);
  await page.waitForFunction(
    () => {
      const w = window as unknown as { __e2eFigures?: Watch };
      const text = [...document.querySelectorAll('[data-kpi]')].map((el) => el.textContent).join('|');
      const now = performance.now();
      if (w.__e2eFigures?.text !== text) {
        w.__e2eFigures = { text, since: now, frames: 0 };
        return false;
      }
      w.__e2eFigures.frames += 1;
      return now - w.__e2eFigures.since >= 1200 && w.__e2eFigures.frames >= 10;
    },
    null,
    { polling: 'raf', timeout: WAIT_MS },
  );
}

/** Waits for panels and map, then reads layout facts in the page. */
async function layoutFacts(page: Page) {
  await page.waitForSelector('body[data-screen-ready="true"]', { timeout: LOAD_MS });
  await page.waitForSelector('body[data-grids-rendered="true"]', { timeout: LOAD_MS });
  await figuresSettled(page);
  return page.evaluate(() => {
    const box = (el: Element, label: string) => {
      const r = el.getBoundingClientRect();
      return { label, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    const panels = [...document.querySelectorAll('[data-testid^="panel-"], [data-testid="screen-map"], [data-testid="legend"], .screen-header')].map((el) => box(el, el.getAttribute('data-testid') ?? el.className));
    const kpis = [...document.querySelectorAll('[data-kpi]')].map((el) => box(el, `${el.getAttribute('data-kpi')}=${el.textContent}`));
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      scroll: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight },
      panels,
      kpis,
      kpiText: Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map((el) => [el.getAttribute('data-kpi'), el.textContent ?? ''])),
      mapCanvas: document.querySelector('.maplibregl-canvas') ? box(document.querySelector('.maplibregl-canvas')!, 'map') : null,
    };
  });
}

/** Numbers count towards a new value; wait until the figure shows it (fails with the last value seen). */
async function kpiSettles(page: Page, label: string, expected: number) {
  const read = async () => digits((await page.locator(`[data-kpi="${label}"]`).textContent()) ?? '');
  await page.waitForFunction(([l, n]) => Number((document.querySelector(`[data-kpi="${l}"]`)?.textContent ?? '').replace(/[^\d.]/g, '')) === n, [label, expected] as const, { timeout: WAIT_MS }).catch(() => undefined);
  expect(await read()).toBe(expected);
}

const crosses = (b: Box, x: number, y: number) => (b.left < x && b.right > x) || (b.top < y && b.bottom > y);
const digits = (s: string) => Number(s.replace(/[^\d.]/g, ''));

describe('leaders’ big screen in Chromium', { timeout: TEST_MS }, () => {
  let db: TestDatabase;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  const pageErrors: string[] = [];
  const externalRequests: string[] = [];

  const open = async (width: number, height: number, path = '/screen') => {
    const page = await openPage(browser, { viewport: { width, height } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) externalRequests.push(r.url());
    });
    await page.goto(`${server.url}${path}`);
    return page;
  };

  beforeAll(async () => {
    db = await openEmbeddedCopy();
    server = await startServer(db.handle);
    browser = await launchBrowser();
  }, LOAD_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
  });

  for (const size of SIZES) {
    it(`fits ${size.name}: panels and map present, nothing overflows, no KPI number on a seam`, async () => {
      const page = await open(size.width, size.height, '/screen?isochrones=0');
      const facts = await layoutFacts(page);
      await page.screenshot({ path: screenshotPath(`screen-${size.name}.png`) });
      expect(facts.viewport).toEqual({ width: size.width, height: size.height });
      expect(facts.scroll.width).toBeLessThanOrEqual(size.width);
      expect(facts.scroll.height).toBeLessThanOrEqual(size.height);
      expect(facts.panels.map((p) => p.label).sort()).toEqual(['legend', 'panel-centres', 'panel-incidents', 'panel-party', 'panel-stars', 'screen-header', 'screen-map'].sort());
      for (const p of facts.panels) {
        expect(p.left, p.label).toBeGreaterThanOrEqual(-0.5);
        expect(p.top, p.label).toBeGreaterThanOrEqual(-0.5);
        expect(p.right, p.label).toBeLessThanOrEqual(size.width + 0.5);
        expect(p.bottom, p.label).toBeLessThanOrEqual(size.height + 0.5);
      }
      // The map fills most of the middle third (or more on 32:9).
      expect(facts.mapCanvas!.right - facts.mapCanvas!.left).toBeGreaterThan(size.width * 0.4);
      // 6 party + 5 centre levels + coverage + centre total + 3 incident + 3 patrol + 3 star figures.
      expect(facts.kpis.length).toBe(22);
      const onSeam = facts.kpis.filter((k) => crosses(k, size.width / 2, size.height / 2));
      expect(onSeam).toEqual([]);
      // Panel figures are the database's.
      const [g] = await db.handle.rows<{ n: number; members: number }>(sql`SELECT count(*)::int AS n, sum(party_members)::int AS members FROM grids`);
      expect(digits(facts.kpiText.网格数!)).toBe(g!.n);
      expect(digits(facts.kpiText.党员!)).toBe(g!.members);
      await page.close();
    });
  }

  it('drills down by the ranking list and the map, and back up by the breadcrumb', async () => {
    const page = await open(1920, 1080, '/screen?isochrones=0');
    await layoutFacts(page);
    const crumbs = () => page.locator('[data-testid="breadcrumb"] > span').allTextContents();
    expect(await crumbs()).toHaveLength(1);
    // City → district (ranking list of the stars panel).
    await page.locator('.child-list .child-drill').first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="breadcrumb"] > span').length === 2, null, { timeout: WAIT_MS });
    const [district] = await db.handle.rows<{ name: string; n: number }>(
      sql`SELECT r.name, (SELECT count(*)::int FROM grids WHERE district_code = r.code) AS n FROM regions r WHERE level = 'district' ORDER BY code LIMIT 1`,
    );
    expect((await crumbs())[1]).toContain(district!.name);
    await kpiSettles(page, '网格数', district!.n);

    // District → street by clicking the grid (or, below z13, the generalised community/street area) in the middle of the map.
    await mapIdle(page);
    const canvas = (await page.locator('.maplibregl-canvas').boundingBox())!;
    const at = { x: canvas.width / 2, y: canvas.height / 2 };
    const code = await page.evaluate(({ x, y }) => {
      const m = window.__dangjian!.map;
      const f = m.queryRenderedFeatures([x, y], { layers: ['grids-fill', 'grid-areas-fill'] })[0];
      return f ? String(f.properties.code) : null;
    }, at);
    expect(code).toMatch(/^\d{9}(\d{3}){0,2}$/);
    await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="breadcrumb"] > span').length === 3, null, { timeout: WAIT_MS });
    const [street] = await db.handle.rows<{ name: string; n: number }>(sql`SELECT name, (SELECT count(*)::int FROM grids WHERE street_code = ${code!.slice(0, 9)}) AS n FROM regions WHERE code = ${code!.slice(0, 9)}`);
    expect((await crumbs())[2]).toContain(street!.name);
    await kpiSettles(page, '网格数', street!.n);
    await page.screenshot({ path: screenshotPath('screen-drilled.png') });

    // Back to the city from the breadcrumb.
    await page.locator('[data-testid="breadcrumb"] button').first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="breadcrumb"] > span').length === 1, null, { timeout: WAIT_MS });
    await page.close();
  });

  it('tours the demonstration circles and belts, showing name and member communities', async () => {
    const page = await open(1920, 1080, '/screen?tour=3&isochrones=0');
    await layoutFacts(page);
    const caption = page.locator('[data-testid="tour-caption"]');
    await caption.waitFor({ timeout: WAIT_MS });
    const names = (await db.handle.rows<{ name: string }>(sql`SELECT name FROM demo_circles UNION ALL SELECT name FROM demo_belts`)).map((r) => r.name);
    // Name and members read together: the tour may move on between two separate reads under load.
    const shown = await caption.evaluate((el) => ({ name: el.querySelector('.tour-name')?.textContent ?? '', members: el.querySelector('.tour-members')?.textContent ?? '' }));
    const first = shown.name;
    expect(names).toContain(first);
    const [members] = await db.handle.rows<{ n: number }>(sql`
      SELECT jsonb_array_length(member_community_codes)::int AS n FROM demo_circles WHERE name = ${first}
      UNION ALL SELECT jsonb_array_length(member_community_codes)::int FROM demo_belts WHERE name = ${first}`);
    expect(shown.members.split('、')).toHaveLength(members!.n);
    await page.waitForFunction((previous) => document.querySelector('.tour-name')?.textContent !== previous, first, { timeout: WAIT_MS });
    await page.screenshot({ path: screenshotPath('screen-tour.png') });
    // Interaction pauses the tour.
    await page.mouse.click(960, 540);
    await page.waitForFunction(() => document.querySelector('[data-testid="tour-toggle"]')?.textContent === '巡游已暂停', null, { timeout: WAIT_MS });
    expect(await page.locator('[data-testid="tour-caption"]').textContent()).toContain('巡游已暂停');
    await page.close();
  });

  it('lets an admin set a grid’s star rating and draw a new 示范圈 on the map', async () => {
    const page = await open(1920, 1080, '/screen?isochrones=0');
    await layoutFacts(page);
    await page.locator('[data-testid="admin-toggle"]').click();
    const panel = page.locator('[data-testid="admin-panel"]');
    await panel.waitFor();

    const [grid] = await db.handle.rows<{ code: string; stars: number; version: number }>(sql`SELECT code, star_rating AS stars, version FROM grids ORDER BY code LIMIT 1`);
    const newStars = grid!.stars === 5 ? 1 : grid!.stars + 1;
    await panel.getByPlaceholder('点击地图上的网格或输入编码').fill(grid!.code);
    await panel.getByRole('button', { name: '查找' }).click();
    await panel.getByLabel('星级').selectOption(String(newStars));
    await panel.getByRole('button', { name: '保存星级' }).click();
    await panel.locator('.admin-message').filter({ hasText: '已将' }).waitFor({ timeout: WAIT_MS });
    const [after] = await db.handle.rows<{ stars: number; version: number }>(sql`SELECT star_rating AS stars, version FROM grids WHERE code = ${grid!.code}`);
    expect(after).toEqual({ stars: newStars, version: grid!.version + 1 });

    await panel.getByPlaceholder('名称').fill('浏览器测试示范圈');
    await panel.getByRole('button', { name: '在地图上绘制' }).click();
    const canvas = (await page.locator('.maplibregl-canvas').boundingBox())!;
    const at = { x: canvas.width / 2, y: canvas.height / 2 };
    const centre = await page.evaluate(({ x, y }) => window.__dangjian!.map.unproject([x, y]).toArray(), at);
    await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
    await panel.getByRole('button', { name: '新建' }).click();
    await panel.locator('.admin-message').filter({ hasText: '已保存' }).waitFor({ timeout: WAIT_MS });
    const [saved] = await db.handle.rows<{ codes: string[]; area: number }>(sql`SELECT member_community_codes AS codes, ST_Area(geom::geography) AS area FROM demo_circles WHERE name = '浏览器测试示范圈'`);
    const expected = await db.handle.rows<{ code: string }>(sql`
      SELECT code FROM regions WHERE level = 'community'
        AND ST_Intersects(geom, ST_Buffer(ST_SetSRID(ST_MakePoint(${centre[0]}, ${centre[1]}), 4326)::geography, 1000)::geometry) ORDER BY code`);
    expect(saved!.codes).toEqual(expected.map((r) => r.code));
    expect(Math.abs(Number(saved!.area) - Math.PI * 1000 ** 2) / (Math.PI * 1000 ** 2)).toBeLessThan(0.01);
    await page.screenshot({ path: screenshotPath('screen-admin.png') });
    await page.close();
  });

  it('made no request outside this server and threw no page errors', () => {
    expect(externalRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
