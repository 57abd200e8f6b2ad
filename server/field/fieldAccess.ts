/**
 * Who reads the field records (patrol tracks, visits) of a community: where a person
 * walked is personal data, so the reader rule is the jurisdiction one — leaders,
 * analysts and admins everywhere; planners and dispatchers inside their street or
 * community; a grid worker only the records of their own grids (filtered); 处置人员
 * nowhere (403). Worker names follow PERSONAL_DATA_POLICY (mayReadPeople).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SessionUser } from '../../kernel/roles';
import { mayReadPeople } from '../auth/personalData';
import { ForbiddenError } from '../http/domainError';

export interface FieldScope {
  /** null: every grid of the community; otherwise only these grids. */
  grids: readonly string[] | null;
  /** Names of workers shown (else null, and personalDataWithheld). */
  names: boolean;
}

/** The reader's scope in `communityCode` (12 digits), or a 403. */
export function fieldScope(user: SessionUser, communityCode: string): FieldScope {
  const names = mayReadPeople(user, communityCode) || (user.role === 'grid_worker' && user.gridCodes.some((g) => g.startsWith(communityCode)));
  switch (user.role) {
    case 'leader':
    case 'analyst':
    case 'admin':
      return { grids: null, names: mayReadPeople(user, communityCode) };
    case 'planner':
    case 'dispatcher': {
      const j = user.jurisdictionCode;
      if (j && communityCode.startsWith(j)) return { grids: null, names };
      throw new ForbiddenError('只能查看本辖区的巡查和走访记录', { errors: [{ field: 'community', reason: '不在您的辖区内' }] });
    }
    case 'grid_worker': {
      const mine = user.gridCodes.filter((g) => g.startsWith(communityCode));
      if (mine.length === 0) throw new ForbiddenError('只能查看本人所属网格的巡查和走访记录', { errors: [{ field: 'community', reason: '该社区没有您的网格' }] });
      return { grids: mine, names: true };
    }
    case 'dept_staff':
      throw new ForbiddenError('处置人员无权查看巡查和走访记录');
  }
}

const textArray = (codes: readonly string[]) =>
  sql`ARRAY[${sql.join(
    codes.map((g) => sql`${g}`),
    sql`, `,
  )}]::text[]`;

/** The scope's filter over a grid-code column (text) — TRUE for the whole community. */
export function gridFilter(scope: FieldScope, gridCode: SQL): SQL {
  if (scope.grids === null) return sql`TRUE`;
  return scope.grids.length === 0 ? sql`FALSE` : sql`${gridCode} = ANY(${textArray(scope.grids)})`;
}

/** The same over a jsonb array of grid codes (patrols.grid_codes): any of them in scope. */
export function gridsFilter(scope: FieldScope, gridCodes: SQL): SQL {
  if (scope.grids === null) return sql`TRUE`;
  return scope.grids.length === 0 ? sql`FALSE` : sql`${gridCodes} ?| ${textArray(scope.grids)}`;
}
