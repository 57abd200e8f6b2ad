import { describe, expect, it } from 'vitest';
import { landingPage, safeNext } from './LoginPage';

describe('safeNext', () => {
  it('follows same-site paths only', () => {
    expect(safeNext('/editor?grid=450902005001001')).toBe('/editor?grid=450902005001001');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('landingPage', () => {
  it('sends the loop roles to the workbench unless they came from a page', () => {
    expect(landingPage('grid_worker', null)).toBe('/incidents');
    expect(landingPage('dispatcher', '/')).toBe('/incidents');
    expect(landingPage('dept_staff', null)).toBe('/incidents');
    expect(landingPage('dept_staff', '/screen')).toBe('/screen');
    expect(landingPage('planner', null)).toBe('/');
    expect(landingPage('admin', null)).toBe('/');
  });
});
