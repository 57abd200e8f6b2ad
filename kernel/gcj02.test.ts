import { describe, expect, it } from 'vitest';
import { haversineM as metresBetween } from './partyService';
import { gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from './gcj02';

/**
 * An independent transcription of the canonical algorithm (as in eviltransform /
 * coordtransform), written differently on purpose: Horner-free polynomial terms,
 * degrees→radians done inline, the ellipsoid terms computed from a and f.
 */
function referenceWgsToGcj(lon: number, lat: number): [number, number] {
  const a = 6378245;
  const ee = 0.006693421622965943;
  const x = lon - 105;
  const y = lat - 35;
  const pi = Math.PI;
  const common = (20 * Math.sin(6 * pi * x) + 20 * Math.sin(2 * pi * x)) * (2 / 3);
  const dy =
    -100 +
    2 * x +
    3 * y +
    0.2 * y ** 2 +
    0.1 * x * y +
    0.2 * Math.sqrt(Math.abs(x)) +
    common +
    (20 * Math.sin(pi * y) + 40 * Math.sin((pi * y) / 3)) * (2 / 3) +
    (160 * Math.sin((pi * y) / 12) + 320 * Math.sin((pi * y) / 30)) * (2 / 3);
  const dx =
    300 +
    x +
    2 * y +
    0.1 * x ** 2 +
    0.1 * x * y +
    0.1 * Math.sqrt(Math.abs(x)) +
    common +
    (20 * Math.sin(pi * x) + 40 * Math.sin((pi * x) / 3)) * (2 / 3) +
    (150 * Math.sin((pi * x) / 12) + 300 * Math.sin((pi * x) / 30)) * (2 / 3);
  const phi = (lat * pi) / 180;
  const w = 1 - ee * Math.sin(phi) ** 2;
  const m = (a * (1 - ee)) / w ** 1.5; // meridional radius of curvature
  const n = a / Math.sqrt(w); // prime vertical radius
  return [lon + (dx * 180) / (n * Math.cos(phi) * pi), lat + (dy * 180) / (m * pi)];
}

describe('GCJ-02', () => {
  it('matches the published coordtransform example WGS84 (116.404, 39.915) → (116.41024449916938, 39.91640428150164)', () => {
    const [lon, lat] = wgs84ToGcj02(116.404, 39.915);
    expect(lon).toBeCloseTo(116.41024449916938, 10);
    expect(lat).toBeCloseTo(39.91640428150164, 10);
  });

  it('agrees with an independent implementation across China, and the offset is hundreds of metres', () => {
    for (let lon = 75; lon <= 134; lon += 3.7) {
      for (let lat = 18; lat <= 53; lat += 2.9) {
        const ours = wgs84ToGcj02(lon, lat);
        const ref = referenceWgsToGcj(lon, lat);
        expect(Math.abs(ours[0] - ref[0])).toBeLessThan(1e-9);
        expect(Math.abs(ours[1] - ref[1])).toBeLessThan(1e-9);
        const offset = metresBetween([lon, lat], ours);
        expect(offset).toBeGreaterThan(10);
        expect(offset).toBeLessThan(1200);
      }
    }
    // Yulin: the published offset is roughly 500–600 m to the east-south-east.
    const yulin = wgs84ToGcj02(110.155, 22.64);
    expect(metresBetween([110.155, 22.64], yulin)).toBeGreaterThan(400);
    expect(metresBetween([110.155, 22.64], yulin)).toBeLessThan(800);
  });

  it('inverts within 0.5 m (in fact under a millimetre)', () => {
    for (let lon = 74; lon <= 135; lon += 2.3) {
      for (let lat = 19; lat <= 53; lat += 1.7) {
        const [glon, glat] = wgs84ToGcj02(lon, lat);
        const back = gcj02ToWgs84(glon, glat);
        expect(metresBetween([lon, lat], back)).toBeLessThan(0.5);
        expect(metresBetween([lon, lat], back)).toBeLessThan(0.001);
      }
    }
  });

  it('leaves points outside China unchanged both ways', () => {
    for (const [lon, lat] of [
      [139.6917, 35.6895], // Tokyo
      [-0.1276, 51.5072], // London
      [151.2093, -33.8688], // Sydney
    ] as const) {
      expect(outOfChina(lon, lat)).toBe(true);
      expect(wgs84ToGcj02(lon, lat)).toEqual([lon, lat]);
      expect(gcj02ToWgs84(lon, lat)).toEqual([lon, lat]);
    }
  });
});
