/**
 * The sample's party-service data (issue 16 points 4, 5, 7), derived in SQL from the
 * communities just loaded, so it is fast and the same every time (values from hashes
 * of ids): 3–6 reporting units per community with 6–30 in-service members each (玉林's
 * 2,108 units / 4.7万 members for 241 communities, scaled to the sample), about 85 % of
 * them reported at a community; 三清单 items and projects in every status; 为民红绳 and
 * 微心愿 in all four states; 五好 star ratings of every 社区党总支 for last year (final)
 * and this year (a mix of 自评, 审核, 公示 — some with an objection — and final).
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { SERVICE_CATEGORIES } from '../kernel/partyService';

const arr = (values: readonly string[]) => sql.raw(`ARRAY[${values.map((v) => `'${v}'`).join(',')}]`);
const UNIT_NAMES = [
  '市人民医院',
  '区税务局',
  '玉林供电局',
  '市第一中学',
  '区住建局',
  '中国移动玉林分公司',
  '玉柴集团',
  '市水务集团',
  '区法院',
  '农商银行',
  '市图书馆',
  '区人社局',
  '邮政分公司',
  '区卫健局',
  '社工服务中心',
];
const UNIT_KINDS = ['事业单位', '机关', '企业', '事业单位', '机关', '企业', '企业', '企业', '机关', '企业', '事业单位', '机关', '企业', '机关', '社会组织'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '韦', '覃', '莫', '梁'];
const GIVEN = ['建国', '丽华', '志明', '海英', '伟东', '秀兰', '小军', '春燕', '德胜', '玉梅', '俊峰', '桂兰'];
const NEEDS = ['独居老人日间照料', '四点半课堂辅导', '义诊与健康讲座', '邻里纠纷法律咨询', '背街小巷环境整治', '广场舞场地与音响', '失业人员技能培训', '困难家庭冬季物资', '老旧楼道灯维修', '惠民政策宣讲'];
const RESOURCES = ['志愿陪护队', '青年教师志愿者', '医护志愿服务队', '法律顾问团', '义务清扫队', '文艺骨干', '就业指导讲师', '爱心物资', '水电维修志愿队', '政策宣讲员'];
const WISHES = [
  '帮独居老人买药送药',
  '给留守儿童辅导作业',
  '陪行动不便老人复诊',
  '为低保户咨询继承问题',
  '清理楼道堆放杂物',
  '帮老年合唱队借音响',
  '为待业青年推荐岗位',
  '给困难家庭送棉被',
  '修理老人家中漏水龙头',
  '讲解医保新政策',
];

const pick = (list: readonly string[], seed: string) => sql`(${arr(list)})[1 + ((${sql.raw(seed)}) % ${list.length})]`;

export async function loadServiceSample(tx: Executor): Promise<void> {
  // Most of these go with TRUNCATE regions … CASCADE already; star ratings refer to no region row.
  await tx.execute(sql`TRUNCATE party_units, party_members, community_list_items, co_build_projects, service_wishes, service_wish_events, star_ratings, star_objections RESTART IDENTITY CASCADE`);
  // Units: 3–6 per community, registered in 2024–2026.
  await tx.execute(sql`
    INSERT INTO party_units (name, kind, community_code, contact_name, contact_phone, member_count, reported_on, location)
    SELECT ${pick(UNIT_NAMES, 'c.n * 5 + k')} || CASE WHEN k > 0 THEN '第' || (k + 1)::text || '党支部' ELSE '机关党委' END,
           ${pick(UNIT_KINDS, 'c.n * 5 + k')}, c.code,
           ${pick(SURNAMES, 'c.n * 3 + k')} || ${pick(GIVEN, 'c.n + k * 7')},
           '13' || (5 + (c.n + k) % 5)::text || lpad(((c.n::bigint * 7919 + k * 104729) % 100000000)::text, 8, '0'),
           6 + (c.n * 13 + k * 7) % 25, DATE '2024-03-01' + ((c.n * 37 + k * 91) % 900),
           ST_Translate(c.label_point, ((k % 3) - 1) * 0.004, ((k / 3) - 0.5) * 0.004)
    FROM (SELECT code, label_point, row_number() OVER (ORDER BY code)::int AS n FROM regions WHERE level = 'community') c,
         generate_series(0, 5) k
    WHERE k < 3 + c.n % 4`);
  // Members: one row per member; about 85 % reported, mostly at the unit's community, some at a neighbour.
  await tx.execute(sql`
    INSERT INTO party_members (name, unit_id, phone, community_code, reported_on)
    SELECT ${pick(SURNAMES, 'u.id * 3 + m')} || ${pick(GIVEN, 'u.id + m * 5')}, u.id,
           '139' || lpad(((u.id::bigint * 7907 + m * 15485863) % 100000000)::text, 8, '0'),
           CASE WHEN (u.id + m * 7) % 20 < 17 THEN CASE WHEN m % 9 = 4 THEN coalesce(nb.code, u.community_code) ELSE u.community_code END END,
           CASE WHEN (u.id + m * 7) % 20 < 17 THEN u.reported_on + (m * 11 % 120) END
    FROM party_units u
    LEFT JOIN LATERAL (SELECT r.code FROM regions r WHERE r.level = 'community' AND r.parent_code = left(u.community_code, 9) AND r.code <> u.community_code ORDER BY r.code LIMIT 1) nb ON TRUE,
    generate_series(1, u.member_count) m`);
  // 需求清单 (3 per community), 资源清单 (one per unit, offered by it), projects in every status.
  await tx.execute(sql`
    INSERT INTO community_list_items (community_code, list, title, category, status, location, created_by)
    SELECT c.code, 'need', ${pick(NEEDS, 'c.n + k * 3')}, ${pick(SERVICE_CATEGORIES, 'c.n + k * 3')}, 'open', c.label_point, 'sample-generator'
    FROM (SELECT code, label_point, row_number() OVER (ORDER BY code)::int AS n FROM regions WHERE level = 'community') c, generate_series(0, 2) k`);
  await tx.execute(sql`
    INSERT INTO community_list_items (community_code, list, title, category, unit_id, status, location, created_by)
    SELECT u.community_code, 'resource', u.name || ${pick(RESOURCES, 'u.id')}, ${pick(SERVICE_CATEGORIES, 'u.id')}, u.id, 'open', u.location, 'sample-generator'
    FROM party_units u`);
  await tx.execute(sql`
    INSERT INTO co_build_projects (community_code, title, need_id, resource_id, unit_id, status, finished_on, created_by)
    SELECT n.community_code, n.title || '共建项目', n.id, r.id, r.unit_id, (ARRAY['planned', 'ongoing', 'done'])[1 + n.id % 3],
           CASE WHEN n.id % 3 = 2 THEN DATE '2026-01-10' + (n.id * 17 % 300) END, 'sample-generator'
    FROM community_list_items n
    JOIN LATERAL (SELECT id, unit_id FROM community_list_items r WHERE r.list = 'resource' AND r.community_code = n.community_code ORDER BY r.id LIMIT 1) r ON TRUE
    WHERE n.list = 'need' AND n.id % 2 = 0`);
  await tx.execute(sql`UPDATE community_list_items SET status = 'matched' WHERE id IN (SELECT need_id FROM co_build_projects UNION SELECT resource_id FROM co_build_projects)`);
  // Wishes: 4–8 per community, the four states in turn; claimants are the community's units or members.
  await tx.execute(sql`
    INSERT INTO service_wishes (community_code, kind, title, category, location, status, posted_by, posted_at,
                                claimant_unit_id, claimant_member_id, claimed_by, claimed_at, done_note, done_at, confirmed_by, confirmed_at)
    SELECT c.code, CASE WHEN k % 2 = 0 THEN 'wish' ELSE 'red_rope' END, ${pick(WISHES, 'c.n * 3 + k')}, ${pick(SERVICE_CATEGORIES, 'c.n * 3 + k')}, c.label_point,
           s.status, 'sample-generator', p.at,
           CASE WHEN s.status <> 'open' AND k % 3 <> 1 THEN u.id END,
           CASE WHEN s.status <> 'open' AND k % 3 = 1 THEN m.id END,
           CASE WHEN s.status <> 'open' THEN '示例认领人' END, CASE WHEN s.status <> 'open' THEN p.at + interval '1 day' END,
           CASE WHEN s.status IN ('done', 'confirmed') THEN '已完成，居民满意' END, CASE WHEN s.status IN ('done', 'confirmed') THEN p.at + interval '4 days' END,
           CASE WHEN s.status = 'confirmed' THEN 'sample-generator' END, CASE WHEN s.status = 'confirmed' THEN p.at + interval '5 days' END
    FROM (SELECT code, label_point, row_number() OVER (ORDER BY code)::int AS n FROM regions WHERE level = 'community') c
    CROSS JOIN generate_series(0, 7) k
    CROSS JOIN LATERAL (SELECT (ARRAY['open', 'claimed', 'done', 'confirmed', 'confirmed', 'open', 'claimed', 'confirmed'])[1 + (k + c.n) % 8] AS status) s
    CROSS JOIN LATERAL (SELECT timestamptz '2026-11-20 09:00+08' - ((c.n * 7 + k * 11) % 60) * interval '1 day' AS at) p
    LEFT JOIN LATERAL (SELECT id FROM party_units u WHERE u.community_code = c.code ORDER BY id OFFSET k % 3 LIMIT 1) u ON TRUE
    LEFT JOIN LATERAL (SELECT id FROM party_members m WHERE m.community_code = c.code ORDER BY id OFFSET k LIMIT 1) m ON TRUE
    WHERE k < 4 + c.n % 5`);
  await tx.execute(sql`
    INSERT INTO service_wish_events (wish_id, action, from_status, to_status, actor, at, note)
    SELECT w.id, e.action, e.from_status, e.to_status, e.actor, e.at, e.note FROM service_wishes w
    CROSS JOIN LATERAL (VALUES
      (0, 'post', NULL, 'open', w.posted_by, w.posted_at, NULL),
      (1, 'claim', 'open', 'claimed', w.claimed_by, w.claimed_at, NULL),
      (2, 'complete', 'claimed', 'done', w.claimed_by, w.done_at, w.done_note),
      (3, 'confirm', 'done', 'confirmed', w.confirmed_by, w.confirmed_at, NULL)) AS e(step, action, from_status, to_status, actor, at, note)
    WHERE e.step <= array_position(ARRAY['open', 'claimed', 'done', 'confirmed'], w.status) - 1`);
  // Star ratings of every 社区党总支: 2025 final, 2026 in every stage.
  await tx.execute(sql`
    INSERT INTO star_ratings (year, org_code, org_name, status, self_scores, review_scores, stars, self_by, self_at, reviewed_by, reviewed_at, public_from, public_until, final_by, final_at)
    SELECT y.year, c.code, coalesce(o.name, c.name || '党组织'), st.status, sc.self, CASE WHEN st.status <> 'self' THEN sc.review END,
           CASE WHEN st.status <> 'self' THEN CASE WHEN sc.total >= 90 THEN 5 WHEN sc.total >= 80 THEN 4 WHEN sc.total >= 70 THEN 3 WHEN sc.total >= 60 THEN 2 ELSE 1 END END,
           'sample-generator', make_timestamptz(y.year, 11, 1, 9, 0, 0, 'Asia/Shanghai'),
           CASE WHEN st.status <> 'self' THEN 'sample-generator' END, CASE WHEN st.status <> 'self' THEN make_timestamptz(y.year, 11, 10, 9, 0, 0, 'Asia/Shanghai') END,
           CASE WHEN st.status IN ('public', 'final') THEN make_timestamptz(y.year, 11, 15, 9, 0, 0, 'Asia/Shanghai') END,
           CASE WHEN st.status = 'final' THEN make_timestamptz(y.year, 11, 22, 9, 0, 0, 'Asia/Shanghai') WHEN st.status = 'public' THEN now() + interval '5 days' END,
           CASE WHEN st.status = 'final' THEN 'sample-generator' END, CASE WHEN st.status = 'final' THEN make_timestamptz(y.year, 11, 25, 9, 0, 0, 'Asia/Shanghai') END
    FROM (SELECT code, name, row_number() OVER (ORDER BY code)::int AS n FROM regions WHERE level = 'community') c
    CROSS JOIN (VALUES (2025), (2026)) y(year)
    LEFT JOIN party_orgs o ON o.code = c.code || '-DZZ'
    CROSS JOIN LATERAL (SELECT CASE WHEN y.year = 2025 THEN 'final' ELSE (ARRAY['final', 'final', 'public', 'review', 'self', 'final'])[1 + c.n % 6] END AS status) st
    CROSS JOIN LATERAL (
      SELECT jsonb_build_object('leadership', l, 'members', m, 'mechanism', w, 'performance', p, 'masses', q) AS self,
             jsonb_build_object('leadership', l - 1, 'members', m, 'mechanism', w - 1, 'performance', p, 'masses', q) AS review,
             l + m + w + p + q - 2 AS total
      FROM (SELECT 11 + (c.n * 7 + y.year) % 10 AS l, 12 + (c.n * 3 + y.year * 2) % 9 AS m, 11 + (c.n * 5 + y.year) % 10 AS w,
                   10 + (c.n * 11 + y.year) % 11 AS p, 12 + (c.n * 13 + y.year * 3) % 9 AS q) s) sc`);
  await tx.execute(sql`
    INSERT INTO star_objections (rating_id, text, raised_by, raised_at)
    SELECT id, '群众反映部分服务项目未落实，请核实', 'sample-generator', public_from + interval '2 days' FROM star_ratings WHERE status = 'public' AND id % 2 = 0`);
}
