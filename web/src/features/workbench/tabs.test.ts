import { describe, expect, it } from 'vitest';
import { tabsFor } from './tabs';
import { inboxQueryParams, NO_FILTERS } from './workbenchApi';

describe('workbench tabs', () => {
  it("shows exactly the tabs the server counted, in the workbench's order", () => {
    expect(tabsFor('dispatcher', { overdue: 1, to_dispatch: 3, to_revisit: 0 })).toEqual(['to_dispatch', 'to_revisit', 'overdue']);
  });

  it("shows the role's own tabs while the counts load", () => {
    expect(tabsFor('dept_staff', undefined)).toEqual(['to_sign', 'to_handle', 'supervised', 'overdue']);
    expect(tabsFor('grid_worker', undefined)).toContain('to_verify');
  });
});

describe('inbox query', () => {
  it('sends only the filters set, and the date range as local-day instants', () => {
    const q = inboxQueryParams('to_sign', { ...NO_FILTERS, category: 'SR01', from: '2026-10-01', to: '2026-10-08' }, 2);
    expect(q).toEqual({
      tab: 'to_sign',
      page: '2',
      pageSize: '200',
      category: 'SR01',
      from: new Date('2026-10-01T00:00:00').toISOString(),
      to: new Date('2026-10-09T00:00:00').toISOString(),
    });
  });
});
