/** The tree rule: which kind may sit under which (issue 16 point 1). */
import { describe, expect, it } from 'vitest';
import { checkEstateNorm } from './estateNorm';
import { PARTY_ORG_KINDS, parentRuleViolation, ratePercent } from './partyOrgs';

describe('party organisation tree rule', () => {
  it('allows the chain 党工委 → 党总支 → 党支部 → 党小组 and roots for 党委/党工委', () => {
    expect(parentRuleViolation('党工委', null)).toBeNull();
    expect(parentRuleViolation('党委', null)).toBeNull();
    expect(parentRuleViolation('党总支', '党工委')).toBeNull();
    expect(parentRuleViolation('党支部', '党总支')).toBeNull();
    expect(parentRuleViolation('党支部', '党委')).toBeNull();
    expect(parentRuleViolation('党小组', '党支部')).toBeNull();
  });
  it('refuses a 党小组 under a 党总支, a 党总支 without a parent, anything under a 党小组, with the allowed parents named', () => {
    expect(parentRuleViolation('党小组', '党总支')).toBe('党小组不能隶属于党总支，上级只能是党支部');
    expect(parentRuleViolation('党总支', null)).toBe('党总支必须有上级组织（党委、党工委）');
    for (const kind of PARTY_ORG_KINDS) expect(parentRuleViolation(kind, '党小组')).not.toBeNull();
    expect(parentRuleViolation('党工委', '党总支')).toBe('党工委不能隶属于党总支，上级只能是党委或无上级');
  });
  it('rates as percentages with one decimal, 0 of 0 as 0', () => {
    expect(ratePercent(2, 3)).toBe(66.7);
    expect(ratePercent(0, 0)).toBe(0);
  });
  it('estate norm: 30 m² per 100 households, never below 300 m²', () => {
    expect(checkEstateNorm(500, 200)).toEqual({ requiredM2: 300, actualM2: 200, meets: false, shortfallM2: 100 });
    expect(checkEstateNorm(2000, 600)).toEqual({ requiredM2: 600, actualM2: 600, meets: true, shortfallM2: 0 });
    expect(checkEstateNorm(2001, null).requiredM2).toBe(601);
  });
});
