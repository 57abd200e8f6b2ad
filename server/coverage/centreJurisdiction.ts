/**
 * Who may change which 党群服务中心: admins every centre, planners those whose region
 * lies in their jurisdiction (server/auth/policy.ts has already admitted the role
 * to writes; this is the per-record check). Refusal is a 403 naming the region.
 */
import { withinJurisdiction, type SessionUser } from '../../kernel/roles';
import { ForbiddenError } from '../http/domainError';

/** The signed-in user changing centres (null only when a test app runs without sessions). */
export type CentreEditor = SessionUser | null;

export const editorName = (editor: CentreEditor) => editor?.username ?? '(未登录)';

/** The editor may change centres of this region (what the list's `editable` says and the writes check). */
export const mayEditCentre = (editor: CentreEditor, regionCode: string): boolean => !!editor && withinJurisdiction(editor, regionCode);

/** Throws unless the editor may touch centres of every given region (absent codes are skipped). */
export function assertWithinJurisdiction(editor: CentreEditor, ...regionCodes: (string | null | undefined)[]): void {
  const outside = regionCodes.filter((code): code is string => !!code).find((code) => !mayEditCentre(editor, code));
  if (outside !== undefined) throw new ForbiddenError(`您的辖区（${editor?.jurisdictionCode ?? '无'}）不包括 ${outside} 的阵地`);
}
