/**
 * Polygon input from editors and imports: GeoJSON Polygon/MultiPolygon in WGS84,
 * structurally checked here (closed rings, finite coordinates in range) so that
 * PostGIS only ever sees well-formed input; topological validity is checked in SQL.
 */
import { z } from 'zod';

const position = z
  .array(z.number({ message: '坐标应为数字' }), { message: '坐标应为 [经度, 纬度]' })
  .min(2, '坐标应为 [经度, 纬度]')
  .max(3, '坐标应为 [经度, 纬度]')
  .refine((p) => p.every(Number.isFinite), '坐标不能是 NaN 或无穷大')
  .refine((p) => Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90, '坐标超出经纬度范围');

const ring = z
  .array(position)
  .min(4, '多边形的环至少需要 4 个坐标（首尾相同）')
  .max(100_000, '多边形顶点过多')
  .refine((r) => {
    const a = r[0];
    const b = r[r.length - 1];
    return !!a && !!b && a[0] === b[0] && a[1] === b[1];
  }, '多边形的环未闭合（首尾坐标应相同）');

const polygonCoords = z.array(ring).min(1, '多边形至少需要一个外环').max(1000, '多边形的环过多');

export const polygonGeometry = z.discriminatedUnion(
  'type',
  [z.object({ type: z.literal('Polygon'), coordinates: polygonCoords }), z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygonCoords).min(1, '多多边形不能为空').max(1000, '多多边形的部分过多') })],
  { message: '几何类型应为 Polygon 或 MultiPolygon' },
);

export type PolygonGeometry = z.infer<typeof polygonGeometry>;

export const lineGeometry = z.object({
  type: z.literal('LineString', { message: '分割线应为 LineString' }),
  coordinates: z.array(position).min(2, '分割线至少需要 2 个坐标').max(10_000, '分割线顶点过多'),
});
