/**
 * deck.gl layers of the screen map: 15-minute circles (or their labelled
 * straight-line fallback), 示范带/示范圈, service centres by level and text labels
 * (MapLibre has no glyphs offline). The incident heat is a MapLibre layer (./heatLayer.ts).
 */
import type { Layer } from '@deck.gl/core';
import { PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { HeatPoint } from '../incidents/incidentQueries';
import { LABEL_FONT } from '../map/labelLayers';
import { CENTRE_LEVELS, CENTRE_STYLE, type Rgba } from './centreStyle';
import type { DemoBelt, DemoCircle, ScreenCentre } from './screenApi';

export interface CircleArea {
  polygon: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  method: 'network' | 'buffer';
}

export interface ScreenLayerInput {
  centres: ScreenCentre[];
  circles: CircleArea[];
  belts: DemoBelt[];
  demoCircles: DemoCircle[];
  heat: { points: HeatPoint[]; max: number } | null;
  visible: LayerVisibility;
  focusName: string | null;
  draft: { path: [number, number][]; area: GeoJSON.Polygon | null } | null;
}

export interface LayerVisibility {
  centres: boolean;
  circles: boolean;
  demos: boolean;
  heatmap: boolean;
}

/** Polygon rings for deck's PolygonLayer (one entry per polygon of a multipolygon). */
function polygons(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): GeoJSON.Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** Rough centre of an area's first polygon's outer ring, for its label. */
export function areaLabelPoint(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): [number, number] {
  const ring = polygons(g)[0]?.[0] ?? [];
  let x = 0;
  let y = 0;
  for (const p of ring) {
    x += p[0]!;
    y += p[1]!;
  }
  return ring.length ? [x / ring.length, y / ring.length] : [0, 0];
}

export function buildScreenLayers(input: ScreenLayerInput): Layer[] {
  const { visible } = input;
  const layers: Layer[] = [];
  if (visible.circles && input.circles.length > 0) {
    const rings = input.circles.flatMap((c) => polygons(c.polygon).map((p) => ({ p, method: c.method })));
    layers.push(
      new PolygonLayer<{ p: GeoJSON.Position[][]; method: string }>({
        id: 'screen-15min',
        data: rings,
        getPolygon: (d) => d.p as unknown as number[][][],
        getFillColor: (d) => (d.method === 'buffer' ? [120, 170, 255, 22] : [90, 220, 160, 26]),
        getLineColor: (d) => (d.method === 'buffer' ? [140, 180, 255, 150] : [90, 220, 160, 170]),
        getLineWidth: 1,
        lineWidthUnits: 'pixels',
        stroked: true,
        filled: true,
        pickable: false,
      }),
    );
  }
  if (visible.demos) {
    const areas = [...input.belts.map((b) => ({ name: b.name, area: b.area, kind: 'belt' as const })), ...input.demoCircles.map((c) => ({ name: c.name, area: c.area, kind: 'circle' as const }))];
    const rings = areas.flatMap((a) => polygons(a.area).map((p) => ({ p, name: a.name, kind: a.kind })));
    layers.push(
      new PolygonLayer<(typeof rings)[number]>({
        id: 'screen-demo-areas',
        data: rings,
        getPolygon: (d) => d.p as unknown as number[][][],
        getFillColor: (d) => (d.name === input.focusName ? [255, 200, 60, 70] : d.kind === 'belt' ? [255, 90, 60, 36] : [255, 200, 60, 30]),
        getLineColor: (d) => (d.name === input.focusName ? [255, 230, 120, 255] : d.kind === 'belt' ? [255, 110, 80, 220] : [255, 200, 60, 220]),
        getLineWidth: (d) => (d.name === input.focusName ? 4 : 2),
        lineWidthUnits: 'pixels',
        updateTriggers: { getFillColor: [input.focusName], getLineColor: [input.focusName], getLineWidth: [input.focusName] },
        pickable: false,
      }),
      new PathLayer<{ path: GeoJSON.Position[] }>({
        id: 'screen-belt-routes',
        data: input.belts.flatMap((b) => b.route.coordinates.map((path) => ({ path }))),
        getPath: (d) => d.path as unknown as [number, number][],
        getColor: [255, 80, 50, 255],
        getWidth: 5,
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
      }),
    );
    const labels = areas.map((a) => ({ text: a.name, position: areaLabelPoint(a.area) }));
    if (labels.length) layers.push(textLayer('screen-demo-labels', labels, 20, [255, 226, 150, 255]));
  }
  if (visible.centres && input.centres.length > 0) {
    // Bigger levels last, so they are drawn on top.
    const ordered = [...input.centres].sort((a, b) => CENTRE_LEVELS.indexOf(b.level) - CENTRE_LEVELS.indexOf(a.level));
    layers.push(
      new ScatterplotLayer<ScreenCentre>({
        id: 'screen-centres',
        data: ordered,
        getPosition: (c) => c.position,
        getRadius: (c) => CENTRE_STYLE[c.level].radius,
        radiusUnits: 'pixels',
        getFillColor: (c) => CENTRE_STYLE[c.level].colour,
        getLineColor: [20, 10, 10, 230],
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
        stroked: true,
      }),
    );
    const named = input.centres.filter((c) => c.level === 'city' || c.level === 'district' || c.level === 'street');
    if (named.length)
      layers.push(
        textLayer(
          'screen-centre-labels',
          named.map((c) => ({ text: c.name.replace('党群服务中心', ''), position: [c.position[0], c.position[1]] as [number, number], offset: true })),
          14,
          [255, 235, 235, 255],
        ),
      );
  }
  if (input.draft) {
    if (input.draft.area) {
      layers.push(
        new PolygonLayer({
          id: 'screen-draft-area',
          data: [{ p: input.draft.area.coordinates }],
          getPolygon: (d: { p: GeoJSON.Position[][] }) => d.p as unknown as number[][][],
          getFillColor: [80, 200, 255, 50],
          getLineColor: [80, 200, 255, 255],
          getLineWidth: 2,
          lineWidthUnits: 'pixels',
        }),
      );
    }
    if (input.draft.path.length > 0) {
      layers.push(
        new PathLayer({ id: 'screen-draft-path', data: [{ path: input.draft.path }], getPath: (d: { path: [number, number][] }) => d.path, getColor: [80, 200, 255, 255], getWidth: 4, widthUnits: 'pixels' }),
        new ScatterplotLayer({ id: 'screen-draft-points', data: input.draft.path, getPosition: (p: [number, number]) => p, getRadius: 5, radiusUnits: 'pixels', getFillColor: [255, 255, 255, 255] }),
      );
    }
  }
  return layers;
}

function textLayer(id: string, data: { text: string; position: [number, number]; offset?: boolean }[], size: number, colour: Rgba) {
  return new TextLayer<{ text: string; position: [number, number]; offset?: boolean }>({
    id,
    data,
    characterSet: 'auto',
    fontFamily: LABEL_FONT,
    fontWeight: 700,
    fontSettings: { sdf: true, fontSize: 64, buffer: 10, radius: 16 },
    outlineWidth: 5,
    outlineColor: [8, 10, 20, 235],
    getPosition: (d) => d.position,
    getText: (d) => d.text,
    getSize: size,
    sizeUnits: 'pixels',
    getColor: colour,
    getPixelOffset: (d) => (d.offset ? [0, -16] : [0, 0]),
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
  });
}
