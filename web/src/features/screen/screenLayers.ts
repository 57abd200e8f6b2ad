/**
 * deck.gl layers of the screen map: the text labels of 示范带/示范圈 and of the bigger
 * service centres (MapLibre has no glyphs offline) and the admin's draft. The circles,
 * areas, routes and centre dots are MapLibre layers (./screenOverlays.ts), as is the
 * incident heat (./heatLayer.ts).
 */
import type { Layer } from '@deck.gl/core';
import { PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { HeatPoint } from '../incidents/incidentQueries';
import { LABEL_FONT } from '../map/labelLayers';
import type { Rgba } from './centreStyle';
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
  if (visible.demos) {
    const labels = [...input.belts, ...input.demoCircles].map((a) => ({ text: a.name, position: areaLabelPoint(a.area) }));
    if (labels.length) layers.push(textLayer('screen-demo-labels', labels, 20, [255, 226, 150, 255]));
  }
  if (visible.centres) {
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
