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

/** 党群服务中心 at five levels (市/县区/街道/社区/小区). */
export const serviceCentres = pgTable(
  'service_centres',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    level: centreLevel('level').notNull(),
    regionCode: varchar('region_code', { length: 12 }).references(() => regions.code),
    areaM2: doublePrecision('area_m2').notNull(),
    householdsServed: integer('households_served').notNull().default(0),
    openingHours: text('opening_hours'),
    address: text('address'),
    geom: geometry('geom', 'Point').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('service_centres_geom_gist').using('gist', t.geom), index('service_centres_region_idx').on(t.regionCode), check('service_centres_area_positive', sql`${t.areaM2} > 0`)],
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
