/** 绘制新网格: click the new grid's corners; the neighbours give up the area it takes. */
import { createGridAt } from '../editorQueries';
import { sketchPolygon } from '../geometryOps';
import type { EditorMode } from './mode';
import { sketchPointer } from './sketch';

export const drawMode: EditorMode = {
  id: 'draw',
  help: '在地图上依次点击新网格的顶点（至少 3 个），按 Enter 保存；相邻网格会让出新网格占用的区域。',
  handles: false,
  sketch: 'polygon',
  ...sketchPointer,
  write({ base, state }) {
    const polygon = sketchPolygon(state.history.present.sketch);
    if (!polygon) return { notice: '新网格至少需要 3 个顶点' };
    return { edited: [], run: (dryRun) => createGridAt({ communityCode: base.communityCode, geometry: polygon }, dryRun), next: (r) => r.created[0] ?? null };
  },
};
