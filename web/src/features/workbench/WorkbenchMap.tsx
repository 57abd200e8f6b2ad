/**
 * The map of the list: the shared map shell with the inbox's incidents as points
 * coloured by deadline status (green/amber/red), the open one ringed. Clicking a
 * point opens it; while reporting (`picking`), a click anywhere places the new
 * incident and names the grid under it.
 */
import type { Layer, PickingInfo } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { useEffect, useMemo, useRef } from 'react';
import type { Config } from '../../api/queries';
import { LAYER } from '../map/mapStyle';
import { useLatest } from '../map/useLatest';
import { useMapShell } from '../map/useMapShell';
import { type DeadlineTone, toneAt } from './countdown';
import type { InboxItem } from './workbenchApi';

const TONE_COLOURS: Record<DeadlineTone, [number, number, number]> = { ok: [67, 190, 110], amber: [255, 179, 0], red: [235, 64, 64], none: [150, 163, 189] };

/** Grids in a neutral tone: on this page the points carry the colour. */
const GRID_COLOUR = '#3a5378';

export interface WorkbenchMapProps {
  config: Config;
  items: InboxItem[];
  /** The clock of the countdowns (a point turns red when its deadline passes). */
  now: number;
  openId: number | null;
  /** Where the new incident goes, once picked. */
  pickedAt: [number, number] | null;
  picking: boolean;
  onOpen: (id: number) => void;
  onPick: (lngLat: [number, number], gridCode: string | null) => void;
  /** Changes when the list is a different one (tab, filters): the map fits it once ('' while the list is still the previous one). */
  fitKey: string;
}

type Point = { id: number; position: [number, number]; tone: DeadlineTone };

export function WorkbenchMap({ config, items, now, openId, pickedAt, picking, onOpen, onPick, fitKey }: WorkbenchMapProps) {
  const latest = useLatest({ onOpen, onPick, picking });
  // Tones change at minute granularity at most: recompute the points when a tone does, not every second.
  const minute = Math.floor(now / 60_000);
  const points = useMemo<Point[]>(
    () =>
      items
        .filter((i) => i.lon !== null && i.lat !== null)
        .map((i) => ({ id: i.id, position: [Number(i.lon), Number(i.lat)], tone: i.stage === 'close' || i.stage === 'evaluate' ? 'none' : toneAt(i.deadline.at, i.deadline.level, minute * 60_000) })),
    [items, minute],
  );

  const deckLayers = useMemo(() => {
    const layers: Layer[] = [
      new ScatterplotLayer<Point>({
        id: 'workbench-incidents',
        data: points,
        getPosition: (p) => p.position,
        getFillColor: (p) => [...TONE_COLOURS[p.tone], 230],
        getLineColor: (p) => (p.id === openId ? [255, 255, 255, 255] : [10, 16, 28, 200]),
        getLineWidth: (p) => (p.id === openId ? 3 : 1),
        getRadius: (p) => (p.id === openId ? 10 : 7),
        radiusUnits: 'pixels',
        lineWidthUnits: 'pixels',
        stroked: true,
        pickable: !picking,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 90],
        onClick: (info: PickingInfo<Point>) => {
          if (info.object) latest.current.onOpen(info.object.id);
          return true;
        },
        updateTriggers: { getLineColor: [openId], getLineWidth: [openId], getRadius: [openId] },
      }),
    ];
    if (pickedAt)
      layers.push(
        new ScatterplotLayer<{ position: [number, number] }>({
          id: 'workbench-new-incident',
          data: [{ position: pickedAt }],
          getPosition: (p) => p.position,
          getFillColor: [108, 180, 255, 255],
          getLineColor: [255, 255, 255, 255],
          getRadius: 9,
          radiusUnits: 'pixels',
          lineWidthUnits: 'pixels',
          getLineWidth: 2,
          stroked: true,
        }),
      );
    return layers;
  }, [points, openId, picking, pickedAt, latest]);

  const { containerRef, map } = useMapShell({
    view: config.defaultView,
    fitPadding: 24,
    openingZoom: 12,
    basemap: config.basemap,
    gridColour: GRID_COLOUR,
    minZoom: 8,
    maxZoom: 19,
    deckLayers,
    setup: (instance) => {
      instance.on('click', (e) => {
        if (!latest.current.picking) return;
        const hit = instance.getLayer(LAYER.gridFill) ? instance.queryRenderedFeatures(e.point, { layers: [LAYER.gridFill] })[0]?.properties.code : undefined;
        latest.current.onPick([e.lngLat.lng, e.lngLat.lat], hit == null ? null : String(hit));
      });
      return undefined;
    },
  });

  useEffect(() => {
    if (map) map.getCanvas().style.cursor = picking ? 'crosshair' : '';
  }, [map, picking]);

  // Fit each new list once (not on every refresh, which would fight the user's panning).
  const fitted = useRef('');
  useEffect(() => {
    if (!map || fitKey === '' || points.length === 0 || fitted.current === fitKey) return;
    fitted.current = fitKey;
    let [w, s, e, n] = [180, 90, -180, -90];
    for (const p of points) {
      w = Math.min(w, p.position[0]);
      e = Math.max(e, p.position[0]);
      s = Math.min(s, p.position[1]);
      n = Math.max(n, p.position[1]);
    }
    map.fitBounds([w, s, e, n], { padding: 60, maxZoom: 16, duration: 0 });
    map.getContainer().dataset.fitted = fitKey;
  }, [map, points, fitKey]);

  // Bring the open incident into view.
  useEffect(() => {
    if (!map || openId === null) return;
    const p = points.find((x) => x.id === openId);
    if (p && !map.getBounds().contains(p.position)) map.easeTo({ center: p.position, duration: 400 });
  }, [map, openId, points]);

  return (
    <div className="wb-map">
      <div ref={containerRef} className="map-canvas" role="region" aria-label="事件地图" data-testid="workbench-map" />
      {picking && (
        <div className="wb-map-hint" role="status">
          在地图上点击事件位置
        </div>
      )}
      <div className="wb-map-legend" role="group" aria-label="图例">
        <span>
          <i style={{ background: 'rgb(67 190 110)' }} />
          正常
        </span>
        <span>
          <i style={{ background: 'rgb(255 179 0)' }} />
          临期
        </span>
        <span>
          <i style={{ background: 'rgb(235 64 64)' }} />
          超期
        </span>
      </div>
    </div>
  );
}
