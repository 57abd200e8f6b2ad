/**
 * Writes a generated dataset into an empty or existing database, replacing all
 * domain data in one transaction: either the whole sample is there or none of it.
 */
import { sql, type SQL } from 'drizzle-orm';
import { executeRows, type DbHandle } from '../db/client';
import { pickGridAttributes } from '../db/gridRecord';
import * as t from '../db/schema';
import { SIGN_HOURS, signDeadlineFor } from '../kernel/caseClocks';
import { DEFAULT_CALENDAR } from '../kernel/workCalendar';
import { INCIDENT_CATEGORIES, type SampleIncident, type SampleTransition } from './incidents';
import { loadPartySample } from './partySample';
import { loadServiceSample } from './serviceSample';
import type { SampleDataset } from './sample';

/** 签收 of the sample's dispatched cases: the category's sign hours on the shipped 2026 calendar (what the server's loop gives a case dispatched now). */
const SIGN_HOURS_BY_CATEGORY = new Map(INCIDENT_CATEGORIES.map((c) => [c.code, c.signHours]));

type LoadTx = Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0];

export type LoadProgress = (step: string, done: number, total: number) => void;

const point = (p: [number, number]) => sql`ST_SetSRID(ST_MakePoint(${p[0]}, ${p[1]}), 4326)`;
const geomFromText = (wkt: string) => sql`ST_GeomFromText(${wkt}, 4326)`;

export async function loadDataset(handle: DbHandle, data: SampleDataset, onProgress: LoadProgress = () => {}): Promise<void> {
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('dangjian.actor', 'sample-generator', true), set_config('dangjian.action', 'create', true), set_config('dangjian.note', '示例数据生成', true)`);
    await tx.execute(
      sql`TRUNCATE incident_requests, incident_summons, incident_revisit_tokens, incident_transitions, incidents, incident_categories, patrols, visits, isochrones, demo_belts, demo_circles, road_edges, road_nodes, service_centres, buildings, household_bands, foreign_grids, foreign_networks, sub_grid_versions, sub_grids, grid_versions, grids, regions, audit_log, meta RESTART IDENTITY CASCADE`,
    );
    const inBatches = async <T>(step: string, rows: T[], size: number, write: (batch: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += size) {
        await write(rows.slice(i, i + size));
        onProgress(step, Math.min(rows.length, i + size), rows.length);
      }
    };

    await inBatches('regions', data.regions, 200, (batch) =>
      tx.insert(t.regions).values(batch.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, kind: r.kind, geom: geomFromText(r.wkt) as unknown as string, isSample: true }))),
    );
    await inBatches('grids', data.grids, 500, (batch) =>
      tx.insert(t.grids).values(
        batch.map((g) => ({
          code: g.code,
          communityCode: g.communityCode,
          streetCode: g.streetCode,
          districtCode: g.districtCode,
          geom: geomFromText(g.wkt) as unknown as string,
          labelPoint: point(g.label) as unknown as string,
          ...pickGridAttributes(g),
          partySecretaryPhone: g.partySecretaryPhone,
          updatedBy: 'sample-generator',
        })),
      ),
    );

    await inBatches('service centres', data.centres, 500, (batch) =>
      tx.insert(t.serviceCentres).values(
        batch.map((c) => ({
          name: c.name,
          kind: c.kind ?? 'party_centre',
          level: c.level,
          regionCode: c.regionCode,
          areaM2: c.areaM2,
          householdsServed: c.householdsServed,
          openingHours: c.openingHours,
          address: c.address,
          geom: point(c.position) as unknown as string,
        })),
      ),
    );
    await inBatches('road nodes', data.roads.nodes, 2000, (batch) => tx.insert(t.roadNodes).values(batch.map((n) => ({ id: n.id, geom: point(n.position) as unknown as string }))));
    await inBatches('road edges', data.roads.edges, 1000, (batch) =>
      tx.insert(t.roadEdges).values(
        batch.map((e) => ({
          id: e.id,
          source: e.source,
          target: e.target,
          name: e.name,
          roadClass: e.roadClass,
          lengthM: e.lengthM,
          cost: e.lengthM,
          reverseCost: e.lengthM,
          geom: sql`ST_MakeLine(${point(e.coords[0])}, ${point(e.coords[1])})` as unknown as string,
        })),
      ),
    );

    for (const belt of data.belts) {
      const route = `MULTILINESTRING((${belt.route.map(([x, y]) => `${x} ${y}`).join(',')}))`;
      await tx.execute(sql`
        INSERT INTO demo_belts (name, description, route, corridor, member_community_codes, designated_on)
        SELECT ${belt.name}, ${belt.description}, r.g, c.g,
               (SELECT coalesce(jsonb_agg(code ORDER BY code), '[]'::jsonb) FROM regions WHERE level = 'community' AND ST_Intersects(geom, c.g)),
               ${belt.designatedOn}::date
        FROM (SELECT ST_GeomFromText(${route}, 4326) AS g) r,
        LATERAL (SELECT ST_Multi(ST_Buffer(r.g::geography, ${belt.corridorM})::geometry) AS g) c`);
    }
    for (const circle of data.circles) {
      await tx.execute(sql`
        INSERT INTO demo_circles (name, description, geom, member_community_codes, designated_on)
        SELECT ${circle.name}, ${circle.description}, c.g,
               (SELECT coalesce(jsonb_agg(code ORDER BY code), '[]'::jsonb) FROM regions WHERE level = 'community' AND ST_Intersects(geom, c.g)),
               ${circle.designatedOn}::date
        FROM (SELECT ST_Multi(ST_Buffer(${point(circle.centre)}::geography, ${circle.radiusM})::geometry) AS g) c`);
    }
    onProgress('demonstration belts and circles', 1, 1);

    await tx.insert(t.incidentCategories).values(data.categories);
    // Departments are not truncated (accounts refer to them): upserted by code, so a reload keeps their ids.
    for (const d of data.departments) {
      const row = { code: d.code, name: d.name, level: d.level, serviceRegionCode: d.serviceRegionCode, contactName: d.contactName, contactPhone: d.contactPhone, active: true };
      await tx.insert(t.departments).values(row).onConflictDoUpdate({ target: t.departments.code, set: row });
    }
    const departmentIds = new Map((await tx.select({ id: t.departments.id, code: t.departments.code }).from(t.departments)).map((d) => [d.code, d.id]));
    const departmentId = (code: string | null) => (code === null ? null : (departmentIds.get(code) ?? null));
    const categoryMap = Object.entries(data.categoryDepartments).flatMap(([categoryCode, codes]) => codes.map((code) => ({ categoryCode, departmentId: departmentId(code) as number })));
    if (categoryMap.length > 0) await tx.insert(t.categoryDepartments).values(categoryMap);
    onProgress('departments', data.departments.length, data.departments.length);
    const gridCodes = data.grids.map((g) => g.code);
    await inBatches('incidents', data.incidents, 1000, async (batch) => {
      const inserted = await tx
        .insert(t.incidents)
        .values(
          batch.map((i) => {
            const code = gridCodes[i.gridIndex] as string;
            return {
              categoryCode: i.categoryCode,
              source: i.source,
              reporter: i.reporter,
              description: i.description,
              geom: point(i.position) as unknown as string,
              gridCode: code,
              communityCode: code.slice(0, 12),
              streetCode: code.slice(0, 9),
              stage: i.stage,
              escalation: i.escalation,
              reportedAt: i.reportedAt,
              deadlineAt: i.deadlineAt,
              closedAt: i.closedAt,
              reworkCount: i.reworkCount,
              extended: i.extended,
              satisfaction: i.satisfaction,
              ...loopColumns(i, departmentId),
            };
          }),
        )
        .returning({ id: t.incidents.id });
      const transitions = batch.flatMap((incident, k) =>
        incident.transitions.map((tr) => ({
          incidentId: inserted[k]!.id,
          fromStage: tr.from,
          toStage: tr.to,
          actor: tr.actor,
          actorUsername: tr.actorUsername,
          at: tr.at,
          note: tr.note,
          action: tr.action,
          departmentId: departmentId(tr.departmentCode),
          payload: transitionPayload(incident, tr),
        })),
      );
      for (let i = 0; i < transitions.length; i += 3000) await tx.insert(t.incidentTransitions).values(transitions.slice(i, i + 3000));
      // A 退单 still waiting for the dispatcher is an open request (incidents.pending_request mirrors it).
      const requests = batch.flatMap((incident, k) => {
        const open = pendingReturn(incident);
        return open ? [{ incidentId: inserted[k]!.id, kind: 'return', reason: open.note ?? '退单', requestedBy: open.actorUsername ?? open.actor, requestedAt: open.at }] : [];
      });
      if (requests.length > 0) await tx.insert(t.incidentRequests).values(requests);
    });

    await loadLevels(tx, data);
    onProgress('grid levels', 1, 1);
    await inBatches('buildings', data.buildings ?? [], 1000, (batch) =>
      tx.insert(t.buildings).values(
        batch.map((b) => ({
          code: b.code,
          name: b.name,
          address: b.address,
          floors: b.floors,
          households: b.households,
          population: b.population,
          communityCode: b.communityCode,
          geom: point(b.position) as unknown as string,
          footprint: b.footprintWkt === null ? null : (geomFromText(b.footprintWkt) as unknown as string),
          updatedBy: 'sample-generator',
        })),
      ),
    );
    // Each building's grid: the base grid containing its point (kept current by grid writes afterwards).
    await tx.execute(sql`UPDATE buildings b SET grid_id = g.id FROM grids g WHERE g.geom && b.geom AND ST_Intersects(g.geom, b.geom)`);
    await tx.execute(derivedRegionFigures());
    await loadPartySample(tx);
    onProgress('party organisations, estates, rosters', 1, 1);
    await loadServiceSample(tx);
    onProgress('双报到, 三清单, 微心愿, star ratings', 1, 1);
    await tx.insert(t.meta).values([
      { key: 'dataset', value: { label: data.label, sample: true, options: data.options, generatedAt: new Date().toISOString() } },
      { key: 'network_version', value: 1 },
    ]);
    onProgress('derived figures', 1, 1);
  });
  // Fresh statistics so the planner uses the spatial indexes straight away.
  await handle.db.execute(
    sql`ANALYZE regions, grids, party_orgs, estates, grid_roster, roster_pairs, party_units, party_members, community_list_items, service_wishes, star_ratings, buildings, grid_versions, sub_grids, foreign_grids, service_centres, road_nodes, road_edges, incidents, incident_transitions, departments, category_departments`,
  );
}

/** The open 退单 of a case: a return after its last dispatch that nobody decided. */
function pendingReturn(i: SampleIncident): SampleTransition | null {
  let open: SampleTransition | null = null;
  for (const tr of i.transitions) {
    if (tr.action === 'return') open = tr;
    else if (tr.action === 'return_approved' || tr.action === 'dispatch' || tr.action === 'redispatch') open = null;
  }
  return open;
}

/** The loop's state columns of an incident (core's migration), derived from its history. */
function loopColumns(i: SampleIncident, departmentId: (code: string | null) => number | null) {
  let dispatchedAt: Date | null = null;
  let signedAt: Date | null = null;
  for (const tr of i.transitions) {
    if (tr.action === 'dispatch' || tr.action === 'redispatch') [dispatchedAt, signedAt] = [tr.at, null];
    else if (tr.action === 'return_approved') [dispatchedAt, signedAt] = [null, null];
    else if (tr.action === 'sign') signedAt = tr.at;
  }
  const urges = i.transitions.filter((tr) => tr.action === 'urge');
  const dispatched = dispatchedAt !== null;
  return {
    departmentId: dispatched && !i.toGridWorker ? departmentId(i.departmentCode) : null,
    dispatchedAt,
    signDeadlineAt: dispatchedAt ? signDeadlineFor(dispatchedAt, { signHours: SIGN_HOURS_BY_CATEGORY.get(i.categoryCode) ?? SIGN_HOURS }, DEFAULT_CALENDAR) : null,
    signedAt,
    urgeCount: urges.length,
    lastUrgedAt: urges.at(-1)?.at ?? null,
    pendingRequest: pendingReturn(i) ? 'return' : null,
  };
}

/** What else a step says: whom a dispatch names (by sample username, linked to an id once accounts exist), the 回访 score. */
function transitionPayload(i: SampleIncident, tr: SampleTransition): Record<string, unknown> | null {
  if ((tr.action === 'dispatch' || tr.action === 'redispatch') && i.toGridWorker && i.assigneeUsername) return { assigneeUsername: i.assigneeUsername };
  if (tr.action === 'revisit' && i.satisfaction !== null) return { satisfaction: i.satisfaction, by: 'dispatcher' };
  return null;
}

/** Region label points and household/party figures summed from their grids. */
function derivedRegionFigures(): SQL {
  return sql`
    WITH by_grid AS (
      SELECT community_code AS code, households, population, party_members, dual_report_members FROM grids
      UNION ALL SELECT street_code, households, population, party_members, dual_report_members FROM grids
      UNION ALL SELECT district_code, households, population, party_members, dual_report_members FROM grids
      UNION ALL SELECT (SELECT code FROM regions WHERE level = 'city' LIMIT 1), households, population, party_members, dual_report_members FROM grids
    ), sums AS (
      SELECT code, sum(households)::int AS households, sum(population)::int AS population,
             sum(party_members)::int AS party_members, sum(dual_report_members)::int AS dual_report_members
      FROM by_grid GROUP BY code
    )
    UPDATE regions r
    SET households = s.households, population = s.population, party_members = s.party_members,
        dual_report_members = s.dual_report_members, label_point = ST_PointOnSurface(r.geom)
    FROM sums s WHERE s.code = r.code`;
}

/**
 * 微网格, 专属网格 and the foreign network; then the sample's history: every grid existed a year
 * before the load day, and the one boundary change happened on its day (the versions' times are
 * set afterwards, since the trigger stamps the transaction's time).
 */
async function loadLevels(tx: LoadTx, data: SampleDataset): Promise<void> {
  const { subGrids, foreignNetworks, boundaryChanges } = data.levels;
  for (let i = 0; i < subGrids.length; i += 500) {
    await tx.insert(t.subGrids).values(
      subGrids.slice(i, i + 500).map((g) => ({
        code: g.code,
        level: g.level,
        kind: g.kind,
        name: g.name,
        parentGridCode: g.parentGridCode,
        communityCode: g.communityCode,
        streetCode: g.streetCode,
        geom: geomFromText(g.wkt) as unknown as string,
        households: g.households,
        population: g.population,
        keeper: g.keeper,
        updatedBy: 'sample-generator',
      })),
    );
  }
  for (const network of foreignNetworks) {
    const [row] = await tx.insert(t.foreignNetworks).values({ name: network.name, department: network.department, sourceFile: '示例数据', importedBy: 'sample-generator' }).returning({ id: t.foreignNetworks.id });
    for (const g of network.grids) {
      await tx.execute(sql`
        INSERT INTO foreign_grids (network_id, code, name, attributes, geom)
        SELECT ${row!.id}, ${g.code}, ${g.name}, ${JSON.stringify(g.attributes)}::jsonb, ST_Multi(x.geom)
        FROM (SELECT ST_CollectionExtract(ST_Intersection(${geomFromText(g.wkt)}, r.geom), 3) AS geom FROM regions r WHERE r.code = ${network.clipToRegion}) x
        WHERE NOT ST_IsEmpty(x.geom) AND ST_Area(x.geom::geography) > 1000`);
    }
  }
  const start = new Date(Math.min(...data.incidents.map((i) => i.reportedAt.getTime()), Date.now()) - 86_400_000);
  await tx.execute(sql`UPDATE grid_versions SET at = ${start} WHERE action = 'create'`);
  await tx.execute(sql`UPDATE sub_grid_versions SET at = ${start} WHERE action = 'create'`);
  for (const change of boundaryChanges) {
    const mark = await executeRows<{ id: number }>(tx, sql`SELECT coalesce(max(id), 0)::bigint AS id FROM grid_versions`);
    const codes = change.before.map((b) => b.code);
    const current = await executeRows<{ code: string; wkt: string }>(
      tx,
      sql`SELECT code, ST_AsText(geom) AS wkt FROM grids WHERE code IN (${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )})`,
    );
    // History is written forwards: put the grids back as they were (at the start), then apply the change (on its day).
    await tx.execute(sql`SELECT set_config('dangjian.action', 'create', true), set_config('dangjian.note', '示例数据：调整前的边界', true)`);
    for (const b of change.before) await tx.execute(sql`UPDATE grids SET geom = ${geomFromText(b.wkt)} WHERE code = ${b.code}`);
    await tx.execute(sql`UPDATE grid_versions SET at = ${start} WHERE id > ${Number(mark[0]?.id ?? 0)}`);
    const middle = await executeRows<{ id: number }>(tx, sql`SELECT coalesce(max(id), 0)::bigint AS id FROM grid_versions`);
    await tx.execute(sql`SELECT set_config('dangjian.action', 'update', true), set_config('dangjian.note', ${change.note}, true)`);
    for (const c of current) await tx.execute(sql`UPDATE grids SET geom = ${geomFromText(c.wkt)} WHERE code = ${c.code}`);
    await tx.execute(sql`UPDATE grid_versions SET at = ${change.at} WHERE id > ${Number(middle[0]?.id ?? 0)}`);
  }
  await tx.execute(sql`SELECT set_config('dangjian.action', 'create', true), set_config('dangjian.note', '示例数据生成', true)`);
}
