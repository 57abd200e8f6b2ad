/**
 * The editor's map: the shared map shell (basemap, grid tiles, overlay, test
 * hooks) with the editor's layers on top. Pointer events go to the active mode
 * (modes/*.mode.ts); this component draws the draft, snapping marker, violations,
 * overlays and the neighbours a save changed, and picks grids on click (a 微网格/专属网格 on a double
 * click in the vertex mode: the editor's double click does not zoom).
 */
import { TextLayer } from '@deck.gl/layers';
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useMemo, type Dispatch } from 'react';
import type { Config } from '../../api/queries';
import { LABEL_FONT } from '../map/labelLayers';
import { LAYER } from '../map/mapStyle';
import type { ColourSpecification, FilterSpecification } from '../map/styleTypes';
import { useLatest } from '../map/useLatest';
import { useMapShell } from '../map/useMapShell';
import { midpointFeatures, shapeFeatures, sketchFeatures, vertexFeatures } from './draftFeatures';
import { addEditorLayers, codesFilter, EDITOR_LAYER, EMPTY, setData, SRC } from './editorLayers';
import type { EditorAction, EditorState, Mode } from './editorState';
import { boundsOf } from '../../../../kernel/bbox';
import type { Position } from './geometryOps';
import type { EditorMode, ModeContext } from './modes';
import { snapPosition } from './snapping';
import { violationFeatures, violationLabels, type Violation } from './violations';

/** Close enough to edit vertices when no grid is open yet. */
const OPENING_ZOOM = 14;

export interface EditorMapProps {
  config: Config;
  gridColour: ColourSpecification;
  state: EditorState;
  dispatch: Dispatch<EditorAction>;
  modes: Record<Mode, EditorMode>;
  /** Rings of neighbouring grids and the community boundary to snap to. */
  snapLines: Position[][];
  snapping: boolean;
  community: GeoJSON.Geometry | null;
  violations: Violation[];
  overlay: GeoJSON.FeatureCollection;
  /** 均衡 preview: moving buildings coloured by target grid, the grids' new outlines. */
  rebalance: GeoJSON.FeatureCollection;
  /** The open grid's community: its 微网格 and 专属网格. */
  subGrids: GeoJSON.FeatureCollection;
  changedCodes: string[];
  onPickGrid: (code: string) => void;
  /** A double click on a 微网格/专属网格 in the vertex mode: edit it. */
  onPickSubGrid: (code: string) => void;
  onMapReady: (map: maplibregl.Map | null) => void;
}

export function EditorMap(props: EditorMapProps) {
  const { config, gridColour, state, modes, community, violations, overlay, rebalance, subGrids, changedCodes } = props;
  // Map handlers are bound once; they read the latest props through this ref.
  const latest = useLatest(props);

  const labels = useMemo(() => violationLabels(violations), [violations]);
  const deckLayers = useMemo(
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

  const { containerRef, map } = useMapShell({
    view: config.defaultView,
    openingZoom: OPENING_ZOOM,
    basemap: config.basemap,
    gridColour,
    minZoom: 10,
    maxZoom: 20,
    mapOptions: { doubleClickZoom: false },
    deckLayers,
    onLoad: addEditorLayers,
    onMapReady: (m) => latest.current.onMapReady(m),
    setup: (instance) => {
      const canvas = instance.getCanvas();
      const ctx = (): ModeContext => {
        const p = latest.current;
        return {
          map: instance,
          state: p.state,
          dispatch: p.dispatch,
          snapAt: (e) => {
            const raw: Position = [e.lngLat.lng, e.lngLat.lat];
            if (!p.snapping || e.originalEvent.altKey) {
              setData(instance, SRC.snap, EMPTY);
              return raw;
            }
            const snap = snapPosition(e.point, p.snapLines, (q) => instance.project(q));
            setData(instance, SRC.snap, snap ? { type: 'Feature', geometry: { type: 'Point', coordinates: snap.position }, properties: { kind: snap.kind } } : EMPTY);
            return snap ? snap.position : raw;
          },
          showDraft: (geometry, selected) => {
            setData(instance, SRC.shape, shapeFeatures(geometry));
            setData(instance, SRC.vertices, vertexFeatures(geometry, selected));
            setData(instance, SRC.midpoints, midpointFeatures(geometry));
          },
          showSketch: (cursor) => setData(instance, SRC.sketch, sketchFeatures(p.state.history.present.sketch, cursor, active().sketch === 'polygon')),
          clearSnap: () => setData(instance, SRC.snap, EMPTY),
          setCursor: (cursor) => {
            canvas.style.cursor = cursor;
          },
        };
      };
      const active = () => latest.current.modes[latest.current.state.mode];

      instance.on('mousedown', (e) => active().onMouseDown?.(ctx(), e));
      instance.on('mousemove', (e) => active().onMouseMove?.(ctx(), e));
      const mouseUp = () => active().onMouseUp?.(ctx());
      instance.on('mouseup', mouseUp);
      // Releasing outside the map still ends a drag.
      window.addEventListener('mouseup', mouseUp);
      instance.on('click', (e) => {
        const hit = instance.getLayer(LAYER.gridFill) ? instance.queryRenderedFeatures(e.point, { layers: [LAYER.gridFill] })[0]?.properties.code : undefined;
        const grid = hit == null ? null : String(hit);
        if (active().onClick?.(ctx(), e, grid)) return;
        if (grid !== null && grid !== latest.current.state.base?.code) latest.current.onPickGrid(grid);
      });
      instance.on('dblclick', (e) => {
        if (latest.current.state.mode !== 'edit' || !instance.getLayer(EDITOR_LAYER.microFill)) return;
        const hit = instance.queryRenderedFeatures(e.point, { layers: [EDITOR_LAYER.exclusiveFill, EDITOR_LAYER.microFill] })[0]?.properties.code;
        if (hit != null) latest.current.onPickSubGrid(String(hit));
      });
      return () => window.removeEventListener('mouseup', mouseUp);
    },
  });

  const editingCode = state.base?.code ?? null;
  const present = state.history.present;
  const mode = modes[state.mode];

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
    const handles = mode.handles ? present.geometry : null;
    setData(map, SRC.shape, shapeFeatures(present.geometry));
    setData(map, SRC.vertices, vertexFeatures(handles, state.selectedVertex));
    setData(map, SRC.midpoints, midpointFeatures(handles));
    setData(map, SRC.sketch, sketchFeatures(present.sketch, null, mode.sketch === 'polygon'));
  }, [map, present, mode, state.selectedVertex]);

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
    if (map) setData(map, SRC.rebalance, rebalance);
  }, [map, rebalance]);

  useEffect(() => {
    if (map) setData(map, SRC.subGrids, subGrids);
  }, [map, subGrids]);

  useEffect(() => {
    if (!map) return;
    map.setFilter(EDITOR_LAYER.changed, codesFilter(changedCodes));
    map.setFilter(EDITOR_LAYER.mergeFill, codesFilter(state.mode === 'merge' ? state.mergeCodes : []));
  }, [map, changedCodes, state.mode, state.mergeCodes]);

  // Frame a newly opened grid (not on every save: the planner keeps the view).
  useEffect(() => {
    if (!map || !editingCode) return;
    const bounds = boundsOf([latest.current.state.base?.geometry]);
    // 140 px around the grid, less on a phone, where that would leave no room for the grid itself.
    const container = map.getContainer();
    const padding = Math.min(140, Math.floor(Math.min(container.clientWidth, container.clientHeight) / 5));
    if (bounds) map.fitBounds(bounds, { padding, maxZoom: 17.5, duration: 0 });
  }, [map, editingCode, latest]);

  return <div ref={containerRef} className="editor-map" role="region" aria-label="网格编辑地图" data-testid="editor-map" />;
}
