/**
 * The map of 选址分析: existing facilities coloured by kind (legend beside), the
 * candidates' walking circles and points; a click drops a candidate of the chosen kind.
 */
import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import { useMemo } from 'react';
import { FACILITY_KIND_INFO, FACILITY_KINDS, type FacilityKind } from '../../../../kernel/facilityKinds';
import type { Config } from '../../api/queries';
import { useLatest } from '../map/useLatest';
import { useMapShell } from '../map/useMapShell';
import type { DraftCandidate, Facilities, WhatIfAnswer } from './sitingApi';

const rgb = (hex: string): [number, number, number] => [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];

export interface SitingMapProps {
  config: Config;
  facilities: Facilities['features'];
  candidates: DraftCandidate[];
  circles: WhatIfAnswer['circles'];
  suggested: [number, number][];
  onDrop: (position: [number, number]) => void;
}

export function SitingMap({ config, facilities, candidates, circles, suggested, onDrop }: SitingMapProps) {
  const latest = useLatest({ onDrop });
  const deckLayers = useMemo<Layer[]>(
    () => [
      new GeoJsonLayer({
        id: 'siting-circles',
        data: { type: 'FeatureCollection', features: circles.map((c) => ({ type: 'Feature', geometry: JSON.parse(c.geometry), properties: { kind: c.kind } })) } as never,
        getFillColor: (f: { properties: { kind: FacilityKind } }) => [...rgb(FACILITY_KIND_INFO[f.properties.kind].colour), 60],
        getLineColor: (f: { properties: { kind: FacilityKind } }) => [...rgb(FACILITY_KIND_INFO[f.properties.kind].colour), 220],
        lineWidthMinPixels: 2,
      }),
      new ScatterplotLayer<Facilities['features'][number]>({
        id: 'siting-facilities',
        data: facilities,
        getPosition: (f) => f.geometry.coordinates,
        getFillColor: (f) => [...rgb(FACILITY_KIND_INFO[f.properties.kind].colour), 230],
        getLineColor: [255, 255, 255, 220],
        getRadius: 5,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        stroked: true,
      }),
      new ScatterplotLayer<[number, number]>({
        id: 'siting-suggested',
        data: suggested,
        getPosition: (p) => p,
        getFillColor: [255, 255, 255, 0],
        getLineColor: [20, 120, 255, 255],
        getRadius: 11,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
        stroked: true,
        filled: false,
      }),
      new ScatterplotLayer<DraftCandidate>({
        id: 'siting-candidates',
        data: candidates,
        getPosition: (c) => c.position,
        getFillColor: (c) => [...rgb(FACILITY_KIND_INFO[c.kind].colour), 255],
        getLineColor: [0, 0, 0, 255],
        getRadius: 9,
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        getLineWidth: 2,
        stroked: true,
      }),
    ],
    [facilities, candidates, circles, suggested],
  );
  const { containerRef } = useMapShell({
    view: config.defaultView,
    fitPadding: 24,
    openingZoom: 12,
    basemap: config.basemap,
    gridColour: '#3a5378',
    minZoom: 8,
    maxZoom: 19,
    deckLayers,
    setup: (instance) => {
      instance.getCanvas().style.cursor = 'crosshair';
      instance.on('click', (e) => latest.current.onDrop([e.lngLat.lng, e.lngLat.lat]));
      return undefined;
    },
  });
  return (
    <div className="siting-map">
      <div ref={containerRef} className="map-canvas" role="region" aria-label="选址地图（点击放置候选点）" data-testid="siting-map" />
      <ul className="siting-legend" aria-label="阵地类型图例">
        {FACILITY_KINDS.map((k) => (
          <li key={k}>
            <span className="siting-swatch" style={{ background: FACILITY_KIND_INFO[k].colour }} />
            {FACILITY_KIND_INFO[k].label}
          </li>
        ))}
      </ul>
    </div>
  );
}
