/**
 * The sample's year of incidents ends at the load time: whatever day it is loaded, the
 * current month has cases, every stage of the loop is present, and the history uses the
 * contract's actions in a consistent order.
 */
import { describe, expect, it } from 'vitest';
import { INCIDENT_STAGES } from '../kernel/stages';
import { SAMPLE_CATEGORY_DEPARTMENTS, SAMPLE_DEPARTMENTS } from './departments';
import { DESK_CASES, generateDesk } from './desk';
import { generateIncidents, INCIDENT_CATEGORIES, PINNED_SAMPLE_NOW, type SampleIncident } from './incidents';
import { createRandom } from './random';
import { DESK_GRIDS, SAMPLE_ACCOUNTS } from './sampleAccounts';

const DAY = 86_400_000;
const chinaMonth = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);

function yearUpTo(now: Date): SampleIncident[] {
  const households = Array.from({ length: 50 }, (_, i) => 100 + i * 10);
  return generateIncidents({ random: createRandom(450902), count: 6000, households, pointInGrid: (gi) => [110 + gi / 1000, 22.6], now });
}

const ACTIONS = new Set(['report', 'register', 'dispatch', 'redispatch', 'sign', 'return', 'return_approved', 'urge', 'handle', 'verify', 'rework', 'close', 'revisit']);

/** The loop's consistency, checked on each case's history independently of how it was made. */
function expectConsistent(incidents: SampleIncident[], now: Date) {
  for (const i of incidents) {
    const first = i.transitions[0]!;
    expect(first).toMatchObject({ from: null, to: 'collect', action: 'report' });
    expect(first.at.getTime()).toBe(i.reportedAt.getTime());
    for (let k = 1; k < i.transitions.length; k++) {
      const [prev, tr] = [i.transitions[k - 1]!, i.transitions[k]!];
      expect(tr.from).toBe(prev.to);
      expect(tr.at.getTime()).toBeGreaterThanOrEqual(prev.at.getTime());
    }
    for (const tr of i.transitions) {
      expect(ACTIONS.has(tr.action), tr.action).toBe(true);
      expect(tr.at.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    expect(i.stage).toBe(i.transitions.at(-1)!.to);
    // 核实通过 closes the case (core's action table); 回访 gives the satisfaction; 结案 ends the loop.
    expect(i.closedAt?.getTime() ?? null).toBe(i.transitions.find((t) => t.action === 'verify')?.at.getTime() ?? null);
    expect(i.stage === 'evaluate').toBe(i.transitions.at(-1)!.action === 'close');
    expect(i.urgeCount).toBe(i.transitions.filter((t) => t.action === 'urge').length);
    expect(i.reworkCount).toBe(i.transitions.filter((t) => t.action === 'rework').length);
    if (i.transitions.some((t) => t.action === 'dispatch') && !i.toGridWorker) expect(SAMPLE_DEPARTMENTS.map((d) => d.code)).toContain(i.departmentCode);
    expect(i.satisfaction === null).toBe(!i.transitions.some((t) => t.action === 'revisit'));
    if (i.stage === 'evaluate') expect(i.satisfaction).not.toBeNull();
  }
}

describe('sample incidents up to the load day', () => {
  it.each([new Date('2027-03-01T09:30:00+08:00'), new Date('2026-12-02T08:45:00+08:00'), PINNED_SAMPLE_NOW])('end at %s with cases this month, open and overdue ones', (now) => {
    const incidents = yearUpTo(now);
    const times = incidents.map((i) => i.reportedAt.getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect(Math.max(...times)).toBeGreaterThan(now.getTime() - DAY);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now.getTime() - 365 * DAY);
    // The last month before the load time is a full month of cases (~500 a month), and the current one has begun.
    expect(incidents.filter((i) => i.reportedAt.getTime() > now.getTime() - 30 * DAY).length).toBeGreaterThan(250);
    expect(incidents.filter((i) => chinaMonth(i.reportedAt) === chinaMonth(now)).length).toBeGreaterThan(0);
    const open = incidents.filter((i) => i.closedAt === null);
    expect(open.length).toBeGreaterThan(5);
    expect(open.filter((i) => i.deadlineAt.getTime() < now.getTime()).length).toBeGreaterThan(0);
    // Every open case and one in five of the others (expect() per row is slow).
    expectConsistent(
      incidents.filter((i, k) => i.closedAt === null || k % 5 === 0),
      now,
    );
  });

  it('is deterministic given the load time, and differs between load times', () => {
    const now = new Date('2027-03-01T09:30:00+08:00');
    expect(JSON.stringify(yearUpTo(now).slice(-20))).toBe(JSON.stringify(yearUpTo(now).slice(-20)));
    expect(JSON.stringify(yearUpTo(now).slice(-20))).not.toBe(JSON.stringify(yearUpTo(new Date(now.getTime() + DAY)).slice(-20)));
  });

  it('sends each category to its default departments, mostly the first, and some cases back', () => {
    const incidents = yearUpTo(PINNED_SAMPLE_NOW);
    for (const c of INCIDENT_CATEGORIES) {
      const defaults = SAMPLE_CATEGORY_DEPARTMENTS[c.code];
      expect(defaults?.length, c.code).toBeGreaterThan(0);
      const firstDispatch = incidents.filter((i) => i.categoryCode === c.code).flatMap((i) => i.transitions.filter((t) => t.action === 'dispatch' && t.departmentCode !== null));
      expect(firstDispatch.every((t) => defaults!.includes(t.departmentCode!))).toBe(true);
      const usual = firstDispatch.filter((t) => t.departmentCode === defaults![0]).length;
      expect(usual / firstDispatch.length).toBeGreaterThan(0.5);
    }
    const actions = new Set(incidents.flatMap((i) => i.transitions.map((t) => t.action)));
    for (const a of ['report', 'register', 'dispatch', 'sign', 'handle', 'verify', 'close', 'revisit', 'rework', 'return', 'return_approved', 'urge']) expect(actions, a).toContain(a);
  });
});

describe('the demo accounts’ desk', () => {
  const now = new Date('2027-03-01T09:30:00+08:00');
  const codes: string[] = Object.values(DESK_GRIDS);
  const desk = generateDesk(
    now,
    (code) => codes.indexOf(code),
    (gi) => [110 + gi / 1000, 22.6],
  );

  it('has an open case at every stage before evaluation, one fully closed, all within the last week', () => {
    expect(desk).toHaveLength(DESK_CASES.length);
    expectConsistent(desk, now);
    expect(new Set(desk.map((i) => i.stage))).toEqual(new Set(INCIDENT_STAGES));
    for (const i of desk) expect(now.getTime() - i.reportedAt.getTime()).toBeLessThan(7 * DAY);
    expect(desk.some((i) => i.closedAt === null && i.deadlineAt < now && i.urgeCount > 0)).toBe(true);
    expect(desk.some((i) => i.transitions.at(-1)!.action === 'return')).toBe(true);
    expect(desk.some((i) => i.stage === 'feedback')).toBe(true);
    expect(desk.some((i) => i.stage === 'close' && i.satisfaction === null)).toBe(true);
    expect(desk.some((i) => i.stage === 'close' && i.satisfaction !== null)).toBe(true);
  });

  it('is worked by the sample accounts in their own roles and places', () => {
    const accounts = new Map(SAMPLE_ACCOUNTS.map((a) => [a.username, a]));
    for (const i of desk) {
      const grid = codes[i.gridIndex]!;
      for (const t of i.transitions) {
        if (t.actorUsername === null) continue;
        const a = accounts.get(t.actorUsername)!;
        expect(a.displayName).toBe(t.actor);
        if (['register', 'dispatch', 'close', 'revisit', 'urge'].includes(t.action)) expect(a.role).toBe('dispatcher');
        if (a.role === 'dispatcher') expect(grid.startsWith(a.jurisdictionCode!)).toBe(true);
        if (['sign', 'handle', 'return'].includes(t.action) && !i.toGridWorker) expect(a).toMatchObject({ role: 'dept_staff', departmentCode: i.departmentCode });
        if (['verify', 'rework'].includes(t.action)) {
          // Someone other than the reporter and the handler, bound to the grid.
          expect(a).toMatchObject({ role: 'grid_worker' });
          expect(a.gridCodes).toContain(grid);
          expect(t.actorUsername).not.toBe(i.reporterUsername);
        }
      }
      if (i.reporterUsername) expect(accounts.get(i.reporterUsername)!.gridCodes).toContain(grid);
      if (i.assigneeUsername) expect(accounts.get(i.assigneeUsername)!.gridCodes).toContain(grid);
    }
  });
});
