/**
 * What the server answered to a write, in the editor's terms: saved (with the
 * neighbours it adjusted), rejected (422 violations), conflict (409), or another error.
 * The result and the problems' extension members are the server's own types.
 */
import type { InferResponseType } from 'hono/client';
import type { VersionConflict } from '../../../../server/grids/editing';
import { ApiError, type api } from '../../api/client';
import { errorMessage } from '../../api/queries';
import type { Violation } from './violations';

/** What every grid write answers (PUT /api/grids/:code and the other edit routes share it). */
export type EditResult = InferResponseType<(typeof api.api.grids)[':code']['$put'], 200>;
export type EditChange = EditResult['changes'][number];

/** The grid as the server has it now, sent with a 409. */
export type ConflictCurrent = VersionConflict['current'];

export type EditFailure = { kind: 'rejected'; message: string; violations: Violation[] } | { kind: 'conflict'; message: string; current: ConflictCurrent | null } | { kind: 'error'; status: number; message: string };

export const ACTION_NAMES: Record<string, string> = {
  create: '新建',
  update: '修改',
  split: '分割',
  merge: '合并',
  revert: '回退',
  recode: '重新编号',
  import: '导入',
  delete: '删除',
  park: '暂存',
};

export const actionName = (action: string) => ACTION_NAMES[action] ?? action;

/** Turns a problem response (status + parsed JSON body) into a failure the editor can show. */
export function classifyFailure(status: number, body: unknown): EditFailure {
  const b = (body && typeof body === 'object' ? body : {}) as { title?: string; detail?: string; violations?: Violation[]; current?: ConflictCurrent; errors?: { field: string; reason: string }[] };
  const text = [b.title, b.detail].filter(Boolean).join('：') || `请求失败（${status}）`;
  if (status === 422 && Array.isArray(b.violations)) return { kind: 'rejected', message: text, violations: b.violations };
  if (status === 409) {
    const current = b.current && b.current.version > 0 ? b.current : null;
    return { kind: 'conflict', message: text, current };
  }
  const fields = b.errors?.length ? `（${b.errors.map((e) => `${e.field}: ${e.reason}`).join('；')}）` : '';
  return { kind: 'error', status, message: text + fields };
}

/** Any thrown value from a write: a problem from the server, or the network. */
export function failureOf(error: unknown): EditFailure {
  if (error instanceof ApiError) return classifyFailure(error.problem.status, error.problem);
  return { kind: 'error', status: 0, message: errorMessage(error) };
}

/** Grids other than the edited ones that the save changed (neighbours that gave or took area). */
export function neighbourChanges(result: EditResult, edited: readonly string[]): EditChange[] {
  const own = new Set([...edited, ...result.created]);
  const seen = new Set<string>();
  return result.changes.filter((c) => {
    if (own.has(c.code) || seen.has(c.code)) return false;
    seen.add(c.code);
    return true;
  });
}

/** One-line Chinese summary of a successful (or dry-run) write. */
export function describeResult(result: EditResult, edited: readonly string[]): string {
  const parts: string[] = [];
  const mine = result.changes.filter((c) => edited.includes(c.code) && !result.deleted.includes(c.code));
  if (mine.length) parts.push(mine.map((c) => `网格 ${c.code} ${actionName(c.action)}${result.dryRun ? '' : `为版本 ${c.version}`}`).join('，'));
  const will = result.dryRun ? '将' : '';
  if (result.created.length) parts.push(`${will}新建网格 ${result.created.join('、')}`);
  if (result.deleted.length) parts.push(`${will}撤销网格 ${result.deleted.join('、')}`);
  const neighbours = neighbourChanges(result, edited).filter((c) => !result.deleted.includes(c.code));
  parts.push(neighbours.length ? `相邻网格${result.dryRun ? '将' : '已'}调整 ${neighbours.length} 个：${neighbours.map((c) => c.code).join('、')}` : '没有相邻网格需要调整');
  return `${result.dryRun ? '校验通过（未保存）' : '已保存'}：${parts.join('；')}`;
}
