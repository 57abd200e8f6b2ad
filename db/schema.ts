/**
 * The single source of truth for the database. drizzle-kit generates the
 * migrations in db/migrations from this file (`npm run db:generate`).
 *
 * Geometries are stored in WGS84 (EPSG:4326). Spatial SQL lives in named
 * functions under server/ (tiles, topology, isochrones); here we only declare
 * columns, constraints and indexes.
 */
import { sql } from 'drizzle-orm';
import { ROLES } from '../kernel/roles';
import { bigint, bigserial, boolean, check, customType, date, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

/** A PostGIS geometry column; values travel as EWKT/WKB strings, spatial work happens in SQL. */
const geometry = (name: string, type: 'Point' | 'LineString' | 'MultiLineString' | 'MultiPolygon' | 'Geometry') =>
  customType<{ data: string; driverData: string }>({
    dataType: () => `geometry(${type},4326)`,
  })(name);

export const regionLevel = pgEnum('region_level', ['city', 'district', 'street', 'community']);

/** 市/区县/街道/社区 with their real 统计用区划代码 (6, 6, 9 and 12 digits). */
export const regions = pgTable(
  'regions',
  {
    code: varchar('code', { length: 12 }).primaryKey(),
    name: text('name').notNull(),
    level: regionLevel('level').notNull(),
    parentCode: varchar('parent_code', { length: 12 }),
    /** 街道/镇/乡 for streets, 居委会/村委会 for communities. */
    kind: text('kind'),
    households: integer('households').notNull().default(0),
    population: integer('population').notNull().default(0),
    partyMembers: integer('party_members').notNull().default(0),
    /** 双报到: party members registered at their residential community. */
    dualReportMembers: integer('dual_report_members').notNull().default(0),
    geom: geometry('geom', 'MultiPolygon'),
    labelPoint: geometry('label_point', 'Point'),
    isSample: boolean('is_sample').notNull().default(false),
  },
  (t) => [index('regions_parent_idx').on(t.parentCode), index('regions_geom_gist').using('gist', t.geom), check('regions_code_digits', sql`${t.code} ~ '^[0-9]{6}([0-9]{3}){0,2}$'`)],
);

/** 网格: the unit of grassroots governance. Grids of a community tile it without gaps or overlaps. */
export const grids = pgTable(
  'grids',
  {
    /** Integer id doubles as the vector-tile feature id (MapLibre feature-state needs integers). */
    id: serial('id').primaryKey(),
    /** 15 digits: 12-digit community code + 3-digit sequence. */
    code: varchar('code', { length: 15 }).notNull(),
    name: text('name').notNull(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    streetCode: varchar('street_code', { length: 9 }).notNull(),
    districtCode: varchar('district_code', { length: 6 }).notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    /** Derived from the geometry so it can never disagree with it. */
    areaM2: doublePrecision('area_m2').generatedAlwaysAs(sql`ST_Area(geom::geography)`),
    labelPoint: geometry('label_point', 'Point'),
    households: integer('households').notNull().default(0),
    population: integer('population').notNull().default(0),
    partyOrgName: text('party_org_name'),
    /** 党支部 / 联合党支部 / 党小组 */
    partyOrgType: text('party_org_type'),
    partySecretary: text('party_secretary'),
    /** The secretary's contact phone: personal data, masked unless the reader's role needs it (server/auth/personalData.ts). */
    partySecretaryPhone: text('party_secretary_phone'),
    partyMembers: integer('party_members').notNull().default(0),
    dualReportMembers: integer('dual_report_members').notNull().default(0),
    gridWorkers: jsonb('grid_workers').$type<string[]>().notNull().default([]),
    /** 星级 0 (not rated) .. 5. */
    starRating: smallint('star_rating').notNull().default(0),
    /** Optimistic-locking version, incremented by every saved change. */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    uniqueIndex('grids_code_unique').on(t.code),
    index('grids_community_idx').on(t.communityCode),
    index('grids_street_idx').on(t.streetCode),
    index('grids_geom_gist').using('gist', t.geom),
    check('grids_code_digits', sql`${t.code} ~ '^[0-9]{15}$'`),
    check('grids_code_in_community', sql`left(${t.code}, 12) = ${t.communityCode}`),
    check('grids_star_range', sql`${t.starRating} between 0 and 5`),
  ],
);

/** Every change to a grid is a version: who, when, what, geometry and attributes before/after. */
export const gridVersions = pgTable(
  'grid_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    gridId: integer('grid_id').notNull(),
    gridCode: varchar('grid_code', { length: 15 }).notNull(),
    version: integer('version').notNull(),
    /** create | update | split | merge | recode | revert | import | delete */
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    beforeGeom: geometry('before_geom', 'MultiPolygon'),
    afterGeom: geometry('after_geom', 'MultiPolygon'),
    beforeAttrs: jsonb('before_attrs'),
    afterAttrs: jsonb('after_attrs'),
    note: text('note'),
  },
  (t) => [uniqueIndex('grid_versions_grid_version').on(t.gridId, t.version), index('grid_versions_code_idx').on(t.gridCode)],
);

/**
 * Generalised grid layer for low zooms: community and street outlines dissolved from their
 * grids and simplified with shared edges kept (server/tiles/generalise.ts), with figures
 * summed from the grids for thematic colouring. Derived data, rebuilt when stale.
 */
export const gridAreas = pgTable(
  'grid_areas',
  {
    /** 'community' or 'street' */
    level: text('level').notNull(),
    code: varchar('code', { length: 12 }).notNull(),
    streetCode: varchar('street_code', { length: 9 }).notNull(),
    grids: integer('grids').notNull().default(0),
    households: integer('households').notNull().default(0),
    /** Mean star rating of the grids, rounded (0..5). */
    starRating: smallint('star_rating').notNull().default(0),
    geom: geometry('geom', 'MultiPolygon').notNull(),
  },
  (t) => [uniqueIndex('grid_areas_level_code').on(t.level, t.code), index('grid_areas_geom_gist').using('gist', t.geom)],
);

export const centreLevel = pgEnum('centre_level', ['city', 'district', 'street', 'community', 'estate']);

/** Kinds of 阵地 (kernel/facilityKinds.ts): 党群服务中心, 红色驿站, 小哥驿站, 红色物业 points, 社会组织孵化中心. */
export const facilityKind = pgEnum('facility_kind', ['party_centre', 'red_station', 'rider_station', 'red_property', 'ngo_incubator']);

/** Every kind of 阵地 (the table keeps its first name): 党群服务中心 at five levels (市/县区/街道/社区/小区) and the other kinds. */
export const serviceCentres = pgTable(
  'service_centres',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** Existing rows are 党群服务中心. */
    kind: facilityKind('kind').notNull().default('party_centre'),
    level: centreLevel('level').notNull(),
    regionCode: varchar('region_code', { length: 12 }).references(() => regions.code),
    areaM2: doublePrecision('area_m2').notNull(),
    householdsServed: integer('households_served').notNull().default(0),
    openingHours: text('opening_hours'),
    address: text('address'),
    geom: geometry('geom', 'Point').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('service_centres_geom_gist').using('gist', t.geom),
    index('service_centres_region_idx').on(t.regionCode),
    index('service_centres_kind_idx').on(t.kind),
    check('service_centres_area_positive', sql`${t.areaM2} > 0`),
  ],
);

/** Walkable street network (pgRouting layout: source/target node ids, cost in metres). */
export const roadNodes = pgTable(
  'road_nodes',
  {
    id: integer('id').primaryKey(),
    geom: geometry('geom', 'Point').notNull(),
  },
  (t) => [index('road_nodes_geom_gist').using('gist', t.geom)],
);

export const roadEdges = pgTable(
  'road_edges',
  {
    id: integer('id').primaryKey(),
    source: integer('source').notNull(),
    target: integer('target').notNull(),
    name: text('name'),
    /** arterial | street | lane */
    roadClass: text('road_class').notNull(),
    lengthM: doublePrecision('length_m').notNull(),
    cost: doublePrecision('cost').notNull(),
    reverseCost: doublePrecision('reverse_cost').notNull(),
    geom: geometry('geom', 'LineString').notNull(),
  },
  (t) => [index('road_edges_geom_gist').using('gist', t.geom), index('road_edges_source_idx').on(t.source), index('road_edges_target_idx').on(t.target)],
);

/** 示范带: a corridor of communities along a road. */
export const demoBelts = pgTable(
  'demo_belts',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description'),
    route: geometry('route', 'MultiLineString').notNull(),
    corridor: geometry('corridor', 'MultiPolygon').notNull(),
    memberCommunityCodes: jsonb('member_community_codes').$type<string[]>().notNull().default([]),
    /** 认定日期 (China date); null for rows made before it was recorded. */
    designatedOn: date('designated_on', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('demo_belts_corridor_gist').using('gist', t.corridor)],
);

/** 示范圈: an area of communities around a centre. */
export const demoCircles = pgTable(
  'demo_circles',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description'),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    memberCommunityCodes: jsonb('member_community_codes').$type<string[]>().notNull().default([]),
    /** 认定日期 (China date); null for rows made before it was recorded. */
    designatedOn: date('designated_on', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('demo_circles_geom_gist').using('gist', t.geom)],
);

export const incidentStage = pgEnum('incident_stage', [
  'collect', // 信息收集
  'register', // 立案
  'dispatch', // 派遣
  'handle', // 处置
  'feedback', // 反馈
  'close', // 核实结案
  'evaluate', // 评价
]);

export const escalationLevel = pgEnum('escalation_level', ['grid', 'community', 'street', 'department']);

/**
 * Incident categories (major/minor classes) with their handling deadline on the working
 * clock (kernel/workCalendar.ts): `deadline_amount` working hours or working days, and
 * the working hours a dispatched case has to be signed for (签收时限).
 */
export const incidentCategories = pgTable(
  'incident_categories',
  {
    code: varchar('code', { length: 16 }).primaryKey(),
    major: text('major').notNull(),
    minor: text('minor').notNull(),
    deadlineAmount: integer('deadline_amount').notNull(),
    /** hours (工作小时) | days (工作日) */
    deadlineUnit: text('deadline_unit').$type<'hours' | 'days'>().notNull(),
    signHours: integer('sign_hours').notNull().default(2),
  },
  (t) => [
    check('incident_categories_deadline_unit_known', sql`${t.deadlineUnit} in ('hours', 'days')`),
    check('incident_categories_deadline_positive', sql`${t.deadlineAmount} > 0`),
    check('incident_categories_sign_positive', sql`${t.signHours} > 0`),
  ],
);

/**
 * The working-day calendar's exceptions (China dates): 法定节假日 and their days off
 * (holiday), and weekend days worked instead (workday, 调休上班). Every other
 * Monday–Friday is a working day. Seeded with 2026's official days by its migration;
 * admins edit it (PUT/DELETE /api/calendar/:date).
 */
export const workCalendarDays = pgTable(
  'work_calendar_days',
  {
    date: date('date', { mode: 'string' }).primaryKey(),
    kind: text('kind').$type<'holiday' | 'workday'>().notNull(),
    name: text('name').notNull(),
    /** Who last set the day (users.username); null for the shipped official days. */
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('work_calendar_days_kind_known', sql`${t.kind} in ('holiday', 'workday')`)],
);

/** 网格事件 / 为民红绳 requests / 12345 hotline tickets. */
export const incidents = pgTable(
  'incidents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    categoryCode: varchar('category_code', { length: 16 })
      .notNull()
      .references(() => incidentCategories.code),
    /** grid | hongsheng (为民红绳) | hotline (12345) */
    source: text('source').notNull(),
    reporter: text('reporter'),
    description: text('description'),
    geom: geometry('geom', 'Point').notNull(),
    gridCode: varchar('grid_code', { length: 15 }),
    communityCode: varchar('community_code', { length: 12 }),
    streetCode: varchar('street_code', { length: 9 }),
    stage: incidentStage('stage').notNull().default('collect'),
    escalation: escalationLevel('escalation').notNull().default('grid'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    reworkCount: integer('rework_count').notNull().default(0),
    extended: boolean('extended').notNull().default(false),
    /** When the one allowed extension (延期) moved the deadline. */
    deadlineExtendedAt: timestamp('deadline_extended_at', { withTimezone: true }),
    /** 缓办: put on hold by decision; excluded from 应结案 in the KPIs. */
    suspended: boolean('suspended').notNull().default(false),
    satisfaction: smallint('satisfaction'),
    /**
     * The 12345 hotline's case number (工单编号) of a case it pushed (POST
     * /api/hotline/cases): unique, so a repeated push finds the same incident.
     */
    externalRef: text('external_ref'),
    /** The hotline's own status of the case as last pushed (recorded as history when it changes). */
    hotlineStatus: text('hotline_status'),
    /**
     * Web Mercator (EPSG:3857) metres of the point, derived so hexbin/heatmap
     * aggregation over a million rows is plain arithmetic (no per-row transform).
     */
    mercX: doublePrecision('merc_x').generatedAlwaysAs(sql`ST_X(geom) * 20037508.342789244 / 180`),
    mercY: doublePrecision('merc_y').generatedAlwaysAs(sql`ln(tan(radians(90 + ST_Y(geom)) / 2)) * 6378137`),
    /**
     * The PostGIS hexagon (ST_Hexagon(size, i, j)) holding the point at the hexbin
     * size of zooms 9–12 (the city and district views), filled by the trigger
     * incidents_hex_cells (migration 0005) so the map groups by two integers
     * instead of computing cells for a million rows per request.
     */
    hexZ9I: integer('hex_z9_i'),
    hexZ9J: integer('hex_z9_j'),
    hexZ10I: integer('hex_z10_i'),
    hexZ10J: integer('hex_z10_j'),
    hexZ11I: integer('hex_z11_i'),
    hexZ11J: integer('hex_z11_j'),
    hexZ12I: integer('hex_z12_i'),
    hexZ12J: integer('hex_z12_j'),
    /**
     * The closed loop's people (issue 14). User and department ids are not foreign
     * keys: the history must outlive a deleted account, and the stand-in users of tests
     * and the CLI have no row. Who reported (null: hotline, import, sample).
     */
    reporterUserId: integer('reporter_user_id'),
    /** The department (责任单位) it is dispatched to now, or null. */
    departmentId: integer('department_id'),
    /** The grid worker it is dispatched to now, or null (a department handles it). */
    assigneeUserId: integer('assignee_user_id'),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    /** 签收 is due by then (its own clock from 派遣). */
    signDeadlineAt: timestamp('sign_deadline_at', { withTimezone: true }),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    /** Who gave the 处置反馈 (the handler); 核实 must be someone else. */
    handlerUserId: integer('handler_user_id'),
    /** Who verified (核实通过); the 结案 is theirs or a dispatcher's. */
    verifierUserId: integer('verifier_user_id'),
    /** 催办/督办 count and the last one. */
    urgeCount: integer('urge_count').notNull().default(0),
    lastUrgedAt: timestamp('last_urged_at', { withTimezone: true }),
    /** The open request awaiting the dispatcher (return | extension | suspension), mirrored from incident_requests for the inbox. */
    pendingRequest: text('pending_request'),
    /** The finest region code (grid, else community, else street): what the read rule matches a jurisdiction against. */
    placeCode: varchar('place_code', { length: 15 }).generatedAlwaysAs(sql`coalesce(grid_code, community_code, street_code)`),
  },
  (t) => [
    index('incidents_geom_gist').using('gist', t.geom),
    index('incidents_reported_idx').on(t.reportedAt),
    index('incidents_grid_idx').on(t.gridCode),
    index('incidents_community_idx').on(t.communityCode),
    index('incidents_street_idx').on(t.streetCode),
    index('incidents_deadline_idx').on(t.deadlineAt),
    index('incidents_closed_idx').on(t.closedAt),
    uniqueIndex('incidents_external_ref_unique').on(t.externalRef),
    /** Covers the map aggregations (time window + filters + Mercator position) for index-only scans. */
    index('incidents_map_idx').on(t.reportedAt, t.mercX, t.mercY, t.source, t.categoryCode, t.stage, t.id),
    /** Covers hexbin counts at the precomputed zooms: time window + filters + cells, index-only. */
    index('incidents_hex_idx').on(t.reportedAt, t.source, t.categoryCode, t.stage, t.hexZ9I, t.hexZ9J, t.hexZ10I, t.hexZ10J, t.hexZ11I, t.hexZ11J, t.hexZ12I, t.hexZ12J),
    /** The inbox: a dispatcher's jurisdiction (prefix) per stage, ordered by deadline. */
    index('incidents_place_stage_idx').on(t.placeCode.op('text_pattern_ops'), t.stage, t.deadlineAt),
    index('incidents_stage_deadline_idx').on(t.stage, t.deadlineAt),
    index('incidents_department_stage_idx').on(t.departmentId, t.stage, t.deadlineAt),
    index('incidents_assignee_stage_idx').on(t.assigneeUserId, t.stage, t.deadlineAt),
    index('incidents_reporter_idx').on(t.reporterUserId, t.reportedAt),
    index('incidents_urged_idx').on(t.placeCode.op('text_pattern_ops'), t.deadlineAt).where(sql`${t.urgeCount} > 0`),
    index('incidents_pending_idx').on(t.placeCode.op('text_pattern_ops'), t.deadlineAt).where(sql`${t.pendingRequest} IS NOT NULL`),
    check('incidents_pending_known', sql`${t.pendingRequest} in ('return', 'extension', 'suspension')`),
    check('incidents_source_known', sql`${t.source} in ('grid', 'hongsheng', 'hotline')`),
    check('incidents_satisfaction_range', sql`${t.satisfaction} between 1 and 5`),
  ],
);

/** Who moved an incident from which stage to which, and when. */
export const incidentTransitions = pgTable(
  'incident_transitions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: integer('incident_id').notNull(),
    fromStage: incidentStage('from_stage'),
    toStage: incidentStage('to_stage').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    note: text('note'),
    /**
     * stage (a move along the loop) | rework (反馈 → 处置) | extension (延期) |
     * escalation (吹哨报到) | suspension (缓办) | resumption; non-stage events keep from = to.
     */
    action: text('action').notNull().default('stage'),
    /**
     * The account that wrote the row (users.username); `actor` is its display name.
     * Null for the generated sample history, which no account wrote.
     */
    actorUsername: text('actor_username'),
    /**
     * The row came from an admin's bulk import of historical cases (POST
     * /api/incidents/batch), so `at` is the time the file says, not the server's clock.
     */
    imported: boolean('imported').notNull().default(false),
    /** The writing account's id (null: sample, resident through a 回访 link). */
    actorUserId: integer('actor_user_id'),
    /** The department a 派遣/改派/吹哨/报到 names. */
    departmentId: integer('department_id'),
    /** The grid worker a 派遣/改派 names. */
    assigneeUserId: integer('assignee_user_id'),
    /** What else the step says (requested hours, summoned departments, decision …). */
    payload: jsonb('payload'),
  },
  (t) => [
    index('incident_transitions_incident_idx').on(t.incidentId),
    index('incident_transitions_assignee_idx').on(t.assigneeUserId).where(sql`${t.assigneeUserId} IS NOT NULL`),
    index('incident_transitions_actor_idx').on(t.actorUserId).where(sql`${t.actorUserId} IS NOT NULL`),
    index('incident_transitions_department_idx').on(t.departmentId).where(sql`${t.departmentId} IS NOT NULL`),
    /** The KPIs read the period's dispatches and revisits by action and time. */
    index('incident_transitions_action_at_idx').on(t.action, t.at),
  ],
);

/** 吹哨报到: a department summoned to an incident must 报到 (report in) by its deadline. */
export const incidentSummons = pgTable(
  'incident_summons',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id').notNull(),
    departmentId: integer('department_id').notNull(),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }).notNull(),
    summonedAt: timestamp('summoned_at', { withTimezone: true }).notNull(),
    summonedBy: text('summoned_by').notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true }),
    reportedBy: text('reported_by'),
    note: text('note'),
  },
  (t) => [uniqueIndex('incident_summons_unique').on(t.incidentId, t.departmentId), index('incident_summons_department_idx').on(t.departmentId, t.reportedAt)],
);

/** 退单/延期/缓办 requests of the handler, approved or refused by the dispatcher. */
export const incidentRequests = pgTable(
  'incident_requests',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id').notNull(),
    /** return | extension | suspension */
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    /** 延期: the hours asked for. */
    hours: integer('hours'),
    requestedBy: text('requested_by').notNull(),
    requestedByUserId: integer('requested_by_user_id'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** approved | refused | superseded (改派 while a 退单 was open) */
    decision: text('decision'),
    decisionNote: text('decision_note'),
  },
  (t) => [
    index('incident_requests_incident_idx').on(t.incidentId),
    check('incident_requests_kind_known', sql`${t.kind} in ('return', 'extension', 'suspension')`),
    check('incident_requests_decision_known', sql`${t.decision} in ('approved', 'refused', 'superseded')`),
  ],
);

/** One-time 回访 links for residents: only the SHA-256 of the token is kept. */
export const incidentRevisitTokens = pgTable(
  'incident_revisit_tokens',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('incident_revisit_tokens_hash').on(t.tokenHash), index('incident_revisit_tokens_incident_idx').on(t.incidentId)],
);

/** Raw bytes (photos); node-postgres returns a Buffer, PGlite a Uint8Array. */
const bytea = (name: string) =>
  customType<{ data: Uint8Array; driverData: Uint8Array }>({
    dataType: () => 'bytea',
  })(name);

/**
 * Photos of an incident (up to 9 per step of its history): kept in the database, so
 * both engines hold them, one transaction writes them with nothing half-stored, and
 * the existing backups (pg_dump / the embedded data folder) carry them along.
 * `transition_id` is the step they document (null: the report itself).
 */
export const incidentPhotos = pgTable(
  'incident_photos',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: bigint('incident_id', { mode: 'number' })
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    transitionId: bigint('transition_id', { mode: 'number' }).references(() => incidentTransitions.id, { onDelete: 'cascade' }),
    /** The uploading account (null once deleted); its username and display name stay as written. */
    uploadedByUserId: integer('uploaded_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    uploadedByUsername: text('uploaded_by_username').notNull(),
    uploadedByName: text('uploaded_by_name').notNull(),
    /** The server's clock. */
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    /** From the magic bytes: image/jpeg | image/png | image/webp. */
    mime: text('mime').notNull(),
    /** Hex SHA-256 of `data` (the ETag). */
    sha256: varchar('sha256', { length: 64 }).notNull(),
    bytes: integer('bytes').notNull(),
    /** Displayed size (EXIF orientation applied). */
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** EXIF DateTimeOriginal; GPS position (WGS84) from EXIF — both as the camera says. */
    takenAt: timestamp('taken_at', { withTimezone: true }),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    /** The file as uploaded. */
    data: bytea('data').notNull(),
    /** JPEG thumbnail, metadata stripped. */
    thumb: bytea('thumb').notNull(),
  },
  (t) => [index('incident_photos_incident_idx').on(t.incidentId, t.transitionId), check('incident_photos_mime_known', sql`${t.mime} in ('image/jpeg', 'image/png', 'image/webp')`)],
);

export const userRole = pgEnum('user_role', ROLES);

/**
 * 责任单位: the departments that handle incidents (城管, 住建, 市场监管, 公安, 民政, 供电,
 * 水务, 物业企业 …), at a level, serving a region; managed by admins.
 */
export const departments = pgTable(
  'departments',
  {
    id: serial('id').primaryKey(),
    code: varchar('code', { length: 32 }).notNull(),
    name: text('name').notNull(),
    level: regionLevel('level').notNull(),
    /**
     * The region it serves (a district, street or community code). Checked on write, not
     * by a foreign key: reloading the regions (TRUNCATE … CASCADE) must not empty this
     * table and, through users.department_id, the accounts.
     */
    serviceRegionCode: varchar('service_region_code', { length: 12 }),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('departments_code_unique').on(t.code)],
);

/** The departments an incident category is dispatched to by default. */
export const categoryDepartments = pgTable(
  'category_departments',
  {
    categoryCode: varchar('category_code', { length: 16 })
      .notNull()
      .references(() => incidentCategories.code, { onDelete: 'cascade' }),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.categoryCode, t.departmentId] })],
);

/** Users and roles. Usernames are unique regardless of case (ADMIN is admin). */
export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    role: userRole('role').notNull(),
    /** Region code a planner may edit in, or a dispatcher's command centre serves (a street or a community). */
    jurisdictionCode: varchar('jurisdiction_code', { length: 12 }),
    /** The 责任单位 a 处置人员 (dept_staff) works for. */
    departmentId: integer('department_id').references(() => departments.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`)],
);

/**
 * Server-side sessions: the cookie holds a random token, the table only its SHA-256
 * (a leaked table signs nobody in). Every request looks its session up by primary key
 * and joins the user, so sign-out, revocation, deletion and role changes apply at once.
 */
/** The grids a 网格员 (grid_worker) is bound to; a grid that is merged away takes its bindings with it. */
export const userGrids = pgTable(
  'user_grids',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    gridId: integer('grid_id')
      .notNull()
      .references(() => grids.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.gridId] }), index('user_grids_grid_idx').on(t.gridId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the token (base64url). */
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set by sign-out, an admin's 强制下线 or a password reset; a revoked session never comes back. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Every write, for the audit trail. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    ip: text('ip'),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);

/** Cached walking isochrones per centre, invalidated by the network version. */
export const isochrones = pgTable(
  'isochrones',
  {
    centreId: integer('centre_id').notNull(),
    minutes: integer('minutes').notNull(),
    speedMPerMin: doublePrecision('speed_m_per_min').notNull(),
    networkVersion: integer('network_version').notNull(),
    /** network | buffer (labelled fallback where a centre has no network) */
    method: text('method').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('isochrones_key').on(t.centreId, t.minutes, t.speedMPerMin), index('isochrones_geom_gist').using('gist', t.geom)],
);

/** Small key/value facts about the dataset: whether it is sample data, data versions for caches. */
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});

/**
 * API keys of the 12345 hotline link (POST /api/hotline/cases): only the SHA-256 of a
 * key is kept (the key is shown once when an admin creates it); revoked keys stay for
 * the record. `jurisdictionCode`: where cases pushed with it may lie (null: the whole city).
 */
export const hotlineKeys = pgTable(
  'hotline_keys',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    /** The first characters of the key, so admins can tell keys apart. */
    prefix: text('prefix').notNull(),
    jurisdictionCode: varchar('jurisdiction_code', { length: 12 }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('hotline_keys_hash_unique').on(t.keyHash)],
);

/**
 * Outbound webhooks to the hotline: one row per history row (transition) to deliver,
 * with its signed body, attempts and the next retry time — persisted, so a restart
 * continues where it stopped; the delivery log admins read.
 */
export const hotlineDeliveries = pgTable(
  'hotline_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transitionId: integer('transition_id').notNull(),
    incidentId: integer('incident_id').notNull(),
    caseNo: text('case_no'),
    url: text('url').notNull(),
    body: text('body').notNull(),
    /** pending | delivered | failed (gave up after the last attempt) */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('hotline_deliveries_transition_unique').on(t.transitionId, t.url),
    index('hotline_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    check('hotline_deliveries_status_known', sql`${t.status} in ('pending', 'delivered', 'failed')`),
  ],
);

/**
 * The change signal behind the big screen's summary cache: a trigger (migration
 * data_changes_triggers) adds a row for every write statement on the tables the
 * summary reads, so `sum(weight)` grows with every commit that touched them. Rows
 * are appended, never updated (no lock shared by writers); readers fold them into
 * one row now and then, keeping the sum (server/screen/dataVersion.ts).
 */
export const dataChanges = pgTable('data_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  weight: bigint('weight', { mode: 'number' }).notNull().default(1),
});

// ─── 党建: party organisations, estates, grid rosters (branch party-orgs, issue 16) ───

/**
 * 党组织 as a tree: 党委/党工委/党总支/党支部/党小组 (kernel/partyOrgs.ts says which kind
 * may sit under which — checked on every write). Each is attached to a region (street or
 * community), a grid, an estate or a building (text until buildings have a table), and
 * always carries the region it lies in (`region_code`: the street or community) for the
 * jurisdiction rule and 组建率. The secretary's name and phone are personal data.
 */
export const partyOrgs = pgTable(
  'party_orgs',
  {
    id: serial('id').primaryKey(),
    /** Stable code for imports (parent references): e.g. 450902005001001-ZB. */
    code: varchar('code', { length: 40 }).notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    parentId: integer('parent_id'),
    attachKind: text('attach_kind').notNull(),
    regionCode: varchar('region_code', { length: 12 }).notNull(),
    gridId: integer('grid_id').references(() => grids.id, { onDelete: 'set null' }),
    estateId: integer('estate_id'),
    building: text('building'),
    /** 联合党组织 (several estates, firms or buildings together). */
    joint: boolean('joint').notNull().default(false),
    secretary: text('secretary'),
    secretaryPhone: text('secretary_phone'),
    members: integer('members').notNull().default(0),
    foundedOn: date('founded_on'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    uniqueIndex('party_orgs_code_unique').on(t.code),
    index('party_orgs_parent_idx').on(t.parentId),
    index('party_orgs_region_idx').on(t.regionCode),
    index('party_orgs_grid_idx').on(t.gridId),
    index('party_orgs_estate_idx').on(t.estateId),
    check('party_orgs_kind_known', sql`${t.kind} in ('党委', '党工委', '党总支', '党支部', '党小组')`),
    check('party_orgs_attach_known', sql`${t.attachKind} in ('region', 'grid', 'estate', 'building')`),
    check('party_orgs_members_nonneg', sql`${t.members} >= 0`),
    check('party_orgs_not_own_parent', sql`${t.parentId} is distinct from ${t.id}`),
  ],
);

/**
 * 小区 as polygons inside communities: property company, 业委会, households, its party
 * organisation (null: none; the organisation's `joint` says 单独/联合) and 红色物业.
 * `service_space_m2` is the estate's 党群服务 space, checked against 30 m²/100 households
 * with a 300 m² floor (kernel/estateNorm.ts).
 */
export const estates = pgTable(
  'estates',
  {
    id: serial('id').primaryKey(),
    code: varchar('code', { length: 40 }).notNull(),
    name: text('name').notNull(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    households: integer('households').notNull().default(0),
    propertyCompany: text('property_company'),
    /** 业委会 set up. */
    ownersCommittee: boolean('owners_committee').notNull().default(false),
    partyOrgId: integer('party_org_id').references(() => partyOrgs.id, { onDelete: 'set null' }),
    /** 红色物业: the property company is led by a party organisation. */
    redProperty: boolean('red_property').notNull().default(false),
    serviceSpaceM2: doublePrecision('service_space_m2'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    uniqueIndex('estates_code_unique').on(t.code),
    index('estates_community_idx').on(t.communityCode),
    index('estates_geom_gist').using('gist', t.geom),
    check('estates_households_nonneg', sql`${t.households} >= 0`),
  ],
);

/**
 * 网格队伍: the people of a grid — 网格长, 专职/兼职网格员, 网格指导员, 楼栋长 — with phone,
 * a small photo (JPEG/PNG/WebP by magic bytes) and duties, optionally the grid_worker
 * account they sign in with. `public_fields` lists what the grid's public page and the
 * 民情联系卡 may show (kernel/rosterRoles.ts PUBLIC_FIELDS).
 */
export const gridRoster = pgTable(
  'grid_roster',
  {
    id: serial('id').primaryKey(),
    gridId: integer('grid_id')
      .notNull()
      .references(() => grids.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    duties: text('duties'),
    building: text('building'),
    partyMember: boolean('party_member').notNull().default(false),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    photoMime: text('photo_mime'),
    photo: bytea('photo'),
    publicFields: jsonb('public_fields').$type<string[]>().notNull().default(['name', 'duties']),
    sort: integer('sort').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    index('grid_roster_grid_idx').on(t.gridId, t.sort),
    check('grid_roster_role_known', sql`${t.role} in ('grid_leader', 'full_time', 'part_time', 'instructor', 'building_leader')`),
    check('grid_roster_photo_mime', sql`${t.photoMime} is null or ${t.photoMime} in ('image/jpeg', 'image/png', 'image/webp')`),
  ],
);

/** 1+1带N: a party member and a grid worker (a roster entry) with the N households they look after. */
export const rosterPairs = pgTable(
  'roster_pairs',
  {
    id: serial('id').primaryKey(),
    gridId: integer('grid_id')
      .notNull()
      .references(() => grids.id, { onDelete: 'cascade' }),
    memberName: text('member_name').notNull(),
    memberPhone: text('member_phone'),
    workerId: integer('worker_id')
      .notNull()
      .references(() => gridRoster.id, { onDelete: 'cascade' }),
    households: integer('households').notNull().default(0),
    note: text('note'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [index('roster_pairs_grid_idx').on(t.gridId), check('roster_pairs_households_nonneg', sql`${t.households} >= 0`)],
);

// ---------------------------------------------------------------------------------------------
// Grid levels and 多网融合 (branch grid-levels). 微网格 and 专属网格 live beside the base grids
// (table `grids`, which stays the 基础网格 every existing query means), so no figure of the base
// layer counts a micro grid twice. Codes: kernel/gridCode.ts. Rules: server/grids/levelTopology.ts.
// ---------------------------------------------------------------------------------------------

/**
 * 微网格 (level 'micro': tiles its base grid `parent_grid_code`, 17-digit code) and 专属网格
 * (level 'exclusive': one school, hospital, park, business building or market of kind `kind`,
 * 16-digit code; may lie across base grids, must not overlap another of its kind).
 */
export const subGrids = pgTable(
  'sub_grids',
  {
    id: serial('id').primaryKey(),
    code: varchar('code', { length: 17 }).notNull(),
    /** micro | exclusive */
    level: text('level').notNull(),
    /** 专属网格: 学校 | 医院 | 产业园区 | 商务楼宇 | 市场; null for micro grids. */
    kind: text('kind'),
    name: text('name').notNull(),
    /** The base grid a micro grid tiles; null for 专属网格. */
    parentGridCode: varchar('parent_grid_code', { length: 15 }),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    streetCode: varchar('street_code', { length: 9 }).notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    areaM2: doublePrecision('area_m2').generatedAlwaysAs(sql`ST_Area(geom::geography)`),
    households: integer('households').notNull().default(0),
    population: integer('population').notNull().default(0),
    /** The unit's responsible person or the micro grid's 微网格员 (personal data, like a grid's secretary). */
    keeper: text('keeper'),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    uniqueIndex('sub_grids_code_unique').on(t.code),
    index('sub_grids_parent_idx').on(t.parentGridCode),
    index('sub_grids_community_idx').on(t.communityCode),
    index('sub_grids_geom_gist').using('gist', t.geom),
    check('sub_grids_level_known', sql`${t.level} in ('micro', 'exclusive')`),
    check(
      'sub_grids_code_rule',
      sql`(${t.level} = 'micro' AND ${t.code} ~ '^[0-9]{17}$' AND left(${t.code}, 15) = ${t.parentGridCode} AND ${t.kind} IS NULL)
       OR (${t.level} = 'exclusive' AND ${t.code} ~ '^[0-9]{12}[1-5][0-9]{3}$' AND ${t.parentGridCode} IS NULL
           AND ${t.kind} = (ARRAY['学校','医院','产业园区','商务楼宇','市场'])[substr(${t.code}, 13, 1)::int])`,
    ),
    check('sub_grids_code_in_community', sql`left(${t.code}, 12) = ${t.communityCode}`),
  ],
);

/** Every change to a micro or 专属网格, written by a trigger like grid_versions (migration of this section). */
export const subGridVersions = pgTable(
  'sub_grid_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subGridId: integer('sub_grid_id').notNull(),
    code: varchar('code', { length: 17 }).notNull(),
    level: text('level').notNull(),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    beforeGeom: geometry('before_geom', 'MultiPolygon'),
    afterGeom: geometry('after_geom', 'MultiPolygon'),
    beforeAttrs: jsonb('before_attrs'),
    afterAttrs: jsonb('after_attrs'),
  },
  (t) => [uniqueIndex('sub_grid_versions_grid_version').on(t.subGridId, t.version), index('sub_grid_versions_code_idx').on(t.code)],
);

/** 多网融合: another department's grid network (综治, 城管, 公安 …), imported as it is. */
export const foreignNetworks = pgTable('foreign_networks', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  /** 综治 | 城管 | 公安 | 其他 */
  department: text('department').notNull(),
  sourceFile: text('source_file'),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  importedBy: text('imported_by').notNull(),
});

/** One grid of a foreign network: its own code and name, its other attributes kept as they came; no topology rules. */
export const foreignGrids = pgTable(
  'foreign_grids',
  {
    id: serial('id').primaryKey(),
    networkId: integer('network_id')
      .notNull()
      .references(() => foreignNetworks.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    geom: geometry('geom', 'MultiPolygon').notNull(),
    areaM2: doublePrecision('area_m2').generatedAlwaysAs(sql`ST_Area(geom::geography)`),
  },
  (t) => [index('foreign_grids_network_idx').on(t.networkId), index('foreign_grids_geom_gist').using('gist', t.geom)],
);

// ─── Siting analysis (issue 19): what-if scenarios ─────────────────────────────

/** A named what-if scenario of one user: candidate facilities that are not built (nothing here changes coverage). */
export const sitingScenarios = pgTable(
  'siting_scenarios',
  {
    id: serial('id').primaryKey(),
    owner: text('owner').notNull(),
    name: text('name').notNull(),
    /** [{ name, kind, position: [lon, lat] }, …] */
    candidates: jsonb('candidates').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('siting_scenarios_owner_name').on(t.owner, t.name)],
);
// ─── 网格通 field app (issue 15): idempotent writes, patrols, visits, worker contacts ───

/**
 * Idempotency-Key records (server/http/idempotency.ts): per user and key, the request's
 * fingerprint and the answer, written in the same transaction as the write itself, so a
 * retry after a lost answer replays it instead of writing twice. Kept ≥ 7 days.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: integer('user_id').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of method, path and body (multipart: of each field and file). */
    fingerprint: text('fingerprint').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    status: smallint('status').notNull(),
    contentType: text('content_type').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/** 巡查: a grid worker's patrol, started and stopped by the server's clock. */
export const patrols = pgTable(
  'patrols',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The worker's grids at the start (15-digit codes). */
    gridCodes: jsonb('grid_codes').$type<string[]>().notNull().default([]),
    /** Community of the first grid: the desktop layer and the figures are read by community. */
    communityCode: varchar('community_code', { length: 12 }).notNull(),
    streetCode: varchar('street_code', { length: 9 }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** active | ended */
    status: text('status').notNull().default('active'),
    note: text('note'),
  },
  (t) => [
    index('patrols_user_idx').on(t.userId, t.startedAt),
    index('patrols_community_idx').on(t.communityCode, t.startedAt),
    uniqueIndex('patrols_one_active_per_user').on(t.userId).where(sql`status = 'active'`),
    check('patrols_status_known', sql`${t.status} in ('active', 'ended')`),
  ],
);

/** GPS points of a patrol: `recordedAt` is the phone's clock (observation), `receivedAt` the server's. */
export const patrolPoints = pgTable(
  'patrol_points',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    patrolId: bigint('patrol_id', { mode: 'number' })
      .notNull()
      .references(() => patrols.id, { onDelete: 'cascade' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    accuracyM: doublePrecision('accuracy_m'),
  },
  (t) => [uniqueIndex('patrol_points_patrol_time').on(t.patrolId, t.recordedAt)],
);

/** 打卡: a check-in at a named place during a patrol. */
export const patrolCheckins = pgTable(
  'patrol_checkins',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    patrolId: bigint('patrol_id', { mode: 'number' })
      .notNull()
      .references(() => patrols.id, { onDelete: 'cascade' }),
    placeName: text('place_name').notNull(),
    note: text('note'),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('patrol_checkins_patrol_idx').on(t.patrolId)],
);

/** 走访: a visit to a household or building; `visitedAt` from the phone, `createdAt` the server's. */
export const visits = pgTable(
  'visits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    gridCode: varchar('grid_code', { length: 15 }).notNull(),
    communityCode: varchar('community_code', { length: 12 }).notNull(),
    /** Household or building as the worker writes it (e.g. 3栋2单元401). */
    target: text('target').notNull(),
    note: text('note'),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    visitedAt: timestamp('visited_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('visits_grid_idx').on(t.gridCode, t.visitedAt), index('visits_community_idx').on(t.communityCode, t.visitedAt)],
);

/** Work phone of an account (grid workers' contacts on 我的网格): personal data, served masked. */
export const userPhones = pgTable('user_phones', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  phone: text('phone').notNull(),
});
// ───────────────────────────────────────────────────────────────────────────────────────
// Party service (issue 16 points 4, 5, 7 — branch party-service): 双报到 units and members,
// the communities' 三清单, 为民红绳/微心愿 with their claims, and the 五好 star ratings.
// ───────────────────────────────────────────────────────────────────────────────────────

/** 双报到: a 机关企事业单位 registered (报到) at a community; `memberCount` = its in-service members who should report. */
export const partyUnits = pgTable(
  'party_units',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** 机关 / 企业 / 事业单位 / 社会组织 (kernel/partyService.ts UNIT_KINDS). */
    kind: text('kind').notNull(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code, { onDelete: 'cascade' }),
    /** Personal data (PERSONAL_DATA_POLICY): withheld or masked per reader. */
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    memberCount: integer('member_count').notNull().default(0),
    reportedOn: date('reported_on').notNull(),
    /** Where the unit sits (for nearest-first matching); null: the community's label point. */
    location: geometry('location', 'Point'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('party_units_community_idx').on(t.communityCode), check('party_units_member_count', sql`${t.memberCount} >= 0`)],
);

/** 在职党员 of a reporting unit, registered (报到) at their residential community on `reportedOn` (null: not yet). */
export const partyMembers = pgTable(
  'party_members',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => partyUnits.id, { onDelete: 'cascade' }),
    phone: text('phone'),
    communityCode: varchar('community_code', { length: 12 }).references(() => regions.code, { onDelete: 'cascade' }),
    reportedOn: date('reported_on'),
  },
  (t) => [index('party_members_unit_idx').on(t.unitId), index('party_members_community_idx').on(t.communityCode), check('party_members_report_place', sql`(${t.reportedOn} IS NULL) = (${t.communityCode} IS NULL)`)],
);

/** 三清单 of a community: needs (需求清单) and resources (资源清单, offered by a unit or a member). */
export const communityListItems = pgTable(
  'community_list_items',
  {
    id: serial('id').primaryKey(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code, { onDelete: 'cascade' }),
    /** need | resource */
    list: text('list').notNull(),
    title: text('title').notNull(),
    category: text('category').notNull(),
    description: text('description'),
    unitId: integer('unit_id').references(() => partyUnits.id, { onDelete: 'set null' }),
    memberId: integer('member_id').references(() => partyMembers.id, { onDelete: 'set null' }),
    /** open | matched | closed */
    status: text('status').notNull().default('open'),
    location: geometry('location', 'Point'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('community_list_items_community_idx').on(t.communityCode, t.list),
    check('community_list_items_list', sql`${t.list} in ('need', 'resource')`),
    check('community_list_items_status', sql`${t.status} in ('open', 'matched', 'closed')`),
  ],
);

/** 共建项目清单: a project of a community linking a need and a resource; 计划 → 进行中 → 完成. */
export const coBuildProjects = pgTable(
  'co_build_projects',
  {
    id: serial('id').primaryKey(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    needId: integer('need_id').references(() => communityListItems.id, { onDelete: 'set null' }),
    resourceId: integer('resource_id').references(() => communityListItems.id, { onDelete: 'set null' }),
    unitId: integer('unit_id').references(() => partyUnits.id, { onDelete: 'set null' }),
    /** planned | ongoing | done */
    status: text('status').notNull().default('planned'),
    finishedOn: date('finished_on'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('co_build_projects_community_idx').on(t.communityCode), check('co_build_projects_status', sql`${t.status} in ('planned', 'ongoing', 'done')`)],
);

/** 为民红绳 request or 微心愿 of a community; its states are kernel/wishFlow.ts, its history service_wish_events. */
export const serviceWishes = pgTable(
  'service_wishes',
  {
    id: serial('id').primaryKey(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code, { onDelete: 'cascade' }),
    /** red_rope (为民红绳 request) | wish (微心愿) */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    category: text('category').notNull(),
    location: geometry('location', 'Point'),
    /** The incident it was turned from (转为微心愿), if any. */
    incidentId: bigint('incident_id', { mode: 'number' }).references(() => incidents.id, { onDelete: 'set null' }),
    /** open | claimed | done | confirmed */
    status: text('status').notNull().default('open'),
    postedBy: text('posted_by').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
    /** The claimant: a reporting unit or an in-service member; the account that claimed for them. */
    claimantUnitId: integer('claimant_unit_id').references(() => partyUnits.id, { onDelete: 'set null' }),
    claimantMemberId: integer('claimant_member_id').references(() => partyMembers.id, { onDelete: 'set null' }),
    claimedByUserId: integer('claimed_by_user_id'),
    claimedBy: text('claimed_by'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    doneNote: text('done_note'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    confirmedBy: text('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('service_wishes_community_idx').on(t.communityCode, t.status),
    check('service_wishes_kind', sql`${t.kind} in ('red_rope', 'wish')`),
    check('service_wishes_status', sql`${t.status} in ('open', 'claimed', 'done', 'confirmed')`),
  ],
);

export const serviceWishEvents = pgTable(
  'service_wish_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    wishId: integer('wish_id')
      .notNull()
      .references(() => serviceWishes.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    actorUserId: integer('actor_user_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    note: text('note'),
  },
  (t) => [index('service_wish_events_wish_idx').on(t.wishId)],
);

/**
 * 星级评定 of one organisation for one year on the 五好 indicators: self-assessment →
 * street review → 公示 (publicUntil) → final (kernel/starRating.ts). Keyed by the
 * organisation's region code (community 12 / grid 15 digits) until party-orgs' table is merged.
 */
export const starRatings = pgTable(
  'star_ratings',
  {
    id: serial('id').primaryKey(),
    year: integer('year').notNull(),
    orgCode: varchar('org_code', { length: 15 }).notNull(),
    orgName: text('org_name').notNull(),
    /** self | review | public | final */
    status: text('status').notNull().default('self'),
    selfScores: jsonb('self_scores').$type<Record<string, number>>().notNull(),
    reviewScores: jsonb('review_scores').$type<Record<string, number> | null>(),
    stars: smallint('stars'),
    selfBy: text('self_by').notNull(),
    selfAt: timestamp('self_at', { withTimezone: true }).notNull().defaultNow(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    publicFrom: timestamp('public_from', { withTimezone: true }),
    publicUntil: timestamp('public_until', { withTimezone: true }),
    finalBy: text('final_by'),
    finalAt: timestamp('final_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('star_ratings_org_year').on(t.orgCode, t.year),
    index('star_ratings_year_idx').on(t.year, t.status),
    check('star_ratings_status', sql`${t.status} in ('self', 'review', 'public', 'final')`),
    check('star_ratings_stars', sql`${t.stars} IS NULL OR ${t.stars} between 1 and 5`),
  ],
);

/** 异议 raised during a rating's 公示; open ones block finalising until the reviewer decides. */
export const starObjections = pgTable(
  'star_objections',
  {
    id: serial('id').primaryKey(),
    ratingId: integer('rating_id')
      .notNull()
      .references(() => starRatings.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    raisedBy: text('raised_by').notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
    /** null (open) | upheld (back to review) | dismissed */
    decision: text('decision'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('star_objections_rating_idx').on(t.ratingId)],
);

// ───────────── Buildings (楼栋) and household bands — issue 17 points 2 and 3 (branch grid-buildings) ─────────────

/**
 * 楼栋: the units households live in. The grid a building belongs to is the base grid
 * containing its point, stored (grid_id) and kept current by every grid write in the same
 * transaction (server/buildings/assignment.ts), so per-grid sums and the editor's dry-run
 * impact read an index instead of a spatial join over all buildings.
 */
export const buildings = pgTable(
  'buildings',
  {
    id: serial('id').primaryKey(),
    /** 楼栋编码: unique within the dataset (e.g. the grid code + 3 digits, or the source system's code). */
    code: varchar('code', { length: 32 }).notNull(),
    name: text('name'),
    address: text('address'),
    floors: smallint('floors'),
    households: integer('households').notNull().default(0),
    population: integer('population').notNull().default(0),
    communityCode: varchar('community_code', { length: 12 }),
    geom: geometry('geom', 'Point').notNull(),
    footprint: geometry('footprint', 'MultiPolygon'),
    /** The base grid containing the point (null: outside every grid). */
    gridId: integer('grid_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    uniqueIndex('buildings_code_unique').on(t.code),
    index('buildings_grid_idx').on(t.gridId),
    index('buildings_community_idx').on(t.communityCode),
    index('buildings_geom_gist').using('gist', t.geom),
    check('buildings_counts', sql`${t.households} >= 0 and ${t.population} >= 0`),
  ],
);

/** 网格户数目标区间 per community (default 300–500 from kernel/householdBand.ts when absent). */
export const householdBands = pgTable(
  'household_bands',
  {
    communityCode: varchar('community_code', { length: 12 })
      .primaryKey()
      .references(() => regions.code, { onDelete: 'cascade' }),
    minHouseholds: integer('min_households').notNull(),
    maxHouseholds: integer('max_households').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [check('household_bands_order', sql`${t.minHouseholds} >= 0 and ${t.maxHouseholds} >= ${t.minHouseholds}`)],
);

/**
 * 均衡 batches: each saved 均衡 (rebalance) as a whole, so it can be undone as a whole. `grids`
 * holds every grid the save changed with the version it wrote (its before geometry is that
 * version's before_geom in grid_versions); `moves` the buildings with the grids they left and
 * entered. Actor and time come from the session and the server clock; an undo marks the row.
 */
export const rebalanceBatches = pgTable(
  'rebalance_batches',
  {
    id: serial('id').primaryKey(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code, { onDelete: 'cascade' }),
    actor: text('actor').notNull(),
    username: text('username'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** [{ id, code, version }]: the grids this batch changed and the version it wrote. */
    grids: jsonb('grids').notNull(),
    /** [{ id, code, households, fromId, from, toId, to }]: the buildings it moved. */
    moves: jsonb('moves').notNull(),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: text('undone_by'),
  },
  (t) => [index('rebalance_batches_community_idx').on(t.communityCode, t.id)],
);

// ---- 月报 briefings (issue 19, branch figures) ----
/**
 * 月报: one monthly briefing PDF per region (street or district) and month. The unique
 * (region_code, month) is the lock: whoever inserts the row generates it, so two server
 * processes never double-generate (server/briefings/briefingJobs.ts).
 */
export const briefings = pgTable(
  'briefings',
  {
    id: serial('id').primaryKey(),
    regionCode: varchar('region_code', { length: 12 }).notNull(),
    regionName: text('region_name').notNull(),
    /** YYYY-MM, China time. */
    month: varchar('month', { length: 7 }).notNull(),
    /** generating | ready | failed */
    status: text('status').notNull().default('generating'),
    pdf: bytea('pdf'),
    bytes: integer('bytes'),
    error: text('error'),
    /** 'schedule' or the username who asked for it. */
    requestedBy: text('requested_by').notNull(),
    /** The figures printed (KPIs, coverage per child region): next month's report compares with them. */
    summary: jsonb('summary'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('briefings_region_month_unique').on(t.regionCode, t.month),
    check('briefings_status_known', sql`${t.status} in ('generating', 'ready', 'failed')`),
    check('briefings_month_format', sql`${t.month} ~ '^[0-9]{4}-[0-9]{2}$'`),
  ],
);
