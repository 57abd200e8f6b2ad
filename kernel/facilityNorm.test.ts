import { describe, expect, it } from 'vitest';
import { facilityNorm } from './facilityNorm';

describe('facilityNorm', () => {
  it('asks a community centre for 30 m² per 100 households served', () => {
    expect(facilityNorm('party_centre', 'community', 2000, 600)).toMatchObject({ status: 'meets', requiredM2: 600, shortfallM2: 0 });
    expect(facilityNorm('party_centre', 'community', 2001, 600)).toMatchObject({ status: 'short', requiredM2: 601, shortfallM2: 1 });
  });

  it('never asks an estate station for less than 300 m²', () => {
    expect(facilityNorm('party_centre', 'estate', 100, 299)).toMatchObject({ status: 'short', requiredM2: 300, shortfallM2: 1 });
    expect(facilityNorm('party_centre', 'estate', 0, 300)).toMatchObject({ status: 'meets', requiredM2: 300 });
    expect(facilityNorm('party_centre', 'estate', 1500, 400).requiredM2).toBe(450);
    expect(facilityNorm('party_centre', 'estate', 100, 120).text).toContain('小区不少于 300 m²');
  });

  it('cannot check a community centre without households, and has no norm for other kinds or levels', () => {
    expect(facilityNorm('party_centre', 'community', 0, 100).status).toBe('unknown');
    expect(facilityNorm('red_station', 'estate', 500, 10).status).toBe('none');
    expect(facilityNorm('party_centre', 'street', 5000, 10).status).toBe('none');
  });
});
