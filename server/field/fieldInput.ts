/**
 * Bodies and queries of the field app's routes (patrols, visits, my grids): strict
 * objects — an unknown field, or `actor`/`userId`/`startedAt` that the server records
 * itself, is refused by name (400); coordinates are checked for range by
 * kernel/fieldPoints.ts in the domain (422 with points.N.lon …).
 */
import { z } from 'zod';
import { invalidInstant, isoInstantParam } from '../http/params';
import { noteText } from '../http/text';

const instant = (field: string) => z.string({ error: `${field} 应为 ISO 8601 时间` }).refine((v) => invalidInstant(v) === null, { message: `${field} 应为 ISO 8601 时间，如 2026-12-02T08:00:00.000Z` });
const coordinate = (label: string) => z.number({ error: `${label}应为数字` });

const strict = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(
    {
      ...shape,
      actor: z.never({ error: '操作人由服务器按登录账号记录，请勿提交' }).optional(),
      userId: z.never({ error: '网格员由服务器按登录账号记录，请勿提交' }).optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) },
  );

export const startPatrolBody = strict({
  note: noteText('备注', 200).optional(),
  startedAt: z.never({ error: '开始时间由服务器时钟记录，请勿提交' }).optional(),
});
export const stopPatrolBody = strict({ endedAt: z.never({ error: '结束时间由服务器时钟记录，请勿提交' }).optional() });

export const pointsBody = strict({
  points: z
    .array(z.strictObject({ recordedAt: instant('recordedAt'), lon: coordinate('经度'), lat: coordinate('纬度'), accuracyM: z.number({ error: '定位精度应为米数' }).optional() }), { error: 'points 应为轨迹点数组' })
    .min(1, '请至少提交一个轨迹点')
    .max(500, '一次最多提交 500 个轨迹点'),
});

export const checkinBody = strict({
  placeName: noteText('地点名称', 100, { required: true }),
  note: noteText('打卡备注', 500).optional(),
  lon: coordinate('经度').optional(),
  lat: coordinate('纬度').optional(),
  accuracyM: z.number({ error: '定位精度应为米数' }).optional(),
  recordedAt: instant('recordedAt'),
});

export const visitBody = strict({
  gridCode: z.string({ error: '网格编码应为 15 位数字' }).regex(/^\d{15}$/, '网格编码应为 15 位数字'),
  target: noteText('走访对象（户或楼栋）', 100, { required: true }),
  note: noteText('走访记录', 1000).optional(),
  lon: coordinate('经度').optional(),
  lat: coordinate('纬度').optional(),
  accuracyM: z.number({ error: '定位精度应为米数' }).optional(),
  visitedAt: instant('visitedAt'),
  createdAt: z.never({ error: '记录时间由服务器时钟记录，请勿提交' }).optional(),
});

const DAY_MS = 24 * 3600 * 1000;
/** from/to (ISO); default the last 7 days; at most 93 days. */
export const periodQuery = {
  from: isoInstantParam('from').optional(),
  to: isoInstantParam('to').optional(),
};
export function period(q: { from?: Date | undefined; to?: Date | undefined }, now = new Date()): { from: Date; to: Date } {
  const to = q.to ?? new Date(now.getTime() + 60_000);
  const from = q.from ?? new Date(to.getTime() - 7 * DAY_MS);
  return { from, to };
}
export const periodRefinement = <T extends { from?: Date | undefined; to?: Date | undefined }>(schema: z.ZodType<T>) =>
  schema
    .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from 应早于 to', path: ['to'] })
    .refine((q) => !q.from || !q.to || q.to.getTime() - q.from.getTime() <= 93 * DAY_MS, { message: '时间范围最长 93 天', path: ['to'] });

export const communityParam = z.string({ error: 'community 应为 12 位社区编码' }).regex(/^\d{12}$/, 'community 应为 12 位社区编码');
export const gridParam = z.string({ error: 'grid 应为 15 位网格编码' }).regex(/^\d{15}$/, 'grid 应为 15 位网格编码');
export const lonLatQuery = z.object({
  lon: z
    .string()
    .regex(/^-?\d{1,3}(\.\d+)?$/, 'lon 应为经度')
    .transform(Number),
  lat: z
    .string()
    .regex(/^-?\d{1,2}(\.\d+)?$/, 'lat 应为纬度')
    .transform(Number),
});
