/**
 * deck.gl layers for walking isochrones (GET /api/coverage/isochrones): network
 * circles filled by centre level, larger minutes drawn first so shorter walks sit
 * on top; straight-line fallbacks (`method: 'buffer'`) filled grey-ish, outlined
 * with dashes and labelled so nobody mistakes them for a walk along roads.
 */
import type { Layer } from '@deck.gl/core';
import { PathLayer, PolygonLayer, TextLayer } from '@deck.gl/layers';
import type { IsochroneFeature } from '../../../../server/coverage/isochrones';
import { LABEL_FONT } from '../map/labelLayers';
import { BUFFER_LABEL, dashedRing, isochroneFill, isochroneOutline, northernmost } from './isochroneStyle';

type Position = [number, number];

/** What the layers read of a feature of GET /api/coverage/isochrones (the server's own type). */
export type IsochroneFeatureLike = Pick<IsochroneFeature, 'geometry'> & {
  properties: Pick<IsochroneFeature['properties'], 'centreId' | 'centreName' | 'level' | 'minutes' | 'method'>;
};

interface PolygonDatum {
  polygon: GeoJSON.Position[][];
  properties: IsochroneFeatureLike['properties'];
}

export interface IsochroneLayerOptions {
  /** Prefix for layer ids, so several sets can coexist. */
  id?: string;
  /** Centre to emphasise (thicker outline); others are drawn normally. */
  highlightCentreId?: number | null;
  pickable?: boolean;
}

function polygons(features: readonly IsochroneFeatureLike[]): PolygonDatum[] {
  // Longest walks first: deck draws data in order, so the 5-minute band ends on top.
  const sorted = [...features].sort((a, b) => b.properties.minutes - a.properties.minutes);
  return sorted.flatMap((f) => f.geometry.coordinates.map((polygon) => ({ polygon, properties: f.properties })));
}

export function isochroneLayers(features: readonly IsochroneFeatureLike[], options: IsochroneLayerOptions = {}): Layer[] {
  const id = options.id ?? 'isochrones';
  const all = polygons(features);
  const network = all.filter((p) => p.properties.method === 'network');
  const buffer = all.filter((p) => p.properties.method === 'buffer');
  const highlight = options.highlightCentreId ?? null;
  const dashes = buffer.flatMap((p) => p.polygon.flatMap((ring) => dashedRing(ring, 60, 40)).map((path) => ({ path, properties: p.properties })));
  const labels = features
    .filter((f) => f.properties.method === 'buffer')
    .map((f) => ({ position: northernmost(f.geometry.coordinates.flat()), text: `${f.properties.centreName} ${f.properties.minutes} 分钟 · ${BUFFER_LABEL}` }))
    .filter((l): l is { position: Position; text: string } => l.position !== null);

  return [
    new PolygonLayer<PolygonDatum>({
      id: `${id}-network`,
      data: network,
      getPolygon: (d) => d.polygon,
      getFillColor: (d) => isochroneFill(d.properties.level, d.properties.minutes),
      getLineColor: (d) => isochroneOutline(d.properties.level),
      getLineWidth: (d) => (d.properties.centreId === highlight ? 3 : 1),
      lineWidthUnits: 'pixels',
      stroked: true,
      filled: true,
      pickable: options.pickable ?? true,
      updateTriggers: { getLineWidth: highlight },
    }),
    new PolygonLayer<PolygonDatum>({
      id: `${id}-buffer-fill`,
      data: buffer,
      getPolygon: (d) => d.polygon,
      getFillColor: (d) => {
        const [r, g, b, a] = isochroneFill(d.properties.level, d.properties.minutes);
        return [Math.round((r + 160) / 2), Math.round((g + 160) / 2), Math.round((b + 160) / 2), Math.round(a * 0.6)];
      },
      stroked: false,
      filled: true,
      pickable: options.pickable ?? true,
    }),
    new PathLayer<{ path: Position[]; properties: PolygonDatum['properties'] }>({
      id: `${id}-buffer-dashes`,
      data: dashes,
      getPath: (d) => d.path,
      getColor: (d) => isochroneOutline(d.properties.level),
      getWidth: (d) => (d.properties.centreId === highlight ? 3 : 2),
      widthUnits: 'pixels',
      updateTriggers: { getWidth: highlight },
    }),
    new TextLayer<{ position: Position; text: string }>({
      id: `${id}-buffer-labels`,
      data: labels,
      getPosition: (d) => d.position,
      getText: (d) => d.text,
      characterSet: 'auto',
      fontFamily: LABEL_FONT,
      getSize: 13,
      getColor: [60, 60, 60, 255],
      getPixelOffset: [0, -10],
      background: true,
      getBackgroundColor: [255, 255, 255, 220],
      backgroundPadding: [4, 2],
    }),
  ];
}
