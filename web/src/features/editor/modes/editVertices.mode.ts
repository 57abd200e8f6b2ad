/**
 * 编辑顶点: drag a white vertex to move it, drag an edge's midpoint to insert one,
 * click a vertex and press Delete to remove it; snapping unless Alt is held.
 * The drag is this mode's own draft: drawn at once, and handed to the reducer
 * (one undo step) when the button is released. The same tools edit the open base grid or a
 * selected 微网格/专属网格 (state.subGrid); only the save differs (PUT /api/grids or /api/levels).
 */
import type * as maplibregl from 'maplibre-gl';
import { refFromProperties } from '../draftFeatures';
import { EDITOR_LAYER } from '../editorLayers';
import { updateGeometry, updateSubGridShape } from '../editorQueries';
import { insertVertex, moveVertex, type PolygonalGeometry, type Position, type VertexRef } from '../geometryOps';
import type { EditorMode, ModeContext } from './mode';

interface Drag {
  ref: VertexRef;
  from: PolygonalGeometry;
  geometry: PolygonalGeometry;
  moved: boolean;
}

const HANDLE_LAYERS = [EDITOR_LAYER.vertices, EDITOR_LAYER.midpoints];
/** A click right after a drag is the drag's own mouseup, not a pick. */
const CLICK_AFTER_DRAG_MS = 300;

// The handle layers exist from the map's 'load' on.
const handleAt = (map: maplibregl.Map, e: maplibregl.MapMouseEvent, layer: string) => (map.getLayer(layer) ? map.queryRenderedFeatures(e.point, { layers: [layer] })[0] : undefined);
const onHandle = (map: maplibregl.Map, e: maplibregl.MapMouseEvent) => !!map.getLayer(EDITOR_LAYER.vertices) && map.queryRenderedFeatures(e.point, { layers: HANDLE_LAYERS }).length > 0;

export function createEditVerticesMode(): EditorMode {
  let drag: Drag | null = null;
  let dragEndedAt = -Infinity;

  const startDrag = (ctx: ModeContext, e: maplibregl.MapMouseEvent, handle: maplibregl.MapGeoJSONFeature, inserting: boolean) => {
    const geometry = ctx.state.history.present.geometry;
    const ref = refFromProperties(handle.properties);
    if (!geometry || !ref || e.originalEvent.button !== 0) return;
    // Keep the map still while a handle is dragged.
    e.preventDefault();
    if (inserting) {
      const at: Position = [e.lngLat.lng, e.lngLat.lat];
      const inserted = insertVertex(geometry, ref, at);
      const newRef = { ...ref, index: ref.index + 1 };
      drag = { ref: newRef, from: inserted, geometry: inserted, moved: true };
      ctx.showDraft(inserted, newRef);
    } else {
      drag = { ref, from: geometry, geometry, moved: false };
      ctx.dispatch({ type: 'selectVertex', ref });
    }
    ctx.setCursor('grabbing');
  };

  return {
    id: 'edit',
    help: '拖动白色顶点移动；拖动边中点插入顶点；点击顶点后按 Delete 删除。靠近相邻网格或社区边界时自动吸附（按住 Alt 不吸附）。',
    handles: true,
    sketch: null,

    onMouseDown(ctx, e) {
      // A vertex on top of a midpoint (tiny edges) wins.
      const vertex = handleAt(ctx.map, e, EDITOR_LAYER.vertices);
      if (vertex) return startDrag(ctx, e, vertex, false);
      const midpoint = handleAt(ctx.map, e, EDITOR_LAYER.midpoints);
      if (midpoint) startDrag(ctx, e, midpoint, true);
    },

    onMouseMove(ctx, e) {
      if (drag) {
        drag.geometry = moveVertex(drag.from, drag.ref, ctx.snapAt(e));
        drag.moved = true;
        ctx.showDraft(drag.geometry, drag.ref);
        return;
      }
      ctx.setCursor(onHandle(ctx.map, e) ? 'move' : '');
    },

    onMouseUp(ctx) {
      if (!drag) return;
      const done = drag;
      drag = null;
      ctx.setCursor('');
      ctx.clearSnap();
      dragEndedAt = performance.now();
      if (done.moved) ctx.dispatch({ type: 'setGeometry', geometry: done.geometry });
    },

    onClick(ctx, e, grid) {
      if (performance.now() - dragEndedAt < CLICK_AFTER_DRAG_MS) return true;
      if (onHandle(ctx.map, e)) return true;
      if (grid === null) {
        ctx.dispatch({ type: 'selectVertex', ref: null });
        return true;
      }
      return false;
    },

    onKey(key, dispatch) {
      if (key !== 'deleteVertex') return false;
      dispatch({ type: 'deleteVertex' });
      return true;
    },

    write({ base, state, dirty, adjustNeighbours }) {
      const geometry = state.history.present.geometry;
      if (!dirty || !geometry) return { notice: '没有未保存的修改' };
      const sub = state.subGrid;
      if (sub) {
        // 自动调整相邻网格 for a micro grid: its siblings take or give the area, so the base grid stays tiled.
        return { edited: [sub.code], run: (dryRun) => updateSubGridShape(sub, geometry, { dryRun, adjustSiblings: sub.level === 'micro' && adjustNeighbours }) };
      }
      return { edited: [base.code], run: (dryRun) => updateGeometry(base.code, { version: base.version, geometry, adjustNeighbours }, dryRun) };
    },
  };
}
