import { describe, expect, it } from 'vitest';
import { classifyFailure, describeResult, neighbourChanges, type EditResult } from './editOutcome';

const saved: EditResult = {
  changes: [
    { code: '450902001001001', version: 2, action: 'update' },
    { code: '450902001001002', version: 3, action: 'update' },
    { code: '450902001001004', version: 2, action: 'update' },
  ],
  created: [],
  deleted: [],
  dryRun: false,
};

describe('edit outcomes', () => {
  it('lists the neighbours the server adjusted', () => {
    expect(neighbourChanges(saved, ['450902001001001']).map((c) => c.code)).toEqual(['450902001001002', '450902001001004']);
    expect(describeResult(saved, ['450902001001001'])).toBe('已保存：网格 450902001001001 修改为版本 2；相邻网格已调整 2 个：450902001001002、450902001001004');
  });

  it('says a dry run saved nothing', () => {
    const text = describeResult({ ...saved, changes: saved.changes.slice(0, 1), dryRun: true }, ['450902001001001']);
    expect(text).toBe('校验通过（未保存）：网格 450902001001001 修改；没有相邻网格需要调整');
  });

  it('says what a dry run would create', () => {
    const split: EditResult = {
      changes: [
        { code: 'A', version: 5, action: 'split' },
        { code: 'C', version: 1, action: 'create' },
      ],
      created: ['C'],
      deleted: [],
      dryRun: true,
    };
    expect(describeResult(split, ['A'])).toBe('校验通过（未保存）：网格 A 分割；将新建网格 C；没有相邻网格需要调整');
  });

  it('reports created and retired grids', () => {
    const merge: EditResult = {
      changes: [
        { code: 'A', version: 4, action: 'merge' },
        { code: 'B', version: 2, action: 'merge' },
      ],
      created: [],
      deleted: ['B'],
      dryRun: false,
    };
    expect(describeResult(merge, ['A', 'B'])).toBe('已保存：网格 A 合并为版本 4；撤销网格 B；没有相邻网格需要调整');
  });

  it('classifies 422 with violations, 409 with the current grid, and other problems', () => {
    const violations = [{ rule: 'gap', message: '社区内留有空白 3 平方米' }];
    expect(classifyFailure(422, { title: '保存被拒绝', detail: 'x', violations })).toEqual({ kind: 'rejected', message: '保存被拒绝：x', violations });
    const current = { code: 'A', version: 5, updatedBy: '张三', geometry: { type: 'Point', coordinates: [0, 0] } };
    expect(classifyFailure(409, { title: '版本冲突', current })).toEqual({ kind: 'conflict', message: '版本冲突', current });
    // Renumbering conflicts carry no grid.
    expect(classifyFailure(409, { title: '版本冲突', current: { code: '450902001001', version: 0, updatedBy: null, geometry: { type: 'GeometryCollection', geometries: [] } } }).kind).toBe('conflict');
    expect(classifyFailure(400, { title: '参数错误', errors: [{ field: 'geometry', reason: '环未闭合' }] })).toEqual({ kind: 'error', status: 400, message: '参数错误（geometry: 环未闭合）' });
    expect(classifyFailure(500, null)).toEqual({ kind: 'error', status: 500, message: '请求失败（500）' });
  });
});
