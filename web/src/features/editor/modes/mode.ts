/**
 * What an editor mode is, in the manner of terra-draw's modes: one object per tool
 * (edit vertices, draw, split, merge) that handles the map's pointer events and
 * its own keys while it is active, owns its transient draft state (a vertex being
 * dragged, a sketch under the cursor), says how its draft is drawn, and turns the
 * draft into the write that 校验/保存 (Enter) sends. The reducer (editorState.ts)
 * keeps the undoable draft; useEditorSession runs the writes.
 */
import type * as maplibregl from 'maplibre-gl';
import type { EditResult } from '../editOutcome';
import type { BaseGrid, EditorAction, EditorState, Mode } from '../editorState';
import type { PolygonalGeometry, Position, VertexRef } from '../geometryOps';
import type { EditorKey } from '../keyboard';

/** What a mode may do to the map and the editor while it handles an event. */
export interface ModeContext {
  map: maplibregl.Map;
  /** The editor's state as of the latest render. */
  state: EditorState;
  dispatch: (action: EditorAction) => void;
  /** Where the pointer lands, snapped to neighbours and the community unless Alt is held (shows the snap marker). */
  snapAt: (e: maplibregl.MapMouseEvent) => Position;
  /** Draws a draft shape at once, ahead of the reducer (during a drag). */
  showDraft: (geometry: PolygonalGeometry, selected: VertexRef | null) => void;
  /** Draws the clicked sketch with a rubber band to `cursor`, in the active mode's shape. */
  showSketch: (cursor: Position | null) => void;
  /** Clears the snap marker. */
  clearSnap: () => void;
  setCursor: (cursor: string) => void;
}

/** A grid write a mode asks for: run once as a dry run (校验) or for real (保存). */
export interface WriteRequest {
  run: (dryRun: boolean) => Promise<EditResult>;
  /** The grids the planner edited (the others the server changed are "neighbours"). */
  edited: string[];
  /** The grid to show after the write (a new or merged grid); default: the same one. */
  next?: (result: EditResult) => string | null;
}

export interface WriteContext {
  base: BaseGrid;
  state: EditorState;
  dirty: boolean;
  adjustNeighbours: boolean;
  /** The grid's details as the server has them now (for versions a write is checked against). */
  fetchGrid: (code: string) => Promise<{ code: string; version: number }>;
}

export interface EditorMode {
  id: Mode;
  /** How to use the mode, shown in the panel. */
  help: string;
  /** Vertex and midpoint handles on the draft shape. */
  handles: boolean;
  /** The clicked sketch is a polygon (closed preview) or a line. */
  sketch: 'polygon' | 'line' | null;
  onMouseDown?: (ctx: ModeContext, e: maplibregl.MapMouseEvent) => void;
  onMouseMove?: (ctx: ModeContext, e: maplibregl.MapMouseEvent) => void;
  /** Also sent when the button is released outside the map. */
  onMouseUp?: (ctx: ModeContext) => void;
  /** `grid`: the code of the grid under the pointer. Returns true when the click was the mode's; otherwise it opens that grid. */
  onClick?: (ctx: ModeContext, e: maplibregl.MapMouseEvent, grid: string | null) => boolean;
  /** A shortcut while the mode is active; true when handled. */
  onKey?: (key: EditorKey, dispatch: (action: EditorAction) => void) => boolean;
  /** The write for 校验/保存, or a notice saying what is missing. */
  write: (ctx: WriteContext) => WriteRequest | { notice: string };
}
