/**
 * The editor's MapLibre map: the shared style (basemap + grid tiles) with the
 * editor's layers on top, vertex dragging with snapping, sketch clicks, and grid picking.
 */
import { TextLayer } from '@deck.gl/layers';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useMemo, useRef, useState, type Dispatch } from 'react';
import type { Config } from '../../api/queries';
import { LABEL_FONT } from '../map/labelLayers';
import { buildMapStyle, LAYER } from '../map/mapStyle';
import type { ColourSpecification, FilterSpecification } from '../map/styleTypes';
import { exposeMap, markGridsRendered } from '../map/testHooks';
import { useDeckOverlay } from '../map/useDeckOverlay';
import { midpointFeatures, refFromProperties, shapeFeatures, sketchFeatures, vertexFeatures } from './draftFeatures';
import { addEditorLayers, codesFilter, EDITOR_LAYER, EMPTY, setData, SRC } from './editorLayers';
import type { EditorAction, EditorState } from './editorState';
import { boundsOf, insertVertex, moveVertex, type PolygonalGeometry, type Position, type VertexRef } from './geometryOps';
import { snapPosition } from './snapping';
import { violationFeatures, violationLabels, type Violation } from './violations';

maplibregl.setWorkerUrl(workerUrl);

export interface EditorMapProps {
  config: Config;
  gridColour: ColourSpecification;
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  /** Rings of neighbouring grids and the community boundary to snap to. */
  snapLines: Position[][];
  snapping: boolean;
  community: GeoJSON.Geometry | null;
  violations: Violation[];
  overlay: GeoJSON.FeatureCollection;
  changedCodes: string[];
  onPickGrid: (code: string) => void;
  onMapReady: (map: maplibregl.Map | null) => void;
}

interface Drag {
  ref: VertexRef;
  from: PolygonalGeometry;
  geometry: PolygonalGeometry;
  moved: boolean;
}

const HANDLE_LAYERS = [EDITOR_LAYER.vertices, EDITOR_LAYER.midpoints];

export function EditorMap(props: EditorMapProps) {
  const { config, gridColour, state, community, violations, overlay, changedCodes } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  // Map handlers are bound once; they read the latest props through this ref.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const instance = new maplibregl.Map({
      container,
      style: buildMapStyle({ origin: window.location.origin, basemap: config.basemap, gridColour }),
      center: [110.155, 22.64],
      zoom: 14,
      minZoom: 10,
      maxZoom: 20,
      dragRotate: false,
      pitchWithRotate: false,
      doubleClickZoom: false,
      attributionControl: config.basemap.kind === 'raster' ? { compact: true } : false,
      locale: { 'NavigationControl.ZoomIn': '放大', 'NavigationControl.ZoomOut': '缩小', 'ScaleControl.Meters': '米', 'ScaleControl.Kilometers': '千米' },
    });
    instance.touchZoomRotate.disableRotation();
    instance.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    instance.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    const unexpose = exposeMap(instance);

    let drag: Drag | null = null;
    // A click right after a drag is the drag's own mouseup, not a pick.
    let dragEndedAt = 0;
    const canvas = instance.getCanvas();

    const snapAt = (point: maplibregl.Point, lngLat: maplibregl.LngLat, alt: boolean): Position => {
      const p = latest.current;
      const raw: Position = [lngLat.lng, lngLat.lat];
      if (!p.snapping || alt) {
        setData(instance, SRC.snap, EMPTY);
        return raw;
      }
      const snap = snapPosition(point, p.snapLines, (q) => instance.project(q));
      setData(instance, SRC.snap, snap ? { type: 'Feature', geometry: { type: 'Point', coordinates: snap.position }, properties: { kind: snap.kind } } : EMPTY);
      return snap ? snap.position : raw;
    };

    const showDraft = (geometry: PolygonalGeometry, selected: VertexRef | null) => {
      setData(instance, SRC.shape, shapeFeatures(geometry));
      setData(instance, SRC.vertices, vertexFeatures(geometry, selected));
      setData(instance, SRC.midpoints, midpointFeatures(geometry));
    };

    const startDrag = (e: maplibregl.MapLayerMouseEvent, inserting: boolean) => {
      const p = latest.current;
      const geometry = p.state.history.present.geometry;
      const ref = refFromProperties(e.features?.[0]?.properties);
      if (p.state.mode !== 'edit' || !geometry || !ref || e.originalEvent.button !== 0) return;
      // Keep the map still while a handle is dragged.
      e.preventDefault();
      if (inserting) {
        const at: Position = [e.lngLat.lng, e.lngLat.lat];
        const inserted = insertVertex(geometry, ref, at);
        const newRef = { ...ref, index: ref.index + 1 };
        drag = { ref: newRef, from: inserted, geometry: inserted, moved: true };
        showDraft(inserted, newRef);
      } else {
        drag = { ref, from: geometry, geometry, moved: false };
        p.dispatch({ type: 'selectVertex', ref });
      }
      canvas.style.cursor = 'grabbing';
    };
    instance.on('mousedown', EDITOR_LAYER.vertices, (e) => startDrag(e, false));
    instance.on('mousedown', EDITOR_LAYER.midpoints, (e) => {
      // A vertex on top of a midpoint (tiny edges) wins.
      if (instance.queryRenderedFeatures(e.point, { layers: [EDITOR_LAYER.vertices] }).length) return;
      startDrag(e, true);
    });

    instance.on('mousemove', (e) => {
      const p = latest.current;
      if (drag) {
        const to = snapAt(e.point, e.lngLat, e.originalEvent.altKey);
        drag.geometry = moveVertex(drag.from, drag.ref, to);
        drag.moved = true;
        showDraft(drag.geometry, drag.ref);
        return;
      }
      if (p.state.mode === 'draw' || p.state.mode === 'split') {
        const at = snapAt(e.point, e.lngLat, e.originalEvent.altKey);
        setData(instance, SRC.sketch, sketchFeatures(p.state.history.present.sketch, at, p.state.mode === 'draw'));
        canvas.style.cursor = 'crosshair';
        return;
      }
      if (p.state.mode === 'edit') {
        const onHandle = instance.queryRenderedFeatures(e.point, { layers: HANDLE_LAYERS }).length > 0;
        canvas.style.cursor = onHandle ? 'move' : '';
      }
    });

    const endDrag = () => {
      if (!drag) return;
      const done = drag;
      drag = null;
      canvas.style.cursor = '';
      setData(instance, SRC.snap, EMPTY);
      dragEndedAt = performance.now();
      if (done.moved) latest.current.dispatch({ type: 'setGeometry', geometry: done.geometry });
    };
    instance.on('mouseup', endDrag);
    // Releasing outside the map still ends the drag.
    window.addEventListener('mouseup', endDrag);

    instance.on('click', (e) => {
      if (performance.now() - dragEndedAt < 300) return;
      const p = latest.current;
      if (p.state.mode === 'draw' || p.state.mode === 'split') {
        p.dispatch({ type: 'addSketchPoint', position: snapAt(e.point, e.lngLat, e.originalEvent.altKey) });
        return;
      }
      if (p.state.mode === 'edit' && instance.queryRenderedFeatures(e.point, { layers: HANDLE_LAYERS }).length) return;
      const grid = instance.queryRenderedFeatures(e.point, { layers: [LAYER.gridFill] })[0];
      const code = grid?.properties.code;
      if (code == null) {
        if (p.state.mode === 'edit') p.dispatch({ type: 'selectVertex', ref: null });
        return;
      }
      if (p.state.mode === 'merge') p.dispatch({ type: 'toggleMerge', code: String(code) });
      else if (String(code) !== p.state.base?.code) p.onPickGrid(String(code));
    });

    instance.on('idle', () => markGridsRendered(instance));
    instance.on('error', (e) => console.error('地图错误', e.error));
    instance.once('load', () => {
      addEditorLayers(instance);
      setMap(instance);
      latest.current.onMapReady(instance);
    });
    return () => {
      window.removeEventListener('mouseup', endDrag);
      latest.current.onMapReady(null);
      unexpose();
      setMap(null);
      instance.remove();
    };
    // Created once; the effects below apply later changes.
  }, []);

  const editingCode = state.base?.code ?? null;
  const present = state.history.present;

  // The draft replaces the edited grid's tile shape, so the old outline does not confuse.
  useEffect(() => {
    if (!map) return;
    const others: FilterSpecification = ['!=', ['get', 'code'], editingCode ?? ''];
    map.setFilter(LAYER.gridFill, others);
    map.setFilter(LAYER.gridOutline, others);
    map.setFilter(LAYER.gridSelected, ['==', ['get', 'code'], '']);
  }, [map, editingCode]);

  useEffect(() => {
    if (!map) return;
    map.setPaintProperty(LAYER.gridFill, 'fill-color', gridColour);
    map.setPaintProperty(LAYER.gridOutline, 'line-color', gridColour);
  }, [map, gridColour]);

  useEffect(() => {
    if (!map) return;
    const editing = state.mode === 'edit' ? present.geometry : null;
    setData(map, SRC.shape, shapeFeatures(present.geometry));
    setData(map, SRC.vertices, vertexFeatures(editing, state.selectedVertex));
    setData(map, SRC.midpoints, midpointFeatures(editing));
    setData(map, SRC.sketch, sketchFeatures(present.sketch, null, state.mode === 'draw'));
  }, [map, present, state.mode, state.selectedVertex]);

  useEffect(() => {
    if (map) setData(map, SRC.community, community ? { type: 'Feature', geometry: community, properties: {} } : EMPTY);
  }, [map, community]);

  useEffect(() => {
    if (map) setData(map, SRC.violations, violationFeatures(violations));
  }, [map, violations]);

  useEffect(() => {
    if (map) setData(map, SRC.overlay, overlay);
  }, [map, overlay]);

  useEffect(() => {
    if (!map) return;
    map.setFilter(EDITOR_LAYER.changed, codesFilter(changedCodes));
    map.setFilter(EDITOR_LAYER.mergeFill, codesFilter(state.mode === 'merge' ? state.mergeCodes : []));
  }, [map, changedCodes, state.mode, state.mergeCodes]);

  // Frame a newly opened grid (not on every save: the planner keeps the view).
  useEffect(() => {
    if (!map || !editingCode) return;
    const bounds = boundsOf([latest.current.state.base?.geometry]);
    if (bounds) map.fitBounds(bounds, { padding: 140, maxZoom: 17.5, duration: 0 });
  }, [map, editingCode]);

  const labels = useMemo(() => violationLabels(violations), [violations]);
  const layers = useMemo(
    () =>
      labels.length === 0
        ? []
        : [
            new TextLayer<{ position: Position; text: string }>({
              id: 'violation-labels',
              data: labels,
              characterSet: 'auto',
              fontFamily: LABEL_FONT,
              fontWeight: 600,
              fontSettings: { sdf: true, fontSize: 64, buffer: 10, radius: 16 },
              outlineWidth: 5,
              outlineColor: [40, 0, 0, 240],
              getPosition: (d) => d.position,
              getText: (d) => d.text,
              getSize: 14,
              sizeUnits: 'pixels',
              getColor: [255, 120, 120, 255],
              getTextAnchor: 'middle',
              getAlignmentBaseline: 'center',
            }),
          ],
    [labels],
  );
  useDeckOverlay(map, layers);

  return <div ref={containerRef} className="editor-map" role="region" aria-label="网格编辑地图" data-testid="editor-map" />;
}
