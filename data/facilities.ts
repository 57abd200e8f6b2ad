/**
 * The sample's 阵地 beyond 党群服务中心 (kernel/facilityKinds.ts): 红色驿站 in
 * about half the communities with estate stations, a 红色物业服务点 at the first
 * estate station of each, 小哥驿站 beside a third of the community centres and a
 * 社会组织孵化中心 in every county, placed a short walk from the existing centres.
 * A random stream of its own, so the rest of the sample stays as it was.
 */
import type { FacilityKind } from '../kernel/facilityKinds';
import { createRandom } from './random';
import type { Position } from './lattice';

interface CentreLike {
  name: string;
  kind?: FacilityKind;
  level: 'city' | 'district' | 'street' | 'community' | 'estate';
  regionCode: string;
  areaM2: number;
  householdsServed: number;
  openingHours: string;
  address: string;
  position: Position;
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

export function otherFacilities<C extends CentreLike>(centres: readonly C[], seed: number): CentreLike[] {
  const random = createRandom((seed ^ 0x5a17e) >>> 0);
  const near = (p: Position, metres: number): Position => {
    const angle = random.range(0, 2 * Math.PI);
    return [round7(p[0] + (Math.cos(angle) * metres) / (111_320 * Math.cos((p[1] * Math.PI) / 180))), round7(p[1] + (Math.sin(angle) * metres) / 110_574)];
  };
  const out: CentreLike[] = [];
  const estateRegions = new Set<string>();
  centres.forEach((c, i) => {
    const base = c.name.replace(/(小区)?党群服务(中心|站)$/, '');
    if (c.level === 'estate' && !estateRegions.has(c.regionCode)) {
      estateRegions.add(c.regionCode);
      out.push({ ...c, kind: 'red_property', name: `${base}红色物业服务点`, areaM2: Math.round(random.range(30, 90)), position: near(c.position, 60), openingHours: '周一至周日 08:00-20:00' });
      if (estateRegions.size % 2 === 1) {
        out.push({ ...c, kind: 'red_station', name: `${base}红色驿站`, areaM2: Math.round(random.range(20, 60)), position: near(c.position, random.range(250, 500)), openingHours: '全天' });
      }
    }
    if (c.level === 'community' && i % 3 === 0) {
      out.push({ ...c, kind: 'rider_station', name: `${base}小哥驿站`, areaM2: Math.round(random.range(25, 60)), householdsServed: 0, position: near(c.position, random.range(300, 600)), openingHours: '全天' });
    }
    if (c.level === 'district') {
      out.push({ ...c, kind: 'ngo_incubator', name: `${base}社会组织孵化中心`, areaM2: Math.round(random.range(300, 800)), position: near(c.position, 200), openingHours: '周一至周五 09:00-17:30' });
    }
  });
  return out;
}
