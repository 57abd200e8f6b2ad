import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import { requestJson } from '../testing/request';
import { EMPTY_VIEW, loadDefaultView, viewOf, zoomToFit, type DefaultView } from './extent';

describe('zoomToFit', () => {
  it('gives the zoom at which a box fills the screen (512-px tiles)', () => {
    // The whole world's width is 512 px at zoom 0: 360° in 1024 px is zoom 1.
    expect(zoomToFit([-180, -10, 180, 10], 1024, 10_000)).toBeCloseTo(1, 5);
    // Half the width, one zoom closer.
    expect(zoomToFit([0, -1, 90, 1], 1024, 10_000)).toBeCloseTo(3, 5);
    // The tighter of the two sides wins.
    expect(zoomToFit([0, 0, 0.01, 1], 1024, 100)).toBeLessThan(zoomToFit([0, 0, 0.01, 0.01], 1024, 100));
  });

  it('clamps a point-sized box and answers the empty view without data', () => {
    expect(zoomToFit([110, 22, 110, 22], 1280, 800)).toBe(16);
    expect(viewOf(null)).toEqual(EMPTY_VIEW);
    expect(viewOf([110, 22, 111, 23]).center).toEqual([110.5, 22.5]);
  });
});

describeEachEngine('default map view from the data', (db) => {
  it('centres on the regions’ extent, which holds grids', async () => {
    const view = await loadDefaultView(db());
    const [w, s, e, n] = view.bounds!;
    expect(w).toBeGreaterThan(109.9);
    expect(e).toBeLessThan(110.4);
    expect(s).toBeGreaterThan(22.4);
    expect(n).toBeLessThan(22.9);
    expect(view.center[0]).toBeCloseTo((w + e) / 2, 5);
    expect(view.center[1]).toBeCloseTo((s + n) / 2, 5);
    // A city-wide view on a laptop screen: between a district and a province.
    expect(view.zoom).toBeGreaterThan(8);
    expect(view.zoom).toBeLessThan(12);
    const [city] = await db().rows<{ w: number; s: number; e: number; n: number }>(sql`
      SELECT ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM regions WHERE level = 'city'`);
    // Opening there shows grids, not an empty corner of the city.
    const [near] = await db().rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM grids WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(${view.center[0]}, ${view.center[1]}), 4326)::geography, 500)`);
    expect(near!.n).toBeGreaterThan(0);
    expect(view.bounds!.map((v) => Number(v.toFixed(6)))).toEqual([city!.w, city!.s, city!.e, city!.n].map((v) => Number(Number(v).toFixed(6))));
  });

  it('is part of GET /api/config', async () => {
    const { status, body } = await requestJson<{ defaultView: DefaultView }>(db(), '/api/config');
    expect(status).toBe(200);
    expect(body.defaultView).toEqual(await loadDefaultView(db()));
  });
});
