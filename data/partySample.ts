/**
 * The sample's 党建 data, derived in SQL from the grids just loaded (fast at any size, and
 * the same tree the migration builds for an existing database: party_orgs_from_grids):
 * 街道党工委 → 社区党总支 → 网格党支部, 楼宇党小组 on some grids, estates (小区) inside
 * the communities — most organised, some jointly, 红色物业 on some, service space
 * sometimes short of the norm — 3–4 roster people per grid and 1+1带N pairs.
 * Values come from hashes of ids, so the sample is the same every time.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '梁', '韦', '覃', '莫', '蒙'];
const GIVEN = ['建华', '海燕', '志强', '丽娟', '国平', '秀英', '晓东', '春梅', '永红', '文军', '桂芳', '振宇', '美玲', '德明', '小燕', '家豪', '雪梅', '立新', '玉兰', '俊杰'];
const PROPERTY = ['金港物业', '玉林碧桂园物业', '广西万科物业', '恒大金碧物业', '玉州城投物业', '华润万象物业', '业主自管'];

const arr = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;
/** A name picked from the two lists by an integer SQL expression. */
const nameSql = (seed: string) => sql.raw(`((${arr(SURNAMES)})[1 + ((${seed}) * 7 % ${SURNAMES.length})] || (${arr(GIVEN)})[1 + ((${seed}) * 13 % ${GIVEN.length})])`);
const phoneSql = (seed: string) => sql.raw(`('13' || (5 + (${seed}) % 5)::text || lpad((((${seed})::bigint * 7919 + 104729) % 100000000)::text, 8, '0'))`);

export async function loadPartySample(tx: Executor): Promise<void> {
  await tx.execute(sql`SELECT party_orgs_from_grids('sample-generator')`);
  // 楼宇党小组 on every seventh grid organised as a 党支部.
  await tx.execute(sql`
    INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, grid_id, building, secretary, secretary_phone, members, founded_on, updated_by)
    SELECT g.code || '-LY', g.name || (1 + g.id % 12)::text || '号楼党小组', '党小组', o.id, 'building', g.community_code, g.id,
           (1 + g.id % 12)::text || '号楼', ${nameSql('g.id + 3')}, ${phoneSql('g.id + 3')}, 3 + g.id % 6, DATE '2019-07-01' + (g.id % 1500), 'sample-generator'
    FROM grids g JOIN party_orgs o ON o.grid_id = g.id AND o.kind = '党支部'
    WHERE g.id % 7 = 0`);
  await tx.execute(sql`UPDATE party_orgs SET founded_on = DATE '2012-07-01' + (id * 37 % 4000) WHERE founded_on IS NULL`);
  await tx.execute(sql`
    UPDATE party_orgs SET secretary = ${nameSql('id + 11')}, secretary_phone = ${phoneSql('id + 11')}
    WHERE secretary IS NULL`);

  // Estates: one inside every third grid (the grid shrunk by ~25 m), so each lies in its community.
  await tx.execute(sql`
    INSERT INTO estates (code, name, community_code, geom, households, property_company, owners_committee, red_property, service_space_m2, updated_by)
    SELECT g.code || '-XQ', regexp_replace(g.name, '第[0-9]+网格$', '') || (ARRAY['阳光','幸福','和谐','锦绣','翠竹','金湾','康乐','民安'])[1 + g.id % 8] || '小区',
           g.community_code, e.geom, greatest(40, round(g.households * 0.8))::int,
           (${sql.raw(arr(PROPERTY))})[1 + g.id % ${PROPERTY.length}],
           g.id % 4 <> 0, g.id % 3 = 0,
           round(greatest(300, g.households * 0.8 * 0.3) * (0.55 + (g.id * 29 % 90) / 100.0)), 'sample-generator'
    FROM grids g
    CROSS JOIN LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Buffer(g.geom, -0.00025)), 3)) AS geom) e
    WHERE g.id % 3 = 1 AND NOT ST_IsEmpty(e.geom)`);
  // Their organisations: most have their own 党支部 (under the community's 党总支); every
  // eleventh shares a 联合党支部 with its community neighbour; every ninth has none.
  await tx.execute(sql`
    INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, joint, secretary, secretary_phone, members, founded_on, updated_by)
    SELECT e.community_code || '-LH' || e.id, e.name || '等小区联合党支部', '党支部', p.id, 'region', e.community_code, true,
           ${nameSql('e.id + 5')}, ${phoneSql('e.id + 5')}, 5 + e.id % 9, DATE '2018-03-01' + (e.id * 17 % 2000), 'sample-generator'
    FROM estates e JOIN party_orgs p ON p.code = e.community_code || '-DZZ'
    WHERE e.id % 11 = 0`);
  await tx.execute(sql`
    UPDATE estates e SET party_org_id = o.id
    FROM party_orgs o, estates n
    WHERE o.code = e.community_code || '-LH' || n.id AND n.community_code = e.community_code AND (e.id = n.id OR e.id = n.id + 1)`);
  await tx.execute(sql`
    WITH made AS (
      INSERT INTO party_orgs (code, name, kind, parent_id, attach_kind, region_code, estate_id, secretary, secretary_phone, members, founded_on, updated_by)
      SELECT e.code || '-ZB', e.name || '党支部', '党支部', p.id, 'estate', e.community_code, e.id,
             ${nameSql('e.id + 9')}, ${phoneSql('e.id + 9')}, 4 + e.id % 15, DATE '2016-05-01' + (e.id * 23 % 3000), 'sample-generator'
      FROM estates e JOIN party_orgs p ON p.code = e.community_code || '-DZZ'
      WHERE e.party_org_id IS NULL AND e.id % 9 <> 0
      RETURNING id, estate_id)
    UPDATE estates e SET party_org_id = made.id FROM made WHERE made.estate_id = e.id`);

  // Rosters: 网格长 (the 网格党支部 secretary), 专职网格员 and 兼职网格员 (the grid's workers), 网格指导员.
  await tx.execute(sql`
    INSERT INTO grid_roster (grid_id, role, name, phone, duties, party_member, public_fields, sort, updated_by)
    SELECT g.id, 'grid_leader', coalesce(g.party_secretary, ${nameSql('g.id')}), coalesce(g.party_secretary_phone, ${phoneSql('g.id')}),
           '统筹网格内党建、治理和服务工作，牵头处置网格内矛盾纠纷', true, '["name","phone","photo","duties"]'::jsonb, 0, 'sample-generator'
    FROM grids g
    UNION ALL
    SELECT g.id, CASE WHEN w.k = 1 THEN 'full_time' ELSE 'part_time' END, w.name, ${phoneSql('g.id * 3 + w.k::int')},
           CASE WHEN w.k = 1 THEN '日常巡查、信息采集、事件上报和跟踪办理' ELSE '协助巡查走访，收集社情民意' END,
           (g.id + w.k) % 3 = 0, CASE WHEN w.k = 1 THEN '["name","phone","duties"]'::jsonb ELSE '["name","duties"]'::jsonb END, w.k::int, 'sample-generator'
    FROM grids g CROSS JOIN LATERAL jsonb_array_elements_text(g.grid_workers) WITH ORDINALITY AS w(name, k)
    WHERE w.k <= 2
    UNION ALL
    SELECT g.id, 'instructor', ${nameSql('g.id + 17')}, ${phoneSql('g.id + 17')}, '街道下沉干部，指导网格工作、协调解决难题', true, '["name","duties"]'::jsonb, 9, 'sample-generator'
    FROM grids g`);
  // 1+1带N: the grid's 专职网格员 with a party member and 10–30 households.
  await tx.execute(sql`
    INSERT INTO roster_pairs (grid_id, member_name, member_phone, worker_id, households, updated_by)
    SELECT r.grid_id, ${nameSql('r.id + 23')}, ${phoneSql('r.id + 23')}, r.id, 10 + r.id % 21, 'sample-generator'
    FROM grid_roster r WHERE r.role = 'full_time'`);
}
