/**
 * The action table checked exhaustively against the rules written out by hand: every
 * role (and relation to the case: in/out of jurisdiction, assignee or not, on the grid,
 * reporter, handler, summoned) × every stage × every request/suspension/回访 state ×
 * every action → allowed or refused, and refused with 403 (not yours) or 422 (not now).
 */
import { describe, expect, it } from 'vitest';
import { ACTION_TABLE, allowedActions, checkAction, LOOP_ACTIONS, type LoopAction, type LoopCase, type RequestKind } from './loopActions';
import { type SessionUser, UNBOUND } from './roles';
import { INCIDENT_STAGES, type IncidentStage } from './stages';

const GRID = '450902005001001';
const OTHER_GRID = '450902005001002';
const STREET = '450902005';
const D1 = 11;
const D2 = 12;

const u = (id: number, role: SessionUser['role'], binding: Partial<SessionUser> = {}): SessionUser => ({ id, username: `u${id}`, displayName: `u${id}`, role, ...UNBOUND, ...binding });
const USERS: SessionUser[] = [
  u(1, 'dispatcher', { jurisdictionCode: STREET }),
  u(2, 'dispatcher', { jurisdictionCode: '450902006' }),
  u(3, 'dispatcher', { jurisdictionCode: '450902005001' }),
  u(4, 'admin'),
  u(5, 'grid_worker', { gridCodes: [GRID] }),
  u(6, 'grid_worker', { gridCodes: [OTHER_GRID] }),
  u(7, 'grid_worker', { gridCodes: [GRID, OTHER_GRID] }),
  u(8, 'dept_staff', { departmentId: D1 }),
  u(9, 'dept_staff', { departmentId: D2 }),
  u(10, 'dept_staff'),
  u(11, 'leader'),
  u(12, 'analyst'),
  u(13, 'planner', { jurisdictionCode: STREET }),
];

const OPEN: IncidentStage[] = ['collect', 'register', 'dispatch', 'handle', 'feedback'];

/** The rules of the loop in plain words, independently of ACTION_TABLE: [who may, allowed now]. */
function expected(user: SessionUser, c: LoopCase, action: LoopAction): { who: boolean; now: boolean } {
  const place = c.gridCode ?? c.communityCode ?? c.streetCode ?? '';
  const dispatcher = user.role === 'admin' || (user.role === 'dispatcher' && !!user.jurisdictionCode && place.startsWith(user.jurisdictionCode));
  const assignee = (user.role === 'dept_staff' && user.departmentId !== null && c.assigneeUserId === null && c.departmentId === user.departmentId) || (user.role === 'grid_worker' && c.assigneeUserId === user.id);
  const reporter = c.reporterUserId === user.id;
  const verifier = ((user.role === 'grid_worker' && c.gridCode !== null && user.gridCodes.includes(c.gridCode)) || dispatcher) && c.handlerUserId !== user.id && !reporter;
  const summoned = user.role === 'dept_staff' && user.departmentId !== null && c.unreportedSummons.includes(user.departmentId);
  const at = (...stages: IncidentStage[]) => stages.includes(c.stage);
  const pending = (k: RequestKind | null) => c.pendingRequest === k;
  switch (action) {
    case 'register':
      return { who: dispatcher, now: at('collect') };
    case 'dispatch':
      return { who: dispatcher, now: at('collect', 'register') };
    case 'redispatch':
      return { who: dispatcher, now: at('dispatch', 'handle') && (pending(null) || pending('return')) };
    case 'sign':
      return { who: assignee && !reporter, now: at('dispatch') && pending(null) };
    case 'return':
      return { who: assignee, now: at('dispatch', 'handle') && pending(null) };
    case 'return_approved':
    case 'return_refused':
      return { who: dispatcher, now: at('dispatch', 'handle') && pending('return') };
    case 'urge':
      return { who: dispatcher, now: at('dispatch', 'handle', 'feedback') };
    case 'handle':
      return { who: assignee && !reporter, now: at('handle') && pending(null) && !c.suspended };
    case 'extension_request':
      return { who: assignee, now: at('dispatch', 'handle') && pending(null) && !c.extended };
    case 'extension_approved':
    case 'extension_refused':
      return { who: dispatcher, now: at('dispatch', 'handle') && pending('extension') };
    case 'suspension_request':
      return { who: assignee, now: at('dispatch', 'handle') && pending(null) && !c.suspended };
    case 'suspension_approved':
    case 'suspension_refused':
      return { who: dispatcher, now: at('dispatch', 'handle') && pending('suspension') };
    case 'resumption':
      return { who: dispatcher, now: at(...OPEN) && c.suspended };
    case 'whistle':
      return { who: dispatcher, now: at('register', 'dispatch', 'handle') };
    case 'report_in':
      return { who: summoned, now: at(...OPEN) };
    case 'verify':
    case 'rework':
      return { who: verifier, now: at('feedback') };
    case 'revisit':
      return { who: dispatcher, now: at('close') && c.satisfaction === null };
    case 'close':
      return { who: dispatcher, now: at('close') && c.satisfaction !== null };
  }
}

function* cases(): Generator<LoopCase> {
  for (const stage of INCIDENT_STAGES)
    for (const assigned of ['dept', 'worker5', 'worker6', 'none'] as const)
      for (const pendingRequest of [null, 'return', 'extension', 'suspension'] as const)
        for (const suspended of [false, true])
          for (const extended of [false, true])
            for (const satisfaction of [null, 4])
              for (const reporterUserId of [null, 5, 8])
                for (const handlerUserId of [null, 5, 6, 8])
                  for (const unreportedSummons of [[], [D1], [D2, D1]])
                    yield {
                      stage,
                      gridCode: GRID,
                      communityCode: GRID.slice(0, 12),
                      streetCode: STREET,
                      reporterUserId,
                      departmentId: assigned === 'dept' ? D1 : null,
                      assigneeUserId: assigned === 'worker5' ? 5 : assigned === 'worker6' ? 6 : null,
                      handlerUserId,
                      pendingRequest,
                      suspended,
                      extended,
                      satisfaction,
                      unreportedSummons,
                    };
}

describe('loop action table', () => {
  it('allows exactly what the rules allow, refusing with 403 when the actor may not and 422 when the case does not allow it now', () => {
    let checked = 0;
    const allowedSeen = new Set<string>();
    const mismatches: string[] = [];
    for (const c of cases()) {
      for (const user of USERS) {
        const allowed = new Set(allowedActions(user, c).map((a) => a.action));
        for (const action of LOOP_ACTIONS) {
          const want = expected(user, c, action);
          const got = checkAction(user, c, action);
          const ok = want.who && want.now;
          const right = ok ? got.ok : !got.ok && got.status === (want.who ? 422 : 403);
          if (!right || allowed.has(action) !== ok) {
            if (mismatches.length < 20) mismatches.push(`${user.role}#${user.id} ${action} @${c.stage} ${JSON.stringify(c)} → ${JSON.stringify(got)}`);
          }
          if (ok) allowedSeen.add(`${user.role}:${action}`);
          checked++;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(7 * 4 * 4 * 2 * 2 * 2 * 3 * 4 * 3 * USERS.length * LOOP_ACTIONS.length);
    // Every action is open to someone, and never to the read-only roles.
    for (const action of LOOP_ACTIONS)
      expect(
        [...allowedSeen].some((k) => k.endsWith(`:${action}`)),
        action,
      ).toBe(true);
    expect([...allowedSeen].filter((k) => /^(leader|analyst|planner):/.test(k))).toEqual([]);
  });

  it('gives every action a Chinese label and the fields it requires', () => {
    for (const action of LOOP_ACTIONS) {
      expect(ACTION_TABLE[action].label).toMatch(/[\u4e00-\u9fa5]/);
      for (const f of ACTION_TABLE[action].fields) expect(f.label).toMatch(/[\u4e00-\u9fa5]/);
    }
    const required = (a: LoopAction) => ACTION_TABLE[a].fields.filter((f) => f.required).map((f) => f.name);
    expect(required('return')).toEqual(['note']);
    expect(required('handle')).toEqual(['note']);
    expect(required('rework')).toEqual(['note']);
    expect(required('extension_request')).toEqual(['hours', 'note']);
    expect(required('whistle')).toEqual(['departmentIds', 'note']);
    expect(required('revisit')).toEqual(['satisfaction']);
    expect(required('sign')).toEqual([]);
  });
});
