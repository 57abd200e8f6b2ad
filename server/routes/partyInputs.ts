/** Validators shared by the party-service routes (双报到, 三清单, 微心愿, 星级). */
import { z } from 'zod';
import { SERVICE_CATEGORIES, UNIT_KINDS } from '../../kernel/partyService';
import { integerString } from '../http/params';

export const strict = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) });

export const regionCode = z.string().regex(/^(\d{6}|\d{9}|\d{12})$/, '区域编码应为 6 位（市、区县）、9 位（街道）或 12 位（社区）数字');
export const communityCode = z.string().regex(/^\d{12}$/, '社区编码应为 12 位数字');
export const category = z.enum(SERVICE_CATEGORIES, { message: `类别只能取 ${SERVICE_CATEGORIES.join('、')}` });
export const unitKind = z.enum(UNIT_KINDS, { message: `单位类型只能取 ${UNIT_KINDS.join('、')}` });
export const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{3,30}$/, '联系电话只能包含数字、+、-、括号和空格');
export const isoDate = (field: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${field}应为 YYYY-MM-DD 日期`);
export const positiveId = (field: string) =>
  z
    .number({ error: `${field}应为整数` })
    .int(`${field}应为整数`)
    .positive(`${field}应为正整数`);
export const idParam = z.object({ id: integerString('id', 1, 2_000_000_000) });
export const communityParam = z.object({ community: communityCode });
