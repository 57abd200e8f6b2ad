/**
 * Why: the main map's estates layer reads /api/party/estates by bbox, and the estates export
 * must carry the same attributes; both checked on a hand-built fixture of three estates
 * (single / joint / no organisation), on both engines, the export judged by GDAL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ogrReadWarnings, ogrSummary, ogrToGeoJson } from '../exports/testing/gdal';
import { describeEachEngine } from '../testing/databases';
import { request } from '../testing/request';

const COMMUNITY = '450902005001';
const dir = mkdtempSync(join(tmpdir(), 'dangjian-estates-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** [code, households, property company, 业委会, 红色物业, space m², organisation] */
const FIXTURE = [
  ['FXM-1', 1200, '金港物业', true, true, 400, 'single'],
  ['FXM-2', 2000, '安居物业', false, false, 500, 'joint'],
  ['FXM-3', 50, null, false, false, null, 'none'],
] as const;

describeEachEngine('estates on the map and in the export', (db, engine) => {
  let centre: [number, number];
  beforeAll(async () => {
    const h = db();
    const [p] = await h.rows<{ x: number; y: number }>(sql`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM regions WHERE code = ${COMMUNITY}`);
    centre = [Number(p!.x), Number(p!.y)];
    // The fixture's area holds only the fixture: the community's estates and any of a neighbour near the box.
    await h.rows(sql`DELETE FROM estates WHERE community_code = ${COMMUNITY}
      OR geom && ST_MakeEnvelope(${centre[0] - 0.001}, ${centre[1] - 0.001}, ${centre[0] + 0.004}, ${centre[1] + 0.002}, 4326)`);
    const [dzz] = await h.rows<{ id: number }>(sql`SELECT id FROM party_orgs WHERE code = ${`${COMMUNITY}-DZZ`}`);
    const orgs: Record<string, number | null> = { none: null };
    for (const [kind, joint] of [
      ['single', false],
      ['joint', true],
    ] as const) {
      const [o] = await h.rows<{ id: number }>(
        sql`INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, joint) VALUES (${`FXM-${kind}`}, ${`${kind === 'joint' ? '联合' : '小区'}党支部FXM`}, '党支部', ${dzz!.id}, 'region', ${COMMUNITY}, ${joint}) RETURNING id`,
      );
      orgs[kind] = o!.id;
    }
    for (const [k, [code, hh, company, owners, red, space, org]] of FIXTURE.entries()) {
      // 0.0008° squares side by side, 0.001° apart.
      const x = centre[0] + k * 0.001;
      await h.rows(sql`
        INSERT INTO estates (code, name, community_code, geom, households, property_company, owners_committee, red_property, service_space_m2, party_org_id)
        VALUES (${code}, ${`小区${code}`}, ${COMMUNITY}, ST_Multi(ST_MakeEnvelope(${x}, ${centre[1]}, ${x + 0.0008}, ${centre[1] + 0.0008}, 4326)), ${hh}, ${company}, ${owners}, ${red}, ${space}, ${orgs[org]})`);
    }
  });

  it('answers the view’s estates with organisation status, attributes and the norm checked', async () => {
    const bbox = [centre[0] - 0.0001, centre[1] - 0.0001, centre[0] + 0.0029, centre[1] + 0.0009].join(',');
    const res = await request(db(), `/api/party/estates?bbox=${bbox}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { features: { geometry: { type: string }; properties: Record<string, any> }[]; truncated: boolean };
    expect(body.truncated).toBe(false);
    expect(body.features.map((f) => f.geometry.type)).toEqual(['MultiPolygon', 'MultiPolygon', 'MultiPolygon']);
    expect(body.features.map((f) => f.properties)).toMatchObject([
      {
        code: 'FXM-1',
        communityCode: COMMUNITY,
        communityName: '五里桥社区居委会',
        households: 1200,
        propertyCompany: '金港物业',
        ownersCommittee: true,
        redProperty: true,
        orgStatus: 'single',
        partyOrgName: '小区党支部FXM',
        // 1200 households × 30 / 100 = 360 m² required, 400 held.
        norm: { requiredM2: 360, actualM2: 400, meets: true, shortfallM2: 0 },
      },
      { code: 'FXM-2', orgStatus: 'joint', partyOrgName: '联合党支部FXM', ownersCommittee: false, norm: { requiredM2: 600, actualM2: 500, meets: false, shortfallM2: 100 } },
      { code: 'FXM-3', orgStatus: 'none', partyOrgName: null, propertyCompany: null, norm: { requiredM2: 300, actualM2: 0, meets: false, shortfallM2: 300 } },
    ]);
    // Only what touches the box: the first estate alone, and nothing far away.
    const first = await request(db(), `/api/party/estates?bbox=${[centre[0] + 0.0001, centre[1] + 0.0001, centre[0] + 0.0002, centre[1] + 0.0002].join(',')}`);
    expect(((await first.json()) as { features: { properties: { code: string } }[] }).features.map((f) => f.properties.code)).toEqual(['FXM-1']);
    const limited = (await (await request(db(), `/api/party/estates?bbox=${bbox}&limit=2`)).json()) as { features: unknown[]; truncated: boolean };
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.features).toHaveLength(2);
    const bad = await request(db(), '/api/party/estates?bbox=1,2,3');
    expect(bad.status).toBe(400);
  });

  it('exports the estates as a GeoPackage GDAL reads with the same attributes', async () => {
    const res = await request(db(), `/api/exports/estates?format=gpkg&region=${COMMUNITY}`);
    expect(res.status).toBe(200);
    const file = join(dir, `${engine}-estates.gpkg`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const summary = ogrSummary(file);
    expect(summary.featureCount).toBe(3);
    expect(summary.geometry).toBe('Multi Polygon');
    expect(summary.epsg).toBe(4326);
    expect(ogrReadWarnings(file)).toBe('');
    const rows = ogrToGeoJson(file).features.map((f) => f.properties!);
    expect(rows.map((r) => [r.code, r.households, r.property_company, r.owners_committee, r.org_status, r.party_org, r.red_property, r.service_space_m2, r.required_m2, r.meets_norm])).toEqual([
      ['FXM-1', 1200, '金港物业', '是', '单独组建', '小区党支部FXM', '是', 400, 360, '是'],
      ['FXM-2', 2000, '安居物业', '否', '联合组建', '联合党支部FXM', '否', 500, 600, '否'],
      ['FXM-3', 50, null, '否', '未组建', null, '否', null, 300, '否'],
    ]);
  });
});
