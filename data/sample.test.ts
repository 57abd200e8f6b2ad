import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readingOrder } from '../kernel/numbering';
import { DEFAULT_SAMPLE, designationDate, generateSample } from './sample';

const sample = generateSample();
const fingerprint = (d: ReturnType<typeof generateSample>) =>
  createHash('sha256')
    .update(JSON.stringify([d.regions, d.grids, d.centres, d.roads.edges.length, d.incidents.slice(0, 50)]))
    .digest('hex');

describe('generateSample', () => {
  it('is deterministic for a seed', () => {
    expect(fingerprint(generateSample())).toBe(fingerprint(sample));
    expect(fingerprint(generateSample({ ...DEFAULT_SAMPLE, seed: 7 }))).not.toBe(fingerprint(sample));
  });

  it('uses the real NBS codes and names of 玉州区', () => {
    const byCode = new Map(sample.regions.map((r) => [r.code, r]));
    expect(byCode.get('450902')?.name).toBe('玉州区');
    expect(byCode.get('450902005')).toMatchObject({ name: '名山街道', level: 'street', kind: '街道' });
    expect(byCode.get('450902005001')).toMatchObject({ name: '五里桥社区居委会', parentCode: '450902005', kind: '居委会' });
    expect(sample.regions.filter((r) => r.level === 'community')).toHaveLength(111);
    expect(sample.label).toContain('示例数据');
  });

  it('gives every grid a unique 15-digit code inside its community, numbered 1..n without gaps', () => {
    expect(sample.grids).toHaveLength(DEFAULT_SAMPLE.grids);
    const codes = sample.grids.map((g) => g.code);
    expect(new Set(codes).size).toBe(codes.length);
    const byCommunity = new Map<string, number[]>();
    for (const g of sample.grids) {
      expect(g.code).toMatch(/^\d{15}$/);
      expect(g.code.slice(0, 12)).toBe(g.communityCode);
      expect(g.communityCode.slice(0, 9)).toBe(g.streetCode);
      byCommunity.set(g.communityCode, [...(byCommunity.get(g.communityCode) ?? []), Number(g.code.slice(12))]);
    }
    expect(byCommunity.size).toBe(111);
    for (const seqs of byCommunity.values()) expect(seqs.sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i + 1));
  });

  it('numbers grids in reading order (north→south rows, west→east within a row)', () => {
    // The community with the most grids: several rows, so the order is not trivial.
    const sizes = new Map<string, number>();
    for (const g of sample.grids) sizes.set(g.communityCode, (sizes.get(g.communityCode) ?? 0) + 1);
    const busiest = [...sizes].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    const community = sample.grids.filter((g) => g.communityCode === busiest);
    expect(community.length).toBeGreaterThan(10);
    // Label points are inside the grids; rows are bands of latitude, so within the first row longitudes increase.
    const ordered = readingOrder(
      community.map((g) => ({ item: g.code, lon: g.label[0], lat: g.label[1] })),
      1e-9,
    );
    expect(ordered[0]).toBe(community.reduce((a, b) => (b.label[1] > a.label[1] ? b : a)).code);
  });

  it('places service centres at all five levels and incidents over twelve months', () => {
    expect(new Set(sample.centres.map((c) => c.level))).toEqual(new Set(['city', 'district', 'street', 'community', 'estate']));
    expect(sample.incidents).toHaveLength(DEFAULT_SAMPLE.incidents);
    const times = sample.incidents.map((i) => i.reportedAt.getTime());
    const spanDays = (Math.max(...times) - Math.min(...times)) / 86_400_000;
    expect(spanDays).toBeGreaterThan(350);
    expect(spanDays).toBeLessThanOrEqual(366);
    expect(sample.roads.edges.length).toBeGreaterThan(1000);
    expect(sample.belts[0]!.route.length).toBeGreaterThan(10);
  });

  it('dates every 示范带/示范圈 6–12 months back, with 90 days of incidents on either side', () => {
    const times = sample.incidents.map((i) => i.reportedAt.getTime());
    const [first, last] = [Math.min(...times), Math.max(...times)];
    const demos = [...sample.belts, ...sample.circles];
    expect(demos.length).toBe(4);
    for (const d of demos) {
      expect(d.designatedOn, d.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const at = Date.parse(`${d.designatedOn}T00:00:00+08:00`);
      const monthsBack = (last - at) / (30.44 * 86_400_000);
      expect(monthsBack, d.name).toBeGreaterThan(5.5);
      expect(monthsBack, d.name).toBeLessThan(12);
      expect(at - first, d.name).toBeGreaterThan(90 * 86_400_000);
      expect(last - at, d.name).toBeGreaterThan(90 * 86_400_000);
    }
    expect(designationDate(new Date('2026-08-31T12:00:00+08:00'), 6)).toBe('2026-02-28');
    expect(designationDate(new Date('2026-11-20T23:30:00+08:00'), 8)).toBe('2026-03-20');
  });

  it('scales to more counties of 玉林市 while staying under 999 grids per community', () => {
    const big = generateSample({ grids: 30_000, incidents: 0, seed: 1 });
    expect(big.grids.length).toBe(30_000);
    expect(new Set(big.grids.map((g) => g.districtCode)).size).toBeGreaterThan(1);
    expect(Math.max(...big.grids.map((g) => Number(g.code.slice(12))))).toBeLessThanOrEqual(999);
  });
});
