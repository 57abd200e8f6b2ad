/**
 * The body of POST /api/incidents/:id/actions, generated from the action table
 * (kernel/loopActions.ts) so that the fields each action asks for are the fields it
 * accepts: a strict object per action (zod discriminated union on `action`), required
 * fields required, anything else — and `actor`/`at`, which the server records — refused
 * by name with a 400.
 */
import { z } from 'zod';
import { ACTION_TABLE, type ActionField, LOOP_ACTIONS, type LoopAction } from '../../kernel/loopActions';
import { INCIDENT_STAGES } from '../../kernel/stages';
import { noteText } from '../http/text';

export const stageEnum = z.enum(INCIDENT_STAGES, { message: `阶段只能取 ${INCIDENT_STAGES.join('、')}` });
const id = (label: string) =>
  z
    .number({ error: `${label}应为编号（整数）` })
    .int(`${label}应为整数`)
    .min(1, `${label}应为正整数`)
    .max(2_000_000_000, `${label}过大`);

function fieldSchema(f: ActionField): z.ZodType {
  switch (f.kind) {
    case 'text':
      return noteText(f.label, 500, { required: f.required });
    case 'department':
    case 'user':
      return id(f.label);
    case 'departments':
      return z
        .array(id('单位编号'), { error: `${f.label}应为单位编号的数组` })
        .min(1, `请至少选择一个${f.label}`)
        .max(10, `${f.label}最多 10 个`);
    case 'hours':
      return z
        .number({ error: `${f.label}应为数字` })
        .int(`${f.label}应为整数小时`)
        .min(1, `${f.label}至少 1 小时`)
        .max(720, `${f.label}最多 720 小时`);
    case 'satisfaction':
      return z.number({ error: '满意度应为 1~5 的整数' }).int('满意度应为整数').min(1, '满意度应为 1~5').max(5, '满意度应为 1~5');
  }
}

const serverRecorded = {
  actor: z.never({ error: '操作人由服务器按登录账号记录，请勿提交' }).optional(),
  at: z.never({ error: '时间由服务器时钟记录，请勿提交' }).optional(),
};

const bodyOf = (action: LoopAction) =>
  z.strictObject(
    {
      action: z.literal(action),
      expectedStage: stageEnum,
      /** The last history row the client saw; see server/incidents/caseChanged.ts. */
      expectedTransitionId: id('expectedTransitionId').optional(),
      ...Object.fromEntries(ACTION_TABLE[action].fields.map((f) => [f.name, f.required ? fieldSchema(f) : fieldSchema(f).optional()])),
      ...serverRecorded,
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) },
  );

const bodies = LOOP_ACTIONS.map(bodyOf) as unknown as [ReturnType<typeof bodyOf>, ...ReturnType<typeof bodyOf>[]];

export const actionBody = z.discriminatedUnion('action', bodies, { error: `action 只能取 ${LOOP_ACTIONS.join('、')}` });

/** What a validated body carries (the discriminated union, flattened for the domain). */
export interface ActionBody {
  action: LoopAction;
  expectedStage: (typeof INCIDENT_STAGES)[number];
  note?: string;
  departmentId?: number;
  assigneeUserId?: number;
  departmentIds?: number[];
  hours?: number;
  satisfaction?: number;
  expectedTransitionId?: number;
}

export const bulkDispatchBody = z
  .strictObject(
    {
      ids: z.array(id('事件编号'), { error: 'ids 应为事件编号的数组' }).min(1, '请至少选择一个事件').max(200, '一次最多派遣 200 个事件'),
      departmentId: id('责任单位').optional(),
      assigneeUserId: id('网格员').optional(),
      /** The contract's name for assigneeUserId. */
      userId: id('网格员').optional(),
      expectedStage: stageEnum,
      note: noteText('派遣意见', 500).optional(),
      ...serverRecorded,
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `不允许的字段：${issue.keys.join('、')}` : undefined) },
  )
  .transform(({ userId, ...b }) => ({ ...b, assigneeUserId: b.assigneeUserId ?? userId }))
  .refine((b) => (b.departmentId === undefined) !== (b.assigneeUserId === undefined), { message: '请选择一个责任单位或一名网格员（二选一）', path: ['departmentId'] });
