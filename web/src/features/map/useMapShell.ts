/**
 * The one MapLibre map of every page (党建地图, 网格编辑, 大屏): creates the map
 * on the offline basemap style (mapStyle.ts), opens it where the server's config
 * says (`defaultView`, the data's extent) unless the page gives its own bounds,
 * adds the deck.gl overlay (useDeckOverlay) and the browser-test hooks
 * (testHooks.ts). Pages keep only their own layers and handlers: they bind them
 * in `setup` (once, with the instance) and `onLoad` (once the style is loaded).
 */
import type { Layer } from '@deck.gl/core';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { AppConfig } from '../../api/client';
import type { Bbox } from '../../../../kernel/bbox';
import { buildMapStyle, type BasemapConfig } from './mapStyle';
import type { ColourSpecification, StyleSpecification } from './styleTypes';
import { exposeMap, markGridsRendered } from './testHooks';
import { useDeckOverlay } from './useDeckOverlay';
import { useLatest } from './useLatest';

// The worker is bundled by Vite and served from our own origin.
maplibregl.setWorkerUrl(workerUrl);

/** Where a map opens: GET /api/config's `defaultView`, or bounds a page chose. */
export type InitialView = AppConfig['defaultView'];

/** A view that just fits `bounds` (the fit decides the zoom). */
export const viewOfBounds = (bounds: Bbox): InitialView => ({ center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2], zoom: 0, bounds });

const LOCALE = {
  'NavigationControl.ZoomIn': '放大',
  'NavigationControl.ZoomOut': '缩小',
  'NavigationControl.ResetBearing': '重置方向',
  'ScaleControl.Meters': '米',
  'ScaleControl.Kilometers': '千米',
};

export interface MapShellOptions {
  /** The map is created once this is known (and only once). */
  view: InitialView | undefined;
  /** Fit `view.bounds` with this padding (px); without it the map opens at `view.center`. */
  fitPadding?: number;
  /** Never open further out than this: too far out, jump to `view.center` at this zoom. */
  openingZoom?: number;
  basemap: BasemapConfig;
  gridColour: ColourSpecification;
  selectedCode?: string | null;
  minZoom: number;
  maxZoom: number;
  /** Zoom buttons (top left) and scale bar (bottom left). */
  controls?: boolean;
  /** Further MapLibre options (doubleClickZoom, pixelRatio, fadeDuration …). */
  mapOptions?: Partial<maplibregl.MapOptions>;
  /** deck.gl layers drawn over the map. */
  deckLayers: Layer[];
  /** deck.gl's device pixel ratio (a scaled big screen renders sharper). */
  deckPixelRatio?: number;
  /**
   * The page's own layers and settings, written into the style the map is created with. Set there
   * rather than after 'load': every layer added, filter or layout changed on a loaded map makes
   * MapLibre re-parse its source's tiles and draw again, and on a software-rendered big screen each
   * extra frame costs most of a second.
   */
  adjustStyle?: (style: StyleSpecification) => StyleSpecification;
  /** Binds the page's handlers once, right after the map is created; may return a cleanup. */
  setup?: (map: maplibregl.Map) => (() => void) | undefined;
  /** Once the style is loaded: the page's own sources and layers. */
  onLoad?: (map: maplibregl.Map) => void;
  onError?: (event: maplibregl.ErrorEvent) => void;
  onIdle?: (map: maplibregl.Map) => void;
  /** The map, from 'load' on (style setters need a loaded style), and null when it is gone. */
  onMapReady?: (map: maplibregl.Map | null) => void;
}

export interface MapShell {
  /** Put on the element the map fills. */
  containerRef: RefObject<HTMLDivElement | null>;
  /** The loaded map, or null before 'load' and after unmount. */
  map: maplibregl.Map | null;
  /**
   * The map from 'style.load' on: its sources and layers exist, its tiles may still be loading.
   * For work that should land in the first frames with the tiles rather than in frames of its own
   * after 'load' (the screen's heat image): on a software-rendered wall each frame costs ~0.5 s.
   */
  styledMap: maplibregl.Map | null;
}

export function useMapShell(options: MapShellOptions): MapShell {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [styledMap, setStyledMap] = useState<maplibregl.Map | null>(null);
  // The instance from its creation: the deck.gl overlay starts then (its own canvas: shaders and
  // the text atlas are built while the tiles load, not after the map's first complete frame).
  const [created, setCreated] = useState<maplibregl.Map | null>(null);
  const latest = useLatest(options);
  const ready = options.view !== undefined;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once, when the server's default view arrives (`ready`); it reads the options through `latest`, and the pages' effects apply later changes to `map`
  useEffect(() => {
    const container = containerRef.current;
    const o = latest.current;
    const view = o.view;
    if (!container || !view) return;
    const fit = o.fitPadding !== undefined && view.bounds ? view.bounds : undefined;
    const style = buildMapStyle({ origin: window.location.origin, basemap: o.basemap, gridColour: o.gridColour, selectedCode: o.selectedCode ?? null });
    const instance = new maplibregl.Map({
      container,
      style: o.adjustStyle?.(style) ?? style,
      center: view.center,
      zoom: Math.max(view.zoom, o.openingZoom ?? 0),
      bounds: fit,
      fitBoundsOptions: fit ? { padding: o.fitPadding } : undefined,
      minZoom: o.minZoom,
      maxZoom: o.maxZoom,
      dragRotate: false,
      pitchWithRotate: false,
      attributionControl: o.basemap.kind === 'raster' ? { compact: true } : false,
      locale: LOCALE,
      ...o.mapOptions,
    });
    // Fit the whole area first, then come in far enough for what the page shows.
    if (o.openingZoom !== undefined && instance.getZoom() < o.openingZoom) instance.jumpTo({ center: view.center, zoom: o.openingZoom });
    instance.touchZoomRotate.disableRotation();
    if (o.controls !== false) {
      instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
      instance.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    }
    const unexpose = exposeMap(instance);
    setCreated(instance);
    const teardown = o.setup?.(instance);

    instance.on('idle', () => {
      markGridsRendered(instance);
      latest.current.onIdle?.(instance);
    });
    instance.on('error', (e) => {
      console.error('地图错误', e.error);
      latest.current.onError?.(e);
    });
    instance.once('style.load', () => setStyledMap(instance));
    instance.once('load', () => {
      setStyledMap(instance);
      latest.current.onLoad?.(instance);
      setMap(instance);
      latest.current.onMapReady?.(instance);
    });
    return () => {
      latest.current.onMapReady?.(null);
      teardown?.();
      unexpose();
      setMap(null);
      setStyledMap(null);
      setCreated(null);
      instance.remove();
    };
    // Created once; the pages' effects apply later changes to `map`.
  }, [ready, latest]);

  useDeckOverlay(created, options.deckLayers, options.deckPixelRatio);
  return { containerRef, map, styledMap };
}
