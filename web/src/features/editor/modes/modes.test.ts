import type * as maplibregl from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import type { EditResult } from '../editOutcome';
import { EDITOR_LAYER } from '../editorLayers';
import { editorReducer, initialEditorState, isDirty, type BaseGrid, type EditorAction, type EditorState, type Mode } from '../editorState';
import { moveVertex, type PolygonalGeometry, type Position } from '../geometryOps';
import { createModes, type ModeContext, type WriteContext } from '.';

const square: GeoJSON.Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ],
  ],
};
const grid: BaseGrid = { code: '450902001001002', name: '二网格', version: 3, geometry: square, communityCode: '450902001001', communityName: '社区', areaM2: 1 };
const result = (created: string[]): EditResult => ({ changes: [], created, deleted: [], dryRun: true });

const stateOf = (...actions: EditorAction[]) => actions.reduce<EditorState>(editorReducer, editorReducer(initialEditorState, { type: 'load', grid }));
const inMode = (mode: Mode, ...actions: EditorAction[]) => stateOf({ type: 'mode', mode }, ...actions);
const writeContext = (state: EditorState): WriteContext => ({
  base: grid,
  state,
  dirty: isDirty(state),
  adjustNeighbours: true,
  fetchGrid: async (code) => ({ code, version: 1 }),
});

/** A map whose rendered features are given per layer, and a context that records what the mode did. */
function fakeContext(state: EditorState, rendered: Partial<Record<string, Record<string, unknown>[]>> = {}) {
  const dispatched: EditorAction[] = [];
  const drafts: PolygonalGeometry[] = [];
  const sketches: (Position | null)[] = [];
  let cursor = '';
  const map = {
    getLayer: () => ({}),
    queryRenderedFeatures: (_p: unknown, o: { layers: string[] }) => o.layers.flatMap((l) => (rendered[l] ?? []).map((properties) => ({ properties }))),
  } as unknown as maplibregl.Map;
  const ctx: ModeContext = {
    map,
    state,
    dispatch: (a) => dispatched.push(a),
    snapAt: (e) => [e.lngLat.lng, e.lngLat.lat],
    showDraft: (g) => drafts.push(g),
    showSketch: (c) => sketches.push(c),
    clearSnap: () => undefined,
    setCursor: (c) => {
      cursor = c;
    },
  };
  return { ctx, dispatched, drafts, sketches, cursor: () => cursor };
}

function mouse(lng: number, lat: number) {
  const e = { lngLat: { lng, lat }, point: { x: 0, y: 0 }, originalEvent: { button: 0, altKey: false }, prevented: false, preventDefault: () => (e.prevented = true) };
  return e as typeof e & maplibregl.MapMouseEvent;
}

describe('editor modes', () => {
  it('edit vertices: drags a vertex as one undo step, swallows the click that ends the drag, deselects on empty map', () => {
    const modes = createModes();
    const state = stateOf();
    const { ctx, dispatched, drafts, cursor } = fakeContext(state, { [EDITOR_LAYER.vertices]: [{ polygon: 0, ring: 0, index: 2 }] });
    const down = mouse(1, 1);
    modes.edit.onMouseDown!(ctx, down);
    expect(down.prevented).toBe(true);
    expect(dispatched).toEqual([{ type: 'selectVertex', ref: { polygon: 0, ring: 0, index: 2 } }]);
    expect(cursor()).toBe('grabbing');
    modes.edit.onMouseMove!(ctx, mouse(2, 2));
    expect(drafts.at(-1)).toEqual(moveVertex(square, { polygon: 0, ring: 0, index: 2 }, [2, 2]));
    modes.edit.onMouseUp!(ctx);
    expect(dispatched.at(-1)).toEqual({ type: 'setGeometry', geometry: moveVertex(square, { polygon: 0, ring: 0, index: 2 }, [2, 2]) });
    // The click the browser sends after the drag's mouseup is not a pick.
    expect(modes.edit.onClick!(ctx, mouse(2, 2), '450902001001003')).toBe(true);

    const later = createModes();
    const empty = fakeContext(state);
    expect(later.edit.onClick!(empty.ctx, mouse(5, 5), null)).toBe(true);
    expect(empty.dispatched).toEqual([{ type: 'selectVertex', ref: null }]);
    // A click on another grid is not the mode's: the editor opens that grid.
    expect(later.edit.onClick!(empty.ctx, mouse(5, 5), '450902001001003')).toBe(false);
  });

  it('edit vertices: inserts a vertex when a midpoint is dragged, and Delete is its key', () => {
    const modes = createModes();
    const { ctx, drafts } = fakeContext(stateOf(), { [EDITOR_LAYER.midpoints]: [{ polygon: 0, ring: 0, index: 0 }] });
    modes.edit.onMouseDown!(ctx, mouse(0.5, -0.1));
    expect(drafts[0]!.type === 'Polygon' && drafts[0]!.coordinates[0]).toEqual([
      [0, 0],
      [0.5, -0.1],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    const keyed: EditorAction[] = [];
    expect(modes.edit.onKey!('deleteVertex', (a) => keyed.push(a))).toBe(true);
    expect(keyed).toEqual([{ type: 'deleteVertex' }]);
    expect(modes.edit.onKey!('save', (a) => keyed.push(a))).toBe(false);
  });

  it('edit vertices: saves only a changed draft', () => {
    const modes = createModes();
    expect(modes.edit.write(writeContext(stateOf()))).toEqual({ notice: '没有未保存的修改' });
    const moved = stateOf({ type: 'setGeometry', geometry: moveVertex(square, { polygon: 0, ring: 0, index: 2 }, [2, 2]) });
    const request = modes.edit.write(writeContext(moved));
    expect('edited' in request && request.edited).toEqual([grid.code]);
  });

  it('edit vertices: a selected 微网格 is saved as itself, not as the base grid', () => {
    const modes = createModes();
    const microShape: GeoJSON.MultiPolygon = { type: 'MultiPolygon', coordinates: [square.coordinates] };
    const sub = { code: `${grid.code}01`, level: 'micro' as const, name: '微网格', version: 4, geometry: microShape };
    const selected = stateOf({ type: 'selectSubGrid', subGrid: sub });
    expect(modes.edit.write(writeContext(selected))).toEqual({ notice: '没有未保存的修改' });
    const moved = editorReducer(selected, { type: 'setGeometry', geometry: moveVertex(microShape, { polygon: 0, ring: 0, index: 2 }, [2, 2]) });
    const request = modes.edit.write(writeContext(moved));
    expect('edited' in request && request.edited).toEqual([sub.code]);
  });

  it('draw and split: clicks add sketch points; a polygon needs 3, a line 2', () => {
    const modes = createModes();
    const draw = fakeContext(inMode('draw'));
    expect(modes.draw.onClick!(draw.ctx, mouse(3, 4), null)).toBe(true);
    expect(draw.dispatched).toEqual([{ type: 'addSketchPoint', position: [3, 4] }]);
    modes.draw.onMouseMove!(draw.ctx, mouse(5, 6));
    expect(draw.sketches).toEqual([[5, 6]]);
    expect(draw.cursor()).toBe('crosshair');

    const two: EditorAction[] = [
      { type: 'addSketchPoint', position: [0, 0] },
      { type: 'addSketchPoint', position: [1, 0] },
    ];
    expect(modes.draw.write(writeContext(inMode('draw', ...two)))).toEqual({ notice: '新网格至少需要 3 个顶点' });
    const triangle = modes.draw.write(writeContext(inMode('draw', ...two, { type: 'addSketchPoint', position: [1, 1] })));
    expect('edited' in triangle && triangle.edited).toEqual([]);
    // The new grid is opened after the save.
    expect('next' in triangle && triangle.next!(result(['450902001001009']))).toBe('450902001001009');

    expect(modes.split.write(writeContext(inMode('split', two[0]!)))).toEqual({ notice: '分割线至少需要 2 个点' });
    const split = modes.split.write(writeContext(inMode('split', ...two)));
    expect('edited' in split && split.edited).toEqual([grid.code]);
  });

  it('merge: clicks toggle grids in and out; at least two merge into the lowest code', () => {
    const modes = createModes();
    const { ctx, dispatched } = fakeContext(inMode('merge'));
    expect(modes.merge.onClick!(ctx, mouse(0, 0), '450902001001001')).toBe(true);
    expect(modes.merge.onClick!(ctx, mouse(0, 0), null)).toBe(true);
    expect(dispatched).toEqual([{ type: 'toggleMerge', code: '450902001001001' }]);

    expect(modes.merge.write(writeContext(inMode('merge')))).toEqual({ notice: '请至少再选择一个相邻网格' });
    const request = modes.merge.write(writeContext(inMode('merge', { type: 'toggleMerge', code: '450902001001001' })));
    expect('edited' in request && request.edited).toEqual(['450902001001001', grid.code]);
    expect('next' in request && request.next!(result([]))).toBe('450902001001001');
  });
});
