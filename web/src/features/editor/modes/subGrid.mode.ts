/**
 * 绘制微网格 / 绘制专属网格: click the corners of a 微网格 inside the open base grid (its siblings give
 * up the area it takes when 自动调整相邻网格 is on, so the base grid stays tiled) or of a 专属网格 of
 * the chosen kind in the open grid's community (checked for overlaps only against its own kind).
 * The server's level rules (server/grids/levelTopology.ts) decide; a refusal shows as violations.
 */
import { createSubGridAt } from '../editorQueries';
import { sketchPolygon } from '../geometryOps';
import type { EditorMode } from './mode';
import { sketchPointer } from './sketch';

export const microMode: EditorMode = {
  id: 'micro',
  help: '在当前网格内依次点击微网格的顶点（至少 3 个），按 Enter 保存；开启“自动调整相邻网格”时，同一网格内的其他微网格让出它占用的区域。',
  handles: false,
  sketch: 'polygon',
  ...sketchPointer,
  write({ base, state, adjustNeighbours }) {
    const polygon = sketchPolygon(state.history.present.sketch);
    if (!polygon) return { notice: '微网格至少需要 3 个顶点' };
    return {
      edited: [],
      run: (dryRun) => createSubGridAt({ level: 'micro', parentGridCode: base.code, name: `${base.name}微网格`, geometry: polygon }, { dryRun, adjustSiblings: adjustNeighbours }),
      next: () => base.code,
    };
  },
};

export const exclusiveMode: EditorMode = {
  id: 'exclusive',
  help: '选择专属网格类别，在所属社区内依次点击顶点（至少 3 个），按 Enter 保存；只与同类专属网格检查重叠。',
  handles: false,
  sketch: 'polygon',
  ...sketchPointer,
  write({ base, state }) {
    const polygon = sketchPolygon(state.history.present.sketch);
    if (!polygon) return { notice: '专属网格至少需要 3 个顶点' };
    const kind = state.exclusiveKind;
    return {
      edited: [],
      run: (dryRun) => createSubGridAt({ level: 'exclusive', kind, communityCode: base.communityCode, name: `${base.communityName}${kind}专属网格`, geometry: polygon }, { dryRun }),
      next: () => base.code,
    };
  },
};
