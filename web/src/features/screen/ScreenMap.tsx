/**
 * The central map of the screen: grids coloured by star rating (or coverage),
 * the selected region outlined, member communities of 示范带/示范圈 highlighted
 * (MapLibre layers on the offline basemap) and deck.gl layers on top.
 * Only the offline basemap is used, whatever the server config says: the screen must work without the internet.
 * The map itself, its overlay and test hooks come from the shared shell (map/useMapShell).
 * Loaded lazily by ScreenPage: MapLibre and deck.gl are most of the screen's code.
 */
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { useConfig } from '../../api/queries';
import { LAYER, selectedGridFilter } from '../map/mapStyle';
import type { ColourSpecification, FilterSpecification, LayerSpecification, StyleSpecification } from '../map/styleTypes';
import { useLatest } from '../map/useLatest';
import { useMapShell, viewOfBounds } from '../map/useMapShell';
import { exposeHeat, HEAT_LAYER, HEAT_SOURCE, heatArea, heatImageFits, heatLayer, heatSource, screenHeat } from './heatLayer';
import { buildScreenLayers, type ScreenLayerInput } from './screenLayers';
import { beltFeatures, centreFeatures, circleFeatures, demoFeatures, focusFilters, OVERLAY_SOURCES, overlayLayers, overlaySources, type OverlayGroup } from './screenOverlays';

const REGION_OUTLINE = 'screen-region-outline';
const MEMBER_FILL = 'screen-member-fill';
const MEMBER_LINE = 'screen-member-line';

export interface ScreenMapProps {
  /** Bounds to open on (the city); without them the server's default view. */
  bbox: [number, number, number, number] | null;
  gridColour: ColourSpecification;
  gridsVisible: boolean;
  /** region (6/9/12 digits) or grid (15) to outline */
  selectedCode: string | null;
  memberCodes: string[];
  /** What the deck.gl layers draw (built here, so deck.gl loads with the map, not before the panels). */
  layerInput: ScreenLayerInput;
  /** CSS scale of the canvas, so map and deck render sharp on 4K walls */
  pixelRatio: number;
  onClick: (lngLat: [number, number], gridCode: string | null) => void;
  onInteract: () => void;
  onMapReady: (map: maplibregl.Map | null) => void;
  onIdle: () => void;
  /** The heat cells whose image the map has drawn (its first idle after the image was given). */
  onHeatDrawn: (points: NonNullable<ScreenLayerInput['heat']>['points'] | undefined) => void;
}

const codeIs = (code: string | null): FilterSpecification => ['==', ['get', 'code'], code ?? ''];
const codeIn = (codes: string[]): FilterSpecification => ['in', ['get', 'code'], ['literal', codes]] as unknown as FilterSpecification;
const OFFLINE = { kind: 'offline' } as const;
const GRID_LAYERS: string[] = [LAYER.gridFill, LAYER.gridOutline, LAYER.areaFill, LAYER.areaOutline];
const regionOutlineFilter = (code: string | null) => codeIs(code?.length === 15 ? null : code);

/**
 * The screen's look, written into the style the map starts with (see useMapShell's adjustStyle):
 * grids and areas coloured alike, dark edges, no grid edges below z12 (at city scale tens of
 * thousands of them are noise and cost the most to build), the grid layers' visibility, and the
 * screen's own layers (selected region, 示范 members). The effects below apply later changes.
 */
function screenStyle(style: StyleSpecification, props: ScreenMapProps): StyleSpecification {
  const layers = style.layers.map((layer): LayerSpecification => {
    if (!GRID_LAYERS.includes(layer.id) || (layer.type !== 'fill' && layer.type !== 'line')) return layer;
    const layout = { ...layer.layout, visibility: props.gridsVisible ? ('visible' as const) : ('none' as const) };
    if (layer.type === 'fill') return { ...layer, layout, paint: { ...layer.paint, 'fill-color': props.gridColour, 'fill-opacity': 0.55 } };
    return { ...layer, layout, paint: { ...layer.paint, 'line-color': '#0b1322' }, ...(layer.id === LAYER.gridOutline ? { minzoom: 12, maxzoom: 24 } : {}) };
  });
  return {
    ...style,
    sources: { ...style.sources, [HEAT_SOURCE]: heatSource(), ...overlaySources(props.layerInput) },
    layers: [
      ...layers,
      heatLayer(props.layerInput.visible.heatmap),
      { id: MEMBER_FILL, type: 'fill', source: 'base', 'source-layer': 'regions', filter: codeIn(props.memberCodes), paint: { 'fill-color': '#ffcf4a', 'fill-opacity': 0.22 } },
      { id: MEMBER_LINE, type: 'line', source: 'base', 'source-layer': 'regions', filter: codeIn(props.memberCodes), paint: { 'line-color': '#ffd766', 'line-width': 2 } },
      {
        id: REGION_OUTLINE,
        type: 'line',
        source: 'base',
        'source-layer': 'regions',
        filter: regionOutlineFilter(props.selectedCode),
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#ff5a4f', 'line-width': 4 },
      },
      // Above everything, where deck.gl drew them.
      ...overlayLayers(props.layerInput).map((o) => o.layer),
    ],
  };
}

/** Overlay layer ids by the toggle they follow (the same for every input). */
const OVERLAY_IDS: Record<OverlayGroup, string[]> = { circles: [], demos: [], centres: [] };
for (const { group, layer } of overlayLayers({ centres: [], circles: [], belts: [], demoCircles: [], heat: null, visible: { centres: true, circles: true, demos: true, heatmap: true }, focusName: null, draft: null }))
  OVERLAY_IDS[group].push(layer.id);

/** Keeps a GeoJSON source's data in step with `data` (not set again for the data the style started with). */
function useSourceData<T>(map: maplibregl.Map | null, source: string, data: T, features: (data: T) => GeoJSON.GeoJSON) {
  const inStyle = useRef(data);
  useEffect(() => {
    if (!map || data === inStyle.current) return;
    inStyle.current = data;
    map.getSource<maplibregl.GeoJSONSource>(source)?.setData(features(data));
  }, [map, source, data, features]);
}

export function ScreenMap(props: ScreenMapProps) {
  const latest = useLatest(props);
  const config = useConfig();
  const view = useMemo(() => (props.bbox ? viewOfBounds(props.bbox) : config.data?.defaultView), [props.bbox, config.data]);
  const devicePixels = props.pixelRatio * (window.devicePixelRatio || 1);
  const layers = useMemo(() => buildScreenLayers(props.layerInput), [props.layerInput]);

  const { containerRef, map, styledMap } = useMapShell({
    view,
    fitPadding: 30,
    basemap: OFFLINE,
    gridColour: props.gridColour,
    minZoom: 8,
    maxZoom: 19,
    controls: false,
    mapOptions: { pixelRatio: devicePixels, fadeDuration: 0 },
    adjustStyle: (style) => screenStyle(style, latest.current),
    deckLayers: layers,
    deckPixelRatio: devicePixels,
    setup: (instance) => {
      const interact = () => latest.current.onInteract();
      for (const type of ['mousedown', 'wheel', 'touchstart'] as const) instance.on(type, interact);
      instance.on('click', (e) => {
        // Below z13 the grid tiles carry community/street areas: their code (9 or 12 digits) drills the same way.
        const layers = [LAYER.gridFill, LAYER.areaFill].filter((id) => instance.getLayer(id));
        const hit = layers.length > 0 ? instance.queryRenderedFeatures(e.point, { layers })[0] : undefined;
        latest.current.onClick(e.lngLat.toArray() as [number, number], hit ? String(hit.properties.code) : null);
      });
    },
    onIdle: () => latest.current.onIdle(),
    onMapReady: (m) => latest.current.onMapReady(m),
  });

  // Only a change: setPixelRatio resizes the canvas and draws the whole map again (~0.5 s on a software-rendered wall).
  useEffect(() => {
    if (map && map.getPixelRatio() !== devicePixels) map.setPixelRatio(devicePixels);
  }, [map, devicePixels]);

  // Later changes (MapLibre ignores a value equal to the current one, so the first run costs nothing).
  useEffect(() => {
    // Low zooms show generalised community/street areas (layer grid_areas), coloured alike.
    for (const id of [LAYER.gridFill, LAYER.areaFill]) map?.setPaintProperty(id, 'fill-color', props.gridColour);
  }, [map, props.gridColour]);

  // The heat: an image of the cells over the view (./heatLayer.ts), rebuilt for new cells, a new
  // top of the colour scale, or when the camera leaves what the last image covers.
  const heatPoints = props.layerInput.heat?.points;
  const heatMax = props.layerInput.heat?.max ?? 0;
  const heatShown = props.layerInput.visible.heatmap;
  // From 'style.load' on, so the image lands in the frames that draw the first tiles.
  useEffect(() => {
    const map = styledMap;
    if (!map) return;
    let built: { zoom: number; area: [number, number, number, number] } | null = null;
    const draw = () => {
      const b = map.getBounds();
      const view = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] as const;
      const zoom = map.getZoom();
      if (built && heatImageFits(built, zoom, view)) return;
      const area = heatArea(view);
      const image = screenHeat(heatPoints ?? [], heatMax, zoom, area);
      built = { zoom, area };
      map.getSource<maplibregl.ImageSource>(HEAT_SOURCE)?.updateImage({ image: new ImageData(image.rgba, image.width, image.height), coordinates: image.coordinates });
      exposeHeat(image, zoom, area);
    };
    if (!heatShown) return;
    draw();
    // Reported on the next idle: the frame with the image in it is complete.
    map.once('idle', () => latest.current.onHeatDrawn(heatPoints));
    map.on('moveend', draw);
    return () => {
      map.off('moveend', draw);
    };
  }, [styledMap, heatPoints, heatMax, heatShown, latest]);
  useEffect(() => {
    map?.setLayoutProperty(HEAT_LAYER, 'visibility', heatShown ? 'visible' : 'none');
  }, [map, heatShown]);

  useEffect(() => {
    for (const id of GRID_LAYERS) map?.setLayoutProperty(id, 'visibility', props.gridsVisible ? 'visible' : 'none');
  }, [map, props.gridsVisible]);

  // The overlays: new data, the toggles, the tour's focus.
  const input = props.layerInput;
  useSourceData(map, OVERLAY_SOURCES.circles, input.circles, circleFeatures);
  useSourceData(map, OVERLAY_SOURCES.centres, input.centres, centreFeatures);
  const demos = useMemo(() => ({ belts: input.belts, demoCircles: input.demoCircles }), [input.belts, input.demoCircles]);
  useSourceData(map, OVERLAY_SOURCES.demos, demos, demoFeatures);
  useSourceData(map, OVERLAY_SOURCES.belts, demos, beltFeatures);
  const { circles: circlesShown, demos: demosShown, centres: centresShown } = input.visible;
  useEffect(() => {
    if (!map) return;
    const shown: Record<OverlayGroup, boolean> = { circles: circlesShown, demos: demosShown, centres: centresShown };
    for (const group of Object.keys(OVERLAY_IDS) as OverlayGroup[]) for (const id of OVERLAY_IDS[group]) map.setLayoutProperty(id, 'visibility', shown[group] ? 'visible' : 'none');
  }, [map, circlesShown, demosShown, centresShown]);
  useEffect(() => {
    if (!map) return;
    for (const [id, filter] of Object.entries(focusFilters(input.focusName))) map.setFilter(id, filter);
  }, [map, input.focusName]);

  useEffect(() => {
    if (!map) return;
    const code = props.selectedCode;
    const isGrid = code?.length === 15;
    map.setFilter(LAYER.gridSelected, selectedGridFilter(isGrid ? code : null));
    map.setFilter(REGION_OUTLINE, regionOutlineFilter(code));
  }, [map, props.selectedCode]);

  useEffect(() => {
    if (!map) return;
    map.setFilter(MEMBER_FILL, codeIn(props.memberCodes));
    map.setFilter(MEMBER_LINE, codeIn(props.memberCodes));
  }, [map, props.memberCodes]);

  return <div ref={containerRef} className="screen-map-canvas" role="region" aria-label="党建版图地图" />;
}
