/**
 * The MapLibre style: the offline basemap from /tiles/base, optional raster
 * basemap underneath, and the grid layers from /tiles/grids.
 * No glyphs, no sprite and no symbol layers: nothing may be fetched from the
 * internet and there are no font files offline; labels are drawn by deck.gl.
 */
import type { ColourSpecification, FilterSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from './styleTypes';

/** As /api/config sends it: 'offline' uses /tiles/base only; 'raster' adds an XYZ layer underneath. */
export interface BasemapConfig {
  kind: 'offline' | 'raster';
  tiles?: string[];
  attribution?: string;
}

export const GRID_SOURCE = 'grids';
export const GRID_SOURCE_LAYER = 'grids';
/** Below the detail zoom the grid tiles carry generalised community/street areas instead (same colouring attributes). */
export const AREA_SOURCE_LAYER = 'grid_areas';
export const LAYER = {
  areaFill: 'grid-areas-fill',
  areaOutline: 'grid-areas-outline',
  gridFill: 'grids-fill',
  gridOutline: 'grids-outline',
  gridHover: 'grids-hover',
  gridSelected: 'grids-selected',
} as const;

export const THEME = {
  background: '#0b1322',
  land: '#101b2e',
  community: '#2b3b58',
  street: '#b4c2de',
  district: '#d4def2',
  roadLane: '#223049',
  roadStreet: '#2f4062',
  roadArterial: '#4d6088',
  hover: '#ffffff',
  selected: '#ffd166',
} as const;

/**
 * The grid tile set starts at z8: street areas to z9, community areas z10–12, single grids from
 * z13 (server/tiles/layers.ts). The style layers have no zoom ranges: each draws whatever its
 * source layer holds, so while z13 tiles load the overzoomed z12 areas stay visible (no gap).
 * MapLibre overzooms beyond 16.
 */
export const GRID_MIN_ZOOM = 8;
export const GRID_MAX_ZOOM = 16;

/** Matches nothing when no grid is selected (grid codes are never empty). */
export function selectedGridFilter(code: string | null): FilterSpecification {
  return ['==', ['get', 'code'], code ?? ''];
}

const tileUrl = (origin: string, set: 'base' | 'grids') => `${origin.replace(/\/$/, '')}/tiles/${set}/{z}/{x}/{y}.mvt`;

const levelIs = (level: string): FilterSpecification => ['==', ['get', 'level'], level];
const roadIs = (cls: string): FilterSpecification => ['==', ['get', 'class'], cls];
/** Line width growing with zoom (exponential, like road widths on the ground). */
const widthByZoom = (stops: [number, number][]) => ['interpolate', ['exponential', 1.5], ['zoom'], ...stops.flat()] as unknown as number;

export interface MapStyleOptions {
  origin: string;
  basemap: BasemapConfig;
  /** fill colour of grids, usually the street `match` expression */
  gridColour: ColourSpecification;
  selectedCode?: string | null;
}

export function buildMapStyle({ origin, basemap, gridColour, selectedCode = null }: MapStyleOptions): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    base: { type: 'vector', tiles: [tileUrl(origin, 'base')], minzoom: 0, maxzoom: 16 },
    [GRID_SOURCE]: { type: 'vector', tiles: [tileUrl(origin, 'grids')], minzoom: GRID_MIN_ZOOM, maxzoom: GRID_MAX_ZOOM },
  };
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': THEME.background } }];

  if (basemap.kind === 'raster' && basemap.tiles?.length) {
    sources.raster = { type: 'raster', tiles: basemap.tiles, tileSize: 256, attribution: basemap.attribution ?? '' };
    // Dimmed so the dark theme and the grid colours still dominate.
    layers.push({ id: 'raster-basemap', type: 'raster', source: 'raster', paint: { 'raster-opacity': 0.55, 'raster-saturation': -0.6 } });
  }

  const base = { source: 'base' } as const;
  // Roads sit under the translucent grid fill, so they read as context, not as grid edges.
  layers.push(
    { id: 'land', type: 'fill', ...base, 'source-layer': 'regions', filter: levelIs('district'), paint: { 'fill-color': THEME.land, 'fill-opacity': basemap.kind === 'raster' ? 0.3 : 1 } },
    {
      id: 'road-lane',
      type: 'line',
      ...base,
      'source-layer': 'roads',
      minzoom: 13,
      filter: roadIs('lane'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': THEME.roadLane,
        'line-width': widthByZoom([
          [13, 0.5],
          [18, 5],
        ]),
      },
    },
    {
      id: 'road-street',
      type: 'line',
      ...base,
      'source-layer': 'roads',
      minzoom: 12,
      filter: roadIs('street'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': THEME.roadStreet,
        'line-width': widthByZoom([
          [12, 0.6],
          [18, 9],
        ]),
      },
    },
    {
      id: 'road-arterial',
      type: 'line',
      ...base,
      'source-layer': 'roads',
      filter: roadIs('arterial'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': THEME.roadArterial,
        'line-width': widthByZoom([
          [9, 0.8],
          [18, 14],
        ]),
      },
    },
    {
      id: LAYER.areaFill,
      type: 'fill',
      source: GRID_SOURCE,
      'source-layer': AREA_SOURCE_LAYER,
      paint: { 'fill-color': gridColour, 'fill-opacity': 0.3 },
    },
    {
      id: LAYER.areaOutline,
      type: 'line',
      source: GRID_SOURCE,
      'source-layer': AREA_SOURCE_LAYER,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': gridColour, 'line-opacity': 0.85, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.4, 12, 0.8] },
    },
    {
      id: LAYER.gridFill,
      type: 'fill',
      source: GRID_SOURCE,
      'source-layer': GRID_SOURCE_LAYER,
      paint: {
        'fill-color': gridColour,
        'fill-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 0.72, ['boolean', ['feature-state', 'hover'], false], 0.62, 0.3],
      },
    },
    { id: 'community-outline', type: 'line', ...base, 'source-layer': 'regions', minzoom: 11, filter: levelIs('community'), paint: { 'line-color': THEME.community, 'line-width': 0.6 } },
    {
      id: LAYER.gridOutline,
      type: 'line',
      source: GRID_SOURCE,
      'source-layer': GRID_SOURCE_LAYER,
      paint: { 'line-color': gridColour, 'line-opacity': 0.85, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.3, 14, 0.8, 17, 1.6] },
    },
    {
      id: 'street-outline',
      type: 'line',
      ...base,
      'source-layer': 'regions',
      filter: levelIs('street'),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': THEME.street, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 13, 2, 16, 3], 'line-dasharray': [3, 1.5] },
    },
    {
      id: 'district-outline',
      type: 'line',
      ...base,
      'source-layer': 'regions',
      filter: levelIs('district'),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': THEME.district, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.5, 15, 3] },
    },
    {
      id: LAYER.gridHover,
      type: 'line',
      source: GRID_SOURCE,
      'source-layer': GRID_SOURCE_LAYER,
      paint: { 'line-color': THEME.hover, 'line-width': 2, 'line-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 1, 0] },
    },
    {
      id: LAYER.gridSelected,
      type: 'line',
      source: GRID_SOURCE,
      'source-layer': GRID_SOURCE_LAYER,
      filter: selectedGridFilter(selectedCode),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': THEME.selected, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2, 16, 4] },
    },
  );
  return { version: 8, name: '党建版图', sources, layers };
}
