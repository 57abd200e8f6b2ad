/**
 * Why: the screen's 15-minute circles, 示范带/示范圈 areas and routes and its service centres
 * are MapLibre layers in the map's own style, not deck.gl layers. On the software-rendered
 * bench machine (headless Chromium, SwiftShader) every new GPU pipeline is compiled at its first
 * draw, and deck.gl's large shaders (a PolygonLayer is a fill and a path pipeline, plus a
 * ScatterplotLayer) cost seconds each — most of the big screen's first render over an empty
 * database, which draws none of them. These layers reuse the fill and line programs the basemap
 * has already compiled (constant paint per layer: one layer per colour instead of a data-driven
 * colour, which would be another program), and the centres take MapLibre's small circle program.
 * The look is deck's: same colours, widths in pixels, bigger centre levels drawn on top.
 * Text stays deck.gl's (screenLayers.ts): MapLibre has no glyph files offline.
 */
import { CENTRE_LEVELS, CENTRE_STYLE, type Rgba } from './centreStyle';
import type { CircleArea, ScreenLayerInput } from './screenLayers';
import type { FilterSpecification, LayerSpecification, SourceSpecification } from '../map/styleTypes';

export const OVERLAY_SOURCES = { circles: 'screen-circles', demos: 'screen-demos', belts: 'screen-belts', centres: 'screen-centres' } as const;

type Polygonal = GeoJSON.Polygon | GeoJSON.MultiPolygon;
type Collection<G extends GeoJSON.Geometry> = GeoJSON.FeatureCollection<G, Record<string, string | number>>;

const rgba = (c: Rgba | readonly [number, number, number, number]) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c[3] / 255).toFixed(3)})`;
const collection = <G extends GeoJSON.Geometry>(features: GeoJSON.Feature<G, Record<string, string | number>>[]): Collection<G> => ({ type: 'FeatureCollection', features });

/** The circles (walking or straight-line), each with its method. */
export function circleFeatures(circles: readonly CircleArea[]): Collection<Polygonal> {
  return collection(circles.map((c) => ({ type: 'Feature', geometry: c.polygon, properties: { method: c.method } })));
}

/** 示范带 and 示范圈 areas with their name and kind. */
export function demoFeatures(input: Pick<ScreenLayerInput, 'belts' | 'demoCircles'>): Collection<Polygonal> {
  return collection([
    ...input.belts.map((b) => ({ type: 'Feature' as const, geometry: b.area, properties: { name: b.name, kind: 'belt' } })),
    ...input.demoCircles.map((c) => ({ type: 'Feature' as const, geometry: c.area, properties: { name: c.name, kind: 'circle' } })),
  ]);
}

export function beltFeatures(input: Pick<ScreenLayerInput, 'belts'>): Collection<GeoJSON.MultiLineString> {
  return collection(input.belts.map((b) => ({ type: 'Feature', geometry: b.route, properties: { name: b.name } })));
}

/** Centres with their level's rank: bigger levels sort last, so they are drawn on top (as deck drew them). */
export function centreFeatures(centres: ScreenLayerInput['centres']): Collection<GeoJSON.Point> {
  return collection(
    centres.map((c) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [c.position[0], c.position[1]] }, properties: { level: c.level, rank: CENTRE_LEVELS.length - CENTRE_LEVELS.indexOf(c.level) } })),
  );
}

export function overlaySources(input: ScreenLayerInput): Record<string, SourceSpecification> {
  return {
    [OVERLAY_SOURCES.circles]: { type: 'geojson', data: circleFeatures(input.circles) },
    [OVERLAY_SOURCES.demos]: { type: 'geojson', data: demoFeatures(input) },
    [OVERLAY_SOURCES.belts]: { type: 'geojson', data: beltFeatures(input) },
    [OVERLAY_SOURCES.centres]: { type: 'geojson', data: centreFeatures(input.centres) },
  };
}

export type OverlayGroup = 'circles' | 'demos' | 'centres';

const is = (key: string, value: string): FilterSpecification => ['==', ['get', key], value];
const focusFilter = (kind: string, focused: boolean, focusName: string | null): FilterSpecification =>
  ['all', is('kind', kind), focused ? ['==', ['get', 'name'], focusName ?? ''] : ['!=', ['get', 'name'], focusName ?? '']] as FilterSpecification;

/** Filters that follow the tour's focus (the focused area is drawn brighter and thicker). */
export function focusFilters(focusName: string | null): Record<string, FilterSpecification> {
  const filters: Record<string, FilterSpecification> = {};
  for (const kind of ['belt', 'circle'])
    for (const focused of [false, true]) {
      filters[`screen-demo-${kind}-${focused ? 'focus' : 'rest'}-fill`] = focusFilter(kind, focused, focusName);
      filters[`screen-demo-${kind}-${focused ? 'focus' : 'rest'}-line`] = focusFilter(kind, focused, focusName);
    }
  return filters;
}

export interface OverlayLayer {
  /** The layer toggle it follows. */
  group: OverlayGroup;
  layer: LayerSpecification;
}

/** The overlay layers, bottom to top as deck drew them: circles, 示范 areas, belt routes, centres. */
export function overlayLayers(input: ScreenLayerInput): OverlayLayer[] {
  const shown = (group: OverlayGroup) => ({ visibility: input.visible[group] ? ('visible' as const) : ('none' as const) });
  const layers: (LayerSpecification & { group: OverlayGroup })[] = [];
  for (const [method, fill, line] of [
    ['buffer', [120, 170, 255, 22], [140, 180, 255, 150]],
    ['network', [90, 220, 160, 26], [90, 220, 160, 170]],
  ] as const) {
    const filter = is('method', method);
    layers.push(
      { group: 'circles', id: `screen-15min-${method}-fill`, type: 'fill', source: OVERLAY_SOURCES.circles, filter, layout: shown('circles'), paint: { 'fill-color': rgba(fill) } },
      { group: 'circles', id: `screen-15min-${method}-line`, type: 'line', source: OVERLAY_SOURCES.circles, filter, layout: shown('circles'), paint: { 'line-color': rgba(line), 'line-width': 1 } },
    );
  }
  const filters = focusFilters(input.focusName);
  for (const [kind, rest, focus] of [
    ['belt', { fill: [255, 90, 60, 36], line: [255, 110, 80, 220] }, { fill: [255, 200, 60, 70], line: [255, 230, 120, 255] }],
    ['circle', { fill: [255, 200, 60, 30], line: [255, 200, 60, 220] }, { fill: [255, 200, 60, 70], line: [255, 230, 120, 255] }],
  ] as const) {
    for (const [state, look, width] of [
      ['rest', rest, 2],
      ['focus', focus, 4],
    ] as const) {
      const id = `screen-demo-${kind}-${state}`;
      layers.push(
        { group: 'demos', id: `${id}-fill`, type: 'fill', source: OVERLAY_SOURCES.demos, filter: filters[`${id}-fill`], layout: shown('demos'), paint: { 'fill-color': rgba(look.fill) } },
        {
          group: 'demos',
          id: `${id}-line`,
          type: 'line',
          source: OVERLAY_SOURCES.demos,
          filter: filters[`${id}-line`],
          layout: { ...shown('demos'), 'line-join': 'round' },
          paint: { 'line-color': rgba(look.line), 'line-width': width },
        },
      );
    }
  }
  layers.push({
    group: 'demos',
    id: 'screen-belt-routes',
    type: 'line',
    source: OVERLAY_SOURCES.belts,
    layout: { ...shown('demos'), 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': 'rgb(255, 80, 50)', 'line-width': 5 },
  });
  // MapLibre's expression types cannot follow a spread of level/value pairs into 'match'.
  const centres = {
    id: 'screen-centres',
    type: 'circle',
    source: OVERLAY_SOURCES.centres,
    layout: { ...shown('centres'), 'circle-sort-key': ['get', 'rank'] },
    paint: {
      'circle-radius': ['match', ['get', 'level'], ...CENTRE_LEVELS.flatMap((l) => [l, CENTRE_STYLE[l].radius]), 4],
      'circle-color': ['match', ['get', 'level'], ...CENTRE_LEVELS.flatMap((l) => [l, rgba(CENTRE_STYLE[l].colour)]), '#ffffff'],
      'circle-stroke-width': 1,
      'circle-stroke-color': 'rgba(20, 10, 10, 0.902)',
    },
  } as unknown as LayerSpecification;
  layers.push({ ...centres, group: 'centres' });
  return layers.map(({ group, ...layer }) => ({ group, layer: layer as LayerSpecification }));
}
