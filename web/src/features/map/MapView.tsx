/**
 * The MapLibre map: offline basemap, grids coloured by street, hover and
 * selection, and deck.gl labels on top. The parent owns the selection; the map
 * reports clicks and hands its instance up for camera moves (tree, search).
 */
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Layer } from '@deck.gl/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Config, RegionTreeNode } from '../../api/queries';
import { errorMessage } from '../../api/queries';
import { GRID_SOURCE, GRID_SOURCE_LAYER, LAYER, buildMapStyle, selectedGridFilter } from './mapStyle';
import type { ColourSpecification } from './styleTypes';
import { exposeMap, markGridsRendered } from './testHooks';
import { useDeckOverlay } from './useDeckOverlay';
import { useMapLabels } from './useMapLabels';
import { useViewport } from './useViewport';

// The worker is bundled by Vite and served from our own origin.
maplibregl.setWorkerUrl(workerUrl);

/** Close enough that grids (z ≥ 12) and community labels show on first load. */
export const INITIAL_MIN_ZOOM = 13;

interface HoverInfo {
  x: number;
  y: number;
  code: string;
  name: string;
}

export interface MapViewProps {
  config: Config;
  roots: RegionTreeNode[];
  gridColour: ColourSpecification;
  selectedCode: string | null;
  /** Integer feature id of the selected grid, once known (for feature-state). */
  selectedId: number | null;
  /** `lngLat` is where the user clicked, so the parent can keep it clear of the panel. */
  onGridClick: (code: string, lngLat: [number, number]) => void;
  onMapReady: (map: maplibregl.Map | null) => void;
  /** Thematic deck.gl layers (incidents, service circles) drawn beneath the labels. */
  overlayLayers?: Layer[];
}

const NO_LAYERS: Layer[] = [];

const gridFeature = (id: number) => ({ source: GRID_SOURCE, sourceLayer: GRID_SOURCE_LAYER, id });

export function MapView({ config, roots, gridColour, selectedCode, selectedId, onGridClick, onMapReady, overlayLayers = NO_LAYERS }: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const [mapError, setMapError] = useState<string | null>(null);
  // Latest callbacks without re-creating the map when the parent re-renders.
  const onGridClickRef = useRef(onGridClick);
  onGridClickRef.current = onGridClick;

  const city = roots[0];

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const instance = new maplibregl.Map({
      container,
      style: buildMapStyle({ origin: window.location.origin, basemap: config.basemap, gridColour, selectedCode }),
      bounds: city?.bbox,
      fitBoundsOptions: { padding: 24 },
      center: city ? undefined : [110.155, 22.64],
      zoom: city ? undefined : INITIAL_MIN_ZOOM,
      minZoom: 8,
      maxZoom: 19,
      dragRotate: false,
      pitchWithRotate: false,
      attributionControl: config.basemap.kind === 'raster' ? { compact: true } : false,
      locale: {
        'NavigationControl.ZoomIn': '放大',
        'NavigationControl.ZoomOut': '缩小',
        'NavigationControl.ResetBearing': '重置方向',
        'ScaleControl.Meters': '米',
        'ScaleControl.Kilometers': '千米',
      },
    });
    // Fit the whole city first, then come in far enough for the grids to be visible.
    if (instance.getZoom() < INITIAL_MIN_ZOOM) instance.jumpTo({ center: city ? city.label : instance.getCenter(), zoom: INITIAL_MIN_ZOOM });
    instance.touchZoomRotate.disableRotation();
    // Top-left: the right edge is taken by the grid panel when it is open.
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    instance.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');

    let hoveredId: number | null = null;
    const setHovered = (id: number | null) => {
      if (hoveredId === id) return;
      if (hoveredId !== null) instance.setFeatureState(gridFeature(hoveredId), { hover: false });
      hoveredId = id;
      if (id !== null) instance.setFeatureState(gridFeature(id), { hover: true });
    };
    instance.on('mousemove', LAYER.gridFill, (e) => {
      const f = e.features?.[0];
      if (!f || typeof f.id !== 'number') return;
      setHovered(f.id);
      instance.getCanvas().style.cursor = 'pointer';
      setHover({ x: e.point.x, y: e.point.y, code: String(f.properties.code), name: String(f.properties.name) });
    });
    const clearHover = () => {
      setHovered(null);
      instance.getCanvas().style.cursor = '';
      setHover(null);
    };
    instance.on('mouseleave', LAYER.gridFill, clearHover);
    // A camera move (fly-to, keyboard) slides a different grid under a still pointer.
    instance.on('movestart', clearHover);
    instance.on('click', LAYER.gridFill, (e) => {
      const code = e.features?.[0]?.properties.code;
      if (code != null) onGridClickRef.current(String(code), e.lngLat.toArray());
    });
    instance.on('idle', () => markGridsRendered(instance));
    instance.on('error', (e) => {
      console.error('地图错误', e.error);
      const sourceId = (e as { sourceId?: string }).sourceId;
      const what = sourceId === GRID_SOURCE ? '网格瓦片' : sourceId === 'base' ? '底图瓦片' : sourceId === 'raster' ? '外部底图' : '地图';
      setMapError(`${what}加载失败：${errorMessage(e.error)}`);
    });
    // Tile errors are usually transient: the message stays until the next camera move retries.
    instance.on('movestart', () => setMapError(null));

    const unexpose = exposeMap(instance);
    // Style setters (filter, paint, feature-state) need a loaded style, so the map is shared from 'load' on.
    instance.once('load', () => {
      setMap(instance);
      onMapReady(instance);
    });
    return () => {
      onMapReady(null);
      unexpose();
      setMap(null);
      instance.remove();
    };
    // The map is created once; later prop changes are applied by the effects below.
  }, []);

  useEffect(() => {
    if (!map) return;
    map.setFilter(LAYER.gridSelected, selectedGridFilter(selectedCode));
  }, [map, selectedCode]);

  useEffect(() => {
    if (!map || selectedId === null) return;
    map.setFeatureState(gridFeature(selectedId), { selected: true });
    return () => {
      // The map may already be gone when the component unmounts.
      if (map.getSource(GRID_SOURCE)) map.setFeatureState(gridFeature(selectedId), { selected: false });
    };
  }, [map, selectedId]);

  useEffect(() => {
    if (!map) return;
    map.setPaintProperty(LAYER.gridFill, 'fill-color', gridColour);
    map.setPaintProperty(LAYER.gridOutline, 'line-color', gridColour);
  }, [map, gridColour]);

  const viewport = useViewport(map);
  const { layers, gridsError } = useMapLabels(roots, viewport);
  const deckLayers = useMemo(() => [...overlayLayers, ...layers], [overlayLayers, layers]);
  useDeckOverlay(map, deckLayers);

  const status = mapError ?? (gridsError ? `网格编码标注加载失败：${errorMessage(gridsError)}` : null);
  return (
    <div className="map-view">
      <div ref={containerRef} className="map-canvas" role="region" aria-label="网格地图" />
      {hover && (
        <div className="map-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} aria-hidden="true">
          <div className="map-tooltip-name">{hover.name}</div>
          <div className="map-tooltip-code">{hover.code}</div>
        </div>
      )}
      {status && (
        <div className="map-status" role="status">
          {status}
        </div>
      )}
      {viewport && (
        <div className="map-zoom" aria-label="当前缩放级别">
          缩放 {viewport.zoom.toFixed(1)}
        </div>
      )}
    </div>
  );
}
