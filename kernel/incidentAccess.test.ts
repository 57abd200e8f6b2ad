/** The read rule per role, on hand-made incidents. */
import { describe, expect, it } from 'vitest';
import { mayReadIncident, type IncidentAudience } from './incidentAccess';
import { UNBOUND, type SessionUser } from './roles';

const user = (role: SessionUser['role'], extra: Partial<SessionUser> = {}): SessionUser => ({ id: 7, username: role, displayName: role, role, ...UNBOUND, ...extra });
const incident = (extra: Partial<IncidentAudience> = {}): IncidentAudience => ({
  gridCode: '450902005001002',
  communityCode: '450902005001',
  streetCode: '450902005',
  reporterUserId: null,
  assigneeUserIds: [],
  departmentIds: [],
  ...extra,
});

describe('mayReadIncident', () => {
  it('lets oversight roles read the whole city', () => {
    for (const role of ['leader', 'analyst', 'admin'] as const) expect(mayReadIncident(user(role), incident())).toBe(true);
  });
  it('keeps planners and dispatchers to their street or community', () => {
    expect(mayReadIncident(user('dispatcher', { jurisdictionCode: '450902005' }), incident())).toBe(true);
    expect(mayReadIncident(user('dispatcher', { jurisdictionCode: '450902003' }), incident())).toBe(false);
    expect(mayReadIncident(user('planner', { jurisdictionCode: '450902005001' }), incident())).toBe(true);
    expect(mayReadIncident(user('dispatcher'), incident())).toBe(false);
  });
  it('gives grid workers their grids and what they reported or were given', () => {
    expect(mayReadIncident(user('grid_worker', { gridCodes: ['450902005001002'] }), incident())).toBe(true);
    expect(mayReadIncident(user('grid_worker', { gridCodes: ['450902005001003'] }), incident())).toBe(false);
    expect(mayReadIncident(user('grid_worker'), incident({ reporterUserId: 7 }))).toBe(true);
    expect(mayReadIncident(user('grid_worker'), incident({ assigneeUserIds: [7] }))).toBe(true);
  });
  it('gives department staff only what reached their department', () => {
    expect(mayReadIncident(user('dept_staff', { departmentId: 3 }), incident({ departmentIds: [2, 3] }))).toBe(true);
    expect(mayReadIncident(user('dept_staff', { departmentId: 4 }), incident({ departmentIds: [2, 3] }))).toBe(false);
    expect(mayReadIncident(user('dept_staff'), incident({ departmentIds: [2] }))).toBe(false);
  });
});
