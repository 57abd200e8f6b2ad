/**
 * The editor's own sources and layers on top of the shared map style: the draft
 * shape with its vertex handles, sketches, snap marker, violations in red, version
 * overlays, the 均衡 preview, the community's 微网格 and 专属网格, and highlights of neighbours a save changed (on the grid tile source).
 */
import type * as maplibregl from 'maplibre-gl';
import { GRID_SOURCE, GRID_SOURCE_LAYER } from '../map/mapStyle';
import type { FilterSpecification, LayerSpecification } from '../map/styleTypes';

export const SRC = {
  community: 'editor-community',
  shape: 'editor-shape',
  midpoints: 'editor-midpoints',
  vertices: 'editor-vertices',
  sketch: 'editor-sketch',
  snap: 'editor-snap',
  violations: 'editor-violations',
  overlay: 'editor-overlay',
  rebalance: 'editor-rebalance',
  subGrids: 'editor-sub-grids',
} as const;

export const EDITOR_LAYER = {
  changed: 'editor-changed-neighbours',
  mergeFill: 'editor-merge-fill',
  communityLine: 'editor-community-line',
  overlayFill: 'editor-overlay-fill',
  overlayLine: 'editor-overlay-line',
  rebalanceLine: 'editor-rebalance-line',
  rebalancePoints: 'editor-rebalance-points',
  microFill: 'editor-micro-fill',
  microLine: 'editor-micro-line',
  exclusiveFill: 'editor-exclusive-fill',
  exclusiveLine: 'editor-exclusive-line',
  shapeFill: 'editor-shape-fill',
  shapeLine: 'editor-shape-line',
  sketchFill: 'editor-sketch-fill',
  sketchLine: 'editor-sketch-line',
  sketchPoints: 'editor-sketch-points',
  violationFill: 'editor-violation-fill',
  violationLine: 'editor-violation-line',
  violationPoint: 'editor-violation-point',
  midpoints: 'editor-midpoints',
  vertices: 'editor-vertices',
  snap: 'editor-snap',
} as const;

export const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Overlay roles: a version's before/after, or two versions compared, or the server's current shape on conflict. */
export const OVERLAY_COLOURS = { before: '#ff9f43', after: '#2ee6a6', a: '#6cb4ff', b: '#ff6bd6', current: '#ff9f43' } as const;
export type OverlayRole = keyof typeof OVERLAY_COLOURS;

const RED = '#ff3b3b';
const DRAFT = '#ffd166';

export const codesFilter = (codes: readonly string[]): FilterSpecification => ['in', ['get', 'code'], ['literal', [...codes]]];
const isType = (...types: string[]): FilterSpecification => ['in', ['geometry-type'], ['literal', types]];
const overlayColour = ['match', ['get', 'role'], ...Object.entries(OVERLAY_COLOURS).flat(), '#ffffff'] as unknown as string;

export function addEditorLayers(map: maplibregl.Map) {
  for (const id of Object.values(SRC)) map.addSource(id, { type: 'geojson', data: EMPTY });
  const grid = { source: GRID_SOURCE, 'source-layer': GRID_SOURCE_LAYER } as const;
  const layers: LayerSpecification[] = [
    { id: EDITOR_LAYER.mergeFill, type: 'fill', ...grid, filter: codesFilter([]), paint: { 'fill-color': '#6cb4ff', 'fill-opacity': 0.45 } },
    { id: EDITOR_LAYER.changed, type: 'line', ...grid, filter: codesFilter([]), paint: { 'line-color': '#00e5ff', 'line-width': 3, 'line-dasharray': [2, 1] } },
    // 微网格 thin and dashed inside their base grid; 专属网格 tinted, in the colour of the level legend.
    // A faint fill, so a double click inside a micro grid finds it (selects it for editing).
    { id: EDITOR_LAYER.microFill, type: 'fill', source: SRC.subGrids, filter: ['==', ['get', 'level'], 'micro'], paint: { 'fill-color': '#c3f584', 'fill-opacity': 0.06 } },
    { id: EDITOR_LAYER.microLine, type: 'line', source: SRC.subGrids, filter: ['==', ['get', 'level'], 'micro'], paint: { 'line-color': '#c3f584', 'line-width': 1.5, 'line-dasharray': [2, 2] } },
    { id: EDITOR_LAYER.exclusiveFill, type: 'fill', source: SRC.subGrids, filter: ['==', ['get', 'level'], 'exclusive'], paint: { 'fill-color': '#ff9ff3', 'fill-opacity': 0.18 } },
    { id: EDITOR_LAYER.exclusiveLine, type: 'line', source: SRC.subGrids, filter: ['==', ['get', 'level'], 'exclusive'], paint: { 'line-color': '#ff9ff3', 'line-width': 2 } },
    { id: EDITOR_LAYER.communityLine, type: 'line', source: SRC.community, paint: { 'line-color': '#ffffff', 'line-width': 2, 'line-opacity': 0.7, 'line-dasharray': [4, 2] } },
    { id: EDITOR_LAYER.overlayFill, type: 'fill', source: SRC.overlay, paint: { 'fill-color': overlayColour, 'fill-opacity': 0.18 } },
    { id: EDITOR_LAYER.overlayLine, type: 'line', source: SRC.overlay, paint: { 'line-color': overlayColour, 'line-width': 3, 'line-dasharray': [3, 1.5] } },
    { id: EDITOR_LAYER.rebalanceLine, type: 'line', source: SRC.rebalance, filter: isType('Polygon', 'MultiPolygon'), paint: { 'line-color': ['get', 'colour'], 'line-width': 3, 'line-dasharray': [2, 1] } },
    { id: EDITOR_LAYER.shapeFill, type: 'fill', source: SRC.shape, paint: { 'fill-color': DRAFT, 'fill-opacity': 0.28 } },
    { id: EDITOR_LAYER.shapeLine, type: 'line', source: SRC.shape, layout: { 'line-join': 'round' }, paint: { 'line-color': DRAFT, 'line-width': 2.5 } },
    { id: EDITOR_LAYER.sketchFill, type: 'fill', source: SRC.sketch, filter: isType('Polygon'), paint: { 'fill-color': '#6cb4ff', 'fill-opacity': 0.25 } },
    { id: EDITOR_LAYER.sketchLine, type: 'line', source: SRC.sketch, filter: isType('LineString', 'Polygon'), paint: { 'line-color': '#6cb4ff', 'line-width': 2.5 } },
    { id: EDITOR_LAYER.sketchPoints, type: 'circle', source: SRC.sketch, filter: isType('Point'), paint: { 'circle-radius': 4.5, 'circle-color': '#ffffff', 'circle-stroke-color': '#6cb4ff', 'circle-stroke-width': 2 } },
    { id: EDITOR_LAYER.violationFill, type: 'fill', source: SRC.violations, filter: isType('Polygon', 'MultiPolygon'), paint: { 'fill-color': RED, 'fill-opacity': 0.45 } },
    { id: EDITOR_LAYER.violationLine, type: 'line', source: SRC.violations, filter: isType('Polygon', 'MultiPolygon', 'LineString', 'MultiLineString'), paint: { 'line-color': RED, 'line-width': 3 } },
    {
      id: EDITOR_LAYER.violationPoint,
      type: 'circle',
      source: SRC.violations,
      filter: isType('Point', 'MultiPoint'),
      paint: { 'circle-radius': 9, 'circle-color': RED, 'circle-opacity': 0.7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
    { id: EDITOR_LAYER.midpoints, type: 'circle', source: SRC.midpoints, paint: { 'circle-radius': 4, 'circle-color': DRAFT, 'circle-opacity': 0.55, 'circle-stroke-color': '#0b1322', 'circle-stroke-width': 1 } },
    {
      id: EDITOR_LAYER.vertices,
      type: 'circle',
      source: SRC.vertices,
      paint: {
        'circle-radius': ['case', ['boolean', ['get', 'selected'], false], 8, 6],
        'circle-color': ['case', ['boolean', ['get', 'selected'], false], RED, '#ffffff'],
        'circle-stroke-color': DRAFT,
        'circle-stroke-width': 2,
      },
    },
    {
      id: EDITOR_LAYER.rebalancePoints,
      type: 'circle',
      source: SRC.rebalance,
      filter: isType('Point'),
      paint: { 'circle-radius': 7, 'circle-color': ['get', 'colour'], 'circle-stroke-color': '#0b1322', 'circle-stroke-width': 2 },
    },
    { id: EDITOR_LAYER.snap, type: 'circle', source: SRC.snap, paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#00e5ff', 'circle-stroke-width': 2.5 } },
  ];
  for (const layer of layers) map.addLayer(layer);
}

export function setData(map: maplibregl.Map, source: string, data: GeoJSON.FeatureCollection | GeoJSON.Feature) {
  (map.getSource(source) as maplibregl.GeoJSONSource | undefined)?.setData(data);
}
