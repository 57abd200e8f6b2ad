/**
 * The MapLibre map: offline basemap, grids coloured by street, hover and
 * selection, and deck.gl labels on top. The parent owns the selection; the map
 * reports clicks and hands its instance up for camera moves (tree, search).
 */
import type * as maplibregl from 'maplibre-gl';
import type { Layer } from '@deck.gl/core';
import { useEffect, useMemo, useState } from 'react';
import type { Config, RegionTreeNode } from '../../api/queries';
import { errorMessage } from '../../api/queries';
import { EXCLUSIVE_SOURCE, withGridLevels } from './levelLayers';
import { GRID_SOURCE, GRID_SOURCE_LAYER, LAYER, selectedGridFilter } from './mapStyle';
import type { ColourSpecification } from './styleTypes';
import { useMapLabels } from './useMapLabels';
import { useLatest } from './useLatest';
import { useMapShell } from './useMapShell';
import { useViewport } from './useViewport';

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
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const [mapError, setMapError] = useState<string | null>(null);
  // Latest callbacks without re-creating the map when the parent re-renders.
  const onGridClickRef = useLatest(onGridClick);
  // The labels follow the viewport and go into the shell's overlay, so the map reaches them through this state.
  const [viewportMap, setViewportMap] = useState<maplibregl.Map | null>(null);
  const viewport = useViewport(viewportMap);
  const { layers, gridsError } = useMapLabels(roots, viewport);
  const deckLayers = useMemo(() => [...overlayLayers, ...layers], [overlayLayers, layers]);

  const { containerRef, map } = useMapShell({
    view: config.defaultView,
    // Fit the whole area first, then come in far enough for the grids to be visible.
    fitPadding: 24,
    openingZoom: INITIAL_MIN_ZOOM,
    basemap: config.basemap,
    gridColour,
    selectedCode,
    minZoom: 8,
    maxZoom: 19,
    deckLayers,
    // 微网格 (z15+) and 专属网格 (z11+) over the base grids.
    adjustStyle: withGridLevels,
    onMapReady: (m) => {
      setViewportMap(m);
      onMapReady(m);
    },
    onError: (e) => {
      const sourceId = (e as { sourceId?: string }).sourceId;
      const what = sourceId === GRID_SOURCE ? '网格瓦片' : sourceId === EXCLUSIVE_SOURCE ? '专属网格瓦片' : sourceId === 'base' ? '底图瓦片' : sourceId === 'raster' ? '外部底图' : '地图';
      setMapError(`${what}加载失败：${errorMessage(e.error)}`);
    },
    setup: (instance) => {
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
      // Tile errors are usually transient: the message stays until the next camera move retries.
      instance.on('movestart', () => setMapError(null));
    },
  });

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
    for (const id of [LAYER.gridFill, LAYER.areaFill]) map.setPaintProperty(id, 'fill-color', gridColour);
    for (const id of [LAYER.gridOutline, LAYER.areaOutline]) map.setPaintProperty(id, 'line-color', gridColour);
  }, [map, gridColour]);

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
        <div className="map-zoom" role="group" aria-label="当前缩放级别">
          缩放 {viewport.zoom.toFixed(1)}
        </div>
      )}
    </div>
  );
}
