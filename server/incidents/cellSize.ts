/**
 * The aggregation cell of a map request: from the map zoom (the hexagon or heat
 * cell that looks the same size on screen at every zoom), or given in metres for
 * reproducible requests. Parsed from query strings like the filters.
 */
import { z } from 'zod';
import { heatCellForZoom, hexSizeForZoom } from '../../kernel/webMercator';

export const cellSizeQuery = z.object({
  zoom: z
    .string()
    .regex(/^\d{1,2}(\.\d+)?$/, 'zoom 应为 0~22 的数字')
    .transform(Number)
    .refine((z) => z >= 0 && z <= 22, 'zoom 应为 0~22 的数字')
    .optional(),
  size: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'size 应为正数（米）')
    .transform(Number)
    .refine((s) => s >= 10 && s <= 200_000, 'size 应在 10 到 200000 米之间')
    .optional(),
});

/** Zoom 12 when neither is given. */
export function cellSizeM(q: { zoom?: number; size?: number }, layer: 'hexbin' | 'heatmap'): number {
  return q.size ?? (layer === 'hexbin' ? hexSizeForZoom : heatCellForZoom)(q.zoom ?? 12);
}
