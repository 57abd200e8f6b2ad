/**
 * The grid attributes a planner may send (edit, create), validated with Chinese
 * messages. One validator per writable key of db/gridRecord.ts: a key added
 * there and not here fails tsc, and so does a validator for a key the editor
 * may not write.
 */
import { z } from 'zod';
import { PARTY_ORG_TYPES, type GridAttributeKey, type GridAttributes } from '../../db/gridRecord';
import { safeName } from '../http/params';

const count = z.number().int('应为整数').min(0, '不能为负数').max(10_000_000, '数值过大');

const validators = {
  name: safeName('名称'),
  households: count,
  population: count,
  partyOrgName: safeName('党组织名称').nullable(),
  partyOrgType: z.enum(PARTY_ORG_TYPES, { message: `党组织类型应为 ${PARTY_ORG_TYPES.slice(0, -1).join('、')} 或 ${PARTY_ORG_TYPES.at(-1)}` }).nullable(),
  partySecretary: safeName('书记姓名', 50).nullable(),
  partyMembers: count,
  dualReportMembers: count,
  gridWorkers: z.array(safeName('网格员姓名', 50)).max(50, '网格员最多 50 人'),
  starRating: z.number().int('星级应为整数').min(0, '星级应在 0–5 之间').max(5, '星级应在 0–5 之间'),
} satisfies { [K in GridAttributeKey]-?: z.ZodType<GridAttributes[K] & {}> | z.ZodType<(GridAttributes[K] & {}) | null> };

/** Any subset of the writable attributes; unknown keys are refused. */
export const gridAttributesInput = z.object(validators).partial().strict();
