/**
 * deck.gl layer factories for incidents. The colour domain is always passed in
 * (the server's max for the whole filtered period), never derived from the frame.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { PolygonLayer } from '@deck.gl/layers';
import type { HeatPoint, HexbinResult } from './incidentQueries';
import { colourFor, INCIDENT_RAMP } from './colourScale';

type HexCell = HexbinResult['cells'][number];

/** Weighted heatmap with a fixed colour domain [0, domainMax] so frames are comparable. */
export function incidentHeatmapLayer(points: HeatPoint[], domainMax: number, options: { id?: string; radiusPixels?: number } = {}): Layer {
  return new HeatmapLayer<HeatPoint>({
    id: options.id ?? 'incidents-heatmap',
    data: points,
    getPosition: (p) => p.position,
    getWeight: (p) => p.weight,
    aggregation: 'SUM',
    radiusPixels: options.radiusPixels ?? 30,
    colorRange: INCIDENT_RAMP.map((c) => [...c, 255] as [number, number, number, number]),
    colorDomain: [0, Math.max(1, domainMax)],
    updateTriggers: { getWeight: [domainMax] },
  });
}

/**
 * Hexagons as polygons from the server (exact ST_Hexagon rings). `extruded` turns
 * them into 3D columns whose height is count / domainMax × maxHeightM.
 */
export function incidentHexLayer(
  cells: HexCell[],
  domainMax: number,
  options: { id?: string; extruded?: boolean; maxHeightM?: number; selected?: { i: number; j: number } | null; onClick?: (cell: HexCell) => void } = {},
): Layer {
  const max = Math.max(1, domainMax);
  const isSelected = (c: HexCell) => options.selected?.i === c.i && options.selected?.j === c.j;
  return new PolygonLayer<HexCell>({
    id: options.id ?? 'incidents-hexbins',
    data: cells,
    getPolygon: (c) => c.polygon,
    getFillColor: (c) => colourFor(c.count, max, options.extruded ? 235 : 190),
    getLineColor: (c) => (isSelected(c) ? [255, 255, 255, 255] : [255, 255, 255, 60]),
    getLineWidth: (c) => (isSelected(c) ? 3 : 1),
    lineWidthUnits: 'pixels',
    stroked: !options.extruded,
    filled: true,
    extruded: options.extruded ?? false,
    getElevation: (c) => (Math.min(c.count, max) / max) * (options.maxHeightM ?? 3000),
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 80],
    onClick: (info: PickingInfo<HexCell>) => {
      if (info.object) options.onClick?.(info.object);
      return true;
    },
    updateTriggers: { getFillColor: [max, options.extruded], getElevation: [max, options.maxHeightM], getLineColor: [options.selected?.i, options.selected?.j], getLineWidth: [options.selected?.i, options.selected?.j] },
  });
}

/** Same hexagons as 3D columns (柱状). */
export function incidentColumnLayer(cells: HexCell[], domainMax: number, options: Parameters<typeof incidentHexLayer>[2] = {}): Layer {
  return incidentHexLayer(cells, domainMax, { id: 'incidents-columns', ...options, extruded: true });
}
