import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/databases';
import type { SessionUser } from '../../kernel/roles';
import { requestJson } from '../testing/request';
import { requestAs } from '../testing/requestAs';
import { computedHexCellsSql, hexCellsSql, type HexbinResult, type HeatPoint, type IncidentListItem, type TimeBucket } from './aggregation';
import { heatCellForZoom, hexCentre, hexRing, hexSizeForZoom, STORED_HEX_ZOOMS, storedHeatZoom, storedHexZoom, toLonLat, toMercator } from '../../kernel/webMercator';

describe('web mercator helpers', () => {
  it('round-trips lon/lat and reproduces ST_Hexagon vertices (PostGIS layout, odd columns up)', () => {
    const [x, y] = toMercator(110.155, 22.64);
    const [lon, lat] = toLonLat(x, y);
    expect(lon).toBeCloseTo(110.155, 9);
    expect(lat).toBeCloseTo(22.64, 9);
    // ST_Hexagon(1, 1, 0) = POLYGON((0.5 0.866, 1 0, 2 0, 2.5 0.866, 2 1.732, 1 1.732, 0.5 0.866))
    expect(hexCentre(1, 1, 0)[1]).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(hexCentre(1, -1, 0)[1]).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(hexCentre(1, 2, -1)).toEqual([3, -Math.sqrt(3)]);
    expect(hexSizeForZoom(12)).toBeCloseTo(18 * 38.2185, 1);
    expect(hexRing(1000, 0, 0)).toHaveLength(7);
  });
});

const ZOOM = 12;
const FILTER = 'source=grid,hotline&from=2026-01-01T00:00:00%2B08:00&to=2026-10-01T00:00:00%2B08:00';
/** The same filter written independently in SQL. */
const FILTER_SQL = sql`source IN ('grid', 'hotline') AND reported_at >= '2026-01-01T00:00:00+08:00' AND reported_at < '2026-10-01T00:00:00+08:00'`;

describeEachEngine('incident aggregation', (db) => {
  it('stores Web Mercator coordinates that agree with ST_Transform', async () => {
    const [row] = await db().rows<{ dx: number; dy: number }>(sql`
      SELECT max(abs(merc_x - ST_X(ST_Transform(geom, 3857)))) AS dx, max(abs(merc_y - ST_Y(ST_Transform(geom, 3857)))) AS dy FROM incidents`);
    expect(Number(row!.dx)).toBeLessThan(0.01);
    expect(Number(row!.dy)).toBeLessThan(0.01);
  });

  it('hexbin counts add up to the filtered count and match ST_HexagonGrid cell by cell', async () => {
    const { status, body } = await requestJson<HexbinResult>(db(), `/api/incidents/hexbins?zoom=${ZOOM}&${FILTER}`);
    expect(status).toBe(200);
    const [{ n }] = (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE ${FILTER_SQL}`)) as [{ n: number }];
    expect(n).toBeGreaterThan(1000);
    expect(body.total).toBe(n);
    expect(body.cells.reduce((sum, c) => sum + c.count, 0)).toBe(n);
    expect(body.max).toBe(Math.max(...body.cells.map((c) => c.count)));

    // Independently: PostGIS's own hexagon grid over the points' extent, joined by containment.
    const size = body.sizeM;
    const reference = await db().rows<{ i: number; j: number; n: number }>(sql`
      WITH pts AS (SELECT ST_SetSRID(ST_MakePoint(merc_x, merc_y), 3857) AS p FROM incidents WHERE ${FILTER_SQL}),
      hex AS (SELECT h.i, h.j, h.geom FROM ST_HexagonGrid(${size}::float8, (SELECT ST_SetSRID(ST_Extent(p), 3857) FROM pts)) h)
      SELECT hex.i, hex.j, count(*)::int AS n FROM hex JOIN pts ON ST_Contains(hex.geom, pts.p) GROUP BY hex.i, hex.j`);
    const mine = new Map(body.cells.map((c) => [`${c.i},${c.j}`, c.count]));
    expect(new Map(reference.map((r) => [`${r.i},${r.j}`, Number(r.n)]))).toEqual(mine);

    // The ring we send is ST_Hexagon's ring (in lon/lat).
    const cell = body.cells[0]!;
    const [ring] = await db().rows<{ coords: string }>(sql`SELECT ST_AsGeoJSON(ST_Transform(ST_Hexagon(${size}::float8, ${cell.i}, ${cell.j}, 'SRID=3857;POINT(0 0)'::geometry), 4326), 7) AS coords`);
    const expected = (JSON.parse(ring!.coords) as { coordinates: [number, number][][] }).coordinates[0]!;
    cell.polygon.forEach(([lon, lat], k) => {
      expect(lon).toBeCloseTo(expected[k]![0], 6);
      expect(lat).toBeCloseTo(expected[k]![1], 6);
    });
  });

  it('stores, at zooms 9–12, the same cells the per-row arithmetic computes — also after a point moves', async () => {
    const mismatches = async () => {
      const counts: number[] = [];
      for (const zoom of STORED_HEX_ZOOMS) {
        const size = hexSizeForZoom(zoom);
        const [row] = await db().rows<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM (${hexCellsSql(size, sql`true`)}) s JOIN (${computedHexCellsSql(size, sql`true`)}) c USING (id)
          WHERE s.hi IS DISTINCT FROM c.hi OR s.hj IS DISTINCT FROM c.hj`);
        counts.push(Number(row!.n));
      }
      return counts;
    };
    expect(await mismatches()).toEqual([0, 0, 0, 0]);
    expect(storedHexZoom(hexSizeForZoom(13))).toBeNull();

    // A moved point (and one placed on a hexagon's corner, where rounding decides) keeps its stored cells current.
    const size = hexSizeForZoom(12);
    const [moved] = await db().rows<{ id: number; i: number; j: number }>(sql`SELECT id, hex_z12_i AS i, hex_z12_j AS j FROM incidents ORDER BY id LIMIT 1`);
    const [corner] = await db().rows<{ lon: number; lat: number }>(sql`
      SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_Transform(ST_PointN(ST_ExteriorRing(
        ST_Hexagon(${size}::float8, ${moved!.i}, ${moved!.j}, 'SRID=3857;POINT(0 0)'::geometry)), 1), 4326) AS p) x`);
    await db().db.execute(sql`UPDATE incidents SET geom = ST_SetSRID(ST_MakePoint(${Number(corner!.lon)}, ${Number(corner!.lat)}), 4326) WHERE id = ${moved!.id}`);
    const [stored] = await db().rows<{ i: number; j: number }>(sql`SELECT hex_z12_i AS i, hex_z12_j AS j FROM incidents WHERE id = ${moved!.id}`);
    const [computed] = await db().rows<{ hi: number; hj: number }>(sql`SELECT hi, hj FROM (${computedHexCellsSql(size, sql`i.id = ${moved!.id}`)}) c`);
    expect([stored!.i, stored!.j]).toEqual([computed!.hi, computed!.hj]);
    expect(await mismatches()).toEqual([0, 0, 0, 0]);
  });

  it('lists the incidents of a clicked cell, page by page, exactly those inside its hexagon', async () => {
    const { body } = await requestJson<HexbinResult>(db(), `/api/incidents/hexbins?zoom=${ZOOM}&${FILTER}`);
    const cell = body.cells.reduce((a, b) => (b.count > a.count ? b : a));
    expect(cell.count).toBeGreaterThan(10);
    const ids: number[] = [];
    for (let page = 1; page <= Math.ceil(cell.count / 7); page++) {
      const res = await requestJson<{ total: number; items: IncidentListItem[] }>(db(), `/api/incidents/hexbins/cell?zoom=${ZOOM}&i=${cell.i}&j=${cell.j}&page=${page}&pageSize=7&${FILTER}`);
      expect(res.body.total).toBe(cell.count);
      ids.push(...res.body.items.map((item) => item.id));
      for (let k = 1; k < res.body.items.length; k++) expect(res.body.items[k - 1]!.reportedAt >= res.body.items[k]!.reportedAt).toBe(true);
    }
    const inside = await db().rows<{ id: number }>(sql`
      SELECT id FROM incidents WHERE ${FILTER_SQL}
        AND ST_Contains(ST_Hexagon(${body.sizeM}::float8, ${cell.i}, ${cell.j}, 'SRID=3857;POINT(0 0)'::geometry), ST_SetSRID(ST_MakePoint(merc_x, merc_y), 3857))`);
    expect(ids.sort((a, b) => a - b)).toEqual(inside.map((r) => Number(r.id)).sort((a, b) => a - b));
    const beyond = await requestJson<{ total: number; items: unknown[] }>(db(), `/api/incidents/hexbins/cell?zoom=${ZOOM}&i=${cell.i}&j=${cell.j}&page=999&pageSize=7&${FILTER}`);
    expect(beyond.body).toMatchObject({ total: cell.count, items: [] });
    // The records follow the loop's read rule: a grid worker of one grid of the cell lists that grid's incidents only.
    const [grid] = await db().rows<{ code: string; n: number }>(sql`
      SELECT grid_code AS code, count(*)::int AS n FROM incidents WHERE id IN ${ids} AND grid_code IS NOT NULL GROUP BY grid_code ORDER BY count(*) DESC LIMIT 1`);
    const worker: SessionUser = { id: 2_000_001, username: 'hex-cell-worker', displayName: '网格员', role: 'grid_worker', jurisdictionCode: null, gridCodes: [grid!.code], departmentId: null };
    const own = await requestAs(db(), worker, `/api/incidents/hexbins/cell?zoom=${ZOOM}&i=${cell.i}&j=${cell.j}&pageSize=100&${FILTER}`);
    const ownBody = (await own.json()) as { total: number; items: IncidentListItem[] };
    expect(ownBody.total).toBe(grid!.n);
    expect(ownBody.total).toBeLessThan(cell.count);
    expect(new Set(ownBody.items.map((item) => item.gridCode))).toEqual(new Set([grid!.code]));
  });

  it('heatmap weights add up to the filtered count with far fewer points than incidents (square and stored cells)', async () => {
    const [{ n }] = (await db().rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM incidents WHERE ${FILTER_SQL}`)) as [{ n: number }];
    // zoom 11 → squares (zoom 13 has no stored cells); zoom 10 → the stored hexagons of zoom 12.
    const cellCounts = {
      11: sql`SELECT count(DISTINCT (floor(merc_x / ${heatCellForZoom(11)}::float8), floor(merc_y / ${heatCellForZoom(11)}::float8)))::int AS n FROM incidents WHERE ${FILTER_SQL}`,
      10: sql`SELECT count(DISTINCT (hex_z12_i, hex_z12_j))::int AS n FROM incidents WHERE ${FILTER_SQL}`,
    };
    for (const zoom of [11, 10] as const) {
      const { body } = await requestJson<{ total: number; max: number; points: HeatPoint[] }>(db(), `/api/incidents/heatmap?zoom=${zoom}&${FILTER}`);
      expect(body.points.reduce((sum, p) => sum + p.weight, 0)).toBe(n);
      const [cells] = await db().rows<{ n: number }>(cellCounts[zoom]);
      expect(body.points.length).toBe(Number(cells!.n));
      expect(body.points.length).toBeLessThan(n);
      expect(body.max).toBe(Math.max(...body.points.map((p) => p.weight)));
    }
    expect(storedHeatZoom(heatCellForZoom(10))).toBe(12);
    expect(storedHeatZoom(heatCellForZoom(11))).toBeNull();
  });

  it('time series buckets (Beijing weeks and months) add up and match a count done in JavaScript', async () => {
    const month = await requestJson<{ buckets: TimeBucket[]; total: number }>(db(), `/api/incidents/timeseries?bucket=month&${FILTER}`);
    expect(month.body.buckets.map((b) => b.start)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09'].map((m) => `${m}-01T00:00:00+08:00`));
    const times = await db().rows<{ t: Date | string }>(sql`SELECT reported_at AS t FROM incidents WHERE ${FILTER_SQL}`);
    const byMonth = new Map<string, number>();
    for (const { t } of times) {
      const local = new Date(new Date(t).getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
      byMonth.set(local, (byMonth.get(local) ?? 0) + 1);
    }
    expect(month.body.buckets.map((b) => b.count)).toEqual(month.body.buckets.map((b) => byMonth.get(b.start.slice(0, 7)) ?? 0));
    expect(month.body.total).toBe(times.length);

    const week = await requestJson<{ buckets: TimeBucket[]; total: number }>(db(), `/api/incidents/timeseries?bucket=week&${FILTER}`);
    expect(week.body.total).toBe(times.length);
    expect(week.body.buckets.length).toBeGreaterThanOrEqual(39);
    for (const b of week.body.buckets) expect(new Date(b.start).getUTCDay() === 0 && new Date(b.start).getUTCHours() === 16).toBe(true); // Monday 00:00 +08:00
  });

  /** The nine monthly playback frames of FILTER's window (January–September 2026), one request each. */
  const monthlyFrames = <T>(path: string) =>
    Promise.all(
      Array.from({ length: 9 }, (_, m) => {
        const from = `2026-${String(m + 1).padStart(2, '0')}-01T00:00:00%2B08:00`;
        const to = `2026-${String(m + 2).padStart(2, '0')}-01T00:00:00%2B08:00`;
        return requestJson<T>(db(), `${path}&source=grid,hotline&from=${from}&to=${to}`);
      }),
    );

  it('gives a colour domain equal to the largest cell of any frame, so the legend stays still in playback', async () => {
    const domain = await requestJson<{ max: number; maxPerBucket: number }>(db(), `/api/incidents/domain?layer=hexbin&bucket=month&zoom=${ZOOM}&${FILTER}`);
    const frames = await monthlyFrames<HexbinResult>(`/api/incidents/hexbins?zoom=${ZOOM}`);
    expect(domain.body.max).toBe(Math.max(...frames.map((f) => f.body.max)));
    expect(domain.body.maxPerBucket).toBe(Math.max(...frames.map((f) => f.body.total)));
  });

  it('gives the heatmap a colour domain from the same cells as its frames (stored and square cells)', async () => {
    for (const zoom of [10, 11]) {
      const domain = await requestJson<{ max: number }>(db(), `/api/incidents/domain?layer=heatmap&bucket=month&zoom=${zoom}&${FILTER}`);
      const frames = await monthlyFrames<{ max: number }>(`/api/incidents/heatmap?zoom=${zoom}`);
      expect(domain.body.max).toBe(Math.max(...frames.map((f) => f.body.max)));
    }
  });

  it('rejects bad filters with Chinese problem details', async () => {
    const bad = await requestJson<{ errors: { field: string; reason: string }[] }>(db(), '/api/incidents/hexbins?stage=done&source=fax&zoom=40&from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['from', 'source', 'stage', 'zoom']);
    expect((await requestJson(db(), '/api/incidents/timeseries?bucket=year')).status).toBe(400);
  });
});
