/**
 * The field app's sample: patrols with GPS tracks and check-ins, and household visits,
 * for the demo grid workers (wangge1, wangge2) and one generated worker per other grid
 * of their community (五里桥社区), over the last 7 days (China time) — one of the
 * generated workers is on patrol right now, so the big screen's 正在巡查 shows one; the
 * demo accounts never are, so they can start their own. Written in SQL from the grids'
 * geometry (a loop round each grid's interior point), so it takes well under a second.
 * Runs once the accounts exist (after ensureSampleUsers) and only into empty tables.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db/client';
import { DESK_GRIDS } from './sampleAccounts';

const COMMUNITY = DESK_GRIDS.g1.slice(0, 12);
const DAYS = 7;
const PLACES = ['小区东门', '农贸市场', '小学门口', '社区广场', '沿街商铺', '老旧楼栋', '消防通道', '垃圾分类点'];
const NOTES = ['正常', '发现占道经营，已劝离', '楼道堆放杂物，已提醒清理', '路灯不亮，已上报', '消防通道畅通'];
const VISIT_NOTES = ['独居老人，身体尚好', '了解就业需求', '宣传垃圾分类', '登记出租屋信息', '反映楼道照明问题'];

const textArray = (items: readonly string[]) =>
  sql`ARRAY[${sql.join(
    items.map((s) => sql`${s}`),
    sql`, `,
  )}]::text[]`;

export async function loadFieldSample(db: DbHandle, now = new Date()): Promise<void> {
  const [present] = await db.rows(sql`SELECT 1 FROM patrols LIMIT 1`);
  const [grid] = await db.rows(sql`SELECT 1 FROM grids WHERE code = ${DESK_GRIDS.g1}`);
  if (present || !grid) return;
  const at = now.toISOString();
  await db.db.transaction(async (tx) => {
    // One generated worker (no password: nobody signs in as them) per grid of the community without a demo worker.
    await tx.execute(sql`
      INSERT INTO users (username, display_name, role)
      SELECT 'sample-gw-' || g.code, coalesce(g.grid_workers ->> 0, '网格员') || '（示例）', 'grid_worker' FROM grids g
      WHERE g.community_code = ${COMMUNITY} AND NOT EXISTS (SELECT 1 FROM user_grids ug JOIN users u ON u.id = ug.user_id WHERE ug.grid_id = g.id AND u.role = 'grid_worker')
      ON CONFLICT ((lower(username))) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO user_grids (user_id, grid_id) SELECT u.id, g.id FROM users u JOIN grids g ON u.username = 'sample-gw-' || g.code ON CONFLICT DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO user_phones (user_id, phone)
      SELECT DISTINCT u.id, '1397750' || lpad((u.id % 10000)::text, 4, '0') FROM users u JOIN user_grids ug ON ug.user_id = u.id JOIN grids g ON g.id = ug.grid_id
      WHERE u.role = 'grid_worker' AND g.community_code = ${COMMUNITY} ON CONFLICT DO NOTHING`);
    // Patrols: most days per worker, 08:30–11:30 China time start, 40–120 minutes; the first generated worker is out now.
    await tx.execute(sql`
      WITH workers AS (
        SELECT u.id, u.username, array_agg(g.code ORDER BY g.code) AS codes, min(g.code) AS first_code, min(g.street_code) AS street,
          row_number() OVER (ORDER BY u.username LIKE 'sample-gw-%' DESC, u.username) AS n
        FROM users u JOIN user_grids ug ON ug.user_id = u.id JOIN grids g ON g.id = ug.grid_id
        WHERE u.role = 'grid_worker' AND g.community_code = ${COMMUNITY} GROUP BY u.id, u.username),
      days AS (SELECT d, date_trunc('day', (${at}::timestamptz AT TIME ZONE 'Asia/Shanghai')) - d * interval '1 day' AS local_day FROM generate_series(0, ${DAYS - 1}) d),
      plan AS (
        SELECT w.id, w.codes, w.street, w.n, days.d,
          (days.local_day + interval '8 hours 30 minutes' + ((w.id * 37 + days.d * 13) % 180) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai' AS started_at,
          (40 + (w.id * 7 + days.d * 11) % 80) * interval '1 minute' AS length
        FROM workers w CROSS JOIN days WHERE (w.id + days.d) % 4 <> 0)
      INSERT INTO patrols (user_id, grid_codes, community_code, street_code, started_at, ended_at, status, note)
      SELECT id, to_jsonb(codes), ${COMMUNITY}, street, started_at, started_at + length, 'ended', '示例巡查' FROM plan
      WHERE started_at + length < ${at}::timestamptz
      UNION ALL
      SELECT w.id, to_jsonb(w.codes), ${COMMUNITY}, w.street, ${at}::timestamptz - interval '25 minutes', NULL, 'active', '示例巡查（进行中）'
      FROM workers w WHERE w.n = 1 AND w.username LIKE 'sample-gw-%'`);
    // Points every 30 s on a loop round the first grid's interior point (two laps, a wobbly ellipse inside the grid's size).
    await tx.execute(sql`
      WITH p AS (
        SELECT p.id, p.started_at, coalesce(p.ended_at, ${at}::timestamptz) AS ended_at, ST_PointOnSurface(g.geom) AS c, sqrt(g.area_m2) * 0.22 AS r
        FROM patrols p JOIN grids g ON g.code = p.grid_codes ->> 0),
      k AS (SELECT p.*, generate_series(0, floor(extract(epoch FROM (p.ended_at - p.started_at)) / 30)::int) AS k FROM p),
      pts AS (SELECT k.*, 4 * pi() * k.k / greatest(1, floor(extract(epoch FROM (k.ended_at - k.started_at)) / 30)) + k.id AS t FROM k)
      INSERT INTO patrol_points (patrol_id, recorded_at, received_at, lon, lat, accuracy_m)
      SELECT id, started_at + k * interval '30 seconds', started_at + k * interval '30 seconds' + interval '2 seconds',
        ST_X(c) + r * cos(t) * (1 + 0.15 * sin(3 * t)) / (111320 * cos(radians(ST_Y(c)))),
        ST_Y(c) + r * sin(t) * (1 + 0.15 * cos(2 * t)) / 110800,
        5 + (k % 7) * 2
      FROM pts`);
    await tx.execute(sql`
      INSERT INTO patrol_checkins (patrol_id, place_name, note, lon, lat, recorded_at, created_at)
      SELECT p.id, (${textArray(PLACES)})[1 + (p.id * 3 + s) % ${PLACES.length}], (${textArray(NOTES)})[1 + (p.id + s) % ${NOTES.length}], pt.lon, pt.lat, pt.recorded_at, pt.received_at
      FROM patrols p CROSS JOIN generate_series(1, 2) s
      JOIN LATERAL (SELECT * FROM patrol_points q WHERE q.patrol_id = p.id ORDER BY q.recorded_at OFFSET (SELECT count(*) FROM patrol_points c WHERE c.patrol_id = p.id) * s / 3 LIMIT 1) pt ON true`);
    // Visits: three households per patrol, in the patrol's first grid, during the patrol.
    await tx.execute(sql`
      INSERT INTO visits (user_id, grid_code, community_code, target, note, lon, lat, visited_at, created_at)
      SELECT p.user_id, p.grid_codes ->> 0, p.community_code,
        (1 + (p.id * 5 + s) % 12) || '栋' || (1 + (p.id + s) % 3) || '单元' || (1 + (p.id * 7 + s) % 6) || '0' || (1 + s % 4),
        (${textArray(VISIT_NOTES)})[1 + (p.id * 2 + s) % ${VISIT_NOTES.length}], pt.lon, pt.lat, pt.recorded_at, pt.received_at
      FROM patrols p CROSS JOIN generate_series(1, 3) s
      JOIN LATERAL (SELECT * FROM patrol_points q WHERE q.patrol_id = p.id ORDER BY q.recorded_at OFFSET (SELECT count(*) FROM patrol_points c WHERE c.patrol_id = p.id) * s / 4 LIMIT 1) pt ON true`);
  });
}
