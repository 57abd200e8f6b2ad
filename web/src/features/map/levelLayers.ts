/**
 * 微网格 and 专属网格 on the 党建地图: outlines over the base grids, each from the tile set and
 * zoom the server gives its level (micro grids inside /tiles/grids from z15, 专属网格 in
 * /tiles/exclusive from z11, server/tiles/layers.ts). Written into the style the map is created
 * with (useMapShell's adjustStyle), under the hover and selection outlines. Only the main map
 * draws them; the editor has its own level layers and the big screen stays at base grids.
 */
import { EXCLUSIVE_KINDS } from '../../../../kernel/gridCode';
import { GRID_SOURCE, LAYER } from './mapStyle';
import type { ColourSpecification, LayerSpecification, StyleSpecification } from './styleTypes';

export const EXCLUSIVE_SOURCE = 'exclusive';
export const LEVEL_LAYER = { microOutline: 'micro-grids-outline', exclusiveFill: 'exclusive-grids-fill', exclusiveOutline: 'exclusive-grids-outline' } as const;

/** One colour per 专属网格 kind (学校, 医院, 产业园区, 商务楼宇, 市场), in the kernel's order. */
export const EXCLUSIVE_COLOURS = ['#4cc9f0', '#f72585', '#b5e48c', '#ffb703', '#c77dff'] as const;
const exclusiveColour = ['match', ['get', 'kind'], ...EXCLUSIVE_KINDS.flatMap((k, i) => [k, EXCLUSIVE_COLOURS[i]!]), '#ffffff'] as unknown as ColourSpecification;

export function withGridLevels(style: StyleSpecification): StyleSpecification {
  const gridTiles = style.sources[GRID_SOURCE];
  if (!gridTiles || !('tiles' in gridTiles) || !gridTiles.tiles?.[0]) return style;
  const tiles = [gridTiles.tiles[0].replace('/tiles/grids/', '/tiles/exclusive/')];
  const layers: LayerSpecification[] = [
    {
      id: LEVEL_LAYER.microOutline,
      type: 'line',
      source: GRID_SOURCE,
      'source-layer': 'micro_grids',
      paint: { 'line-color': '#e0e7ff', 'line-opacity': 0.55, 'line-width': ['interpolate', ['linear'], ['zoom'], 15, 0.5, 18, 1.2], 'line-dasharray': [2, 2] },
    },
    { id: LEVEL_LAYER.exclusiveFill, type: 'fill', source: EXCLUSIVE_SOURCE, 'source-layer': 'exclusive_grids', paint: { 'fill-color': exclusiveColour, 'fill-opacity': 0.18 } },
    {
      id: LEVEL_LAYER.exclusiveOutline,
      type: 'line',
      source: EXCLUSIVE_SOURCE,
      'source-layer': 'exclusive_grids',
      paint: { 'line-color': exclusiveColour, 'line-opacity': 0.9, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.8, 16, 2] },
    },
  ];
  const at = style.layers.findIndex((l) => l.id === LAYER.gridHover);
  const index = at < 0 ? style.layers.length : at;
  return {
    ...style,
    sources: { ...style.sources, [EXCLUSIVE_SOURCE]: { type: 'vector', tiles, minzoom: 11, maxzoom: 16 } },
    layers: [...style.layers.slice(0, index), ...layers, ...style.layers.slice(index)],
  };
}
