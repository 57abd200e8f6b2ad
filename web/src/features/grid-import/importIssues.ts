/** How the import report reads in the UI: issue names, a one-line summary, issues grouped for the list. */
import type { ImportIssue, ImportReport, IssueKind } from './importRequest';

export const ISSUE_LABELS: Record<IssueKind, string> = {
  bad_code: '编码格式错误',
  duplicate_code: '编码重复',
  missing_geometry: '缺少几何',
  geometry_type: '几何类型不是面',
  invalid_geometry: '几何无效',
  coordinates_out_of_range: '坐标超出范围（坐标系可能不对）',
  bad_attribute: '属性值无效',
  unknown_community: '社区不存在',
  outside_community: '超出所属社区',
  overlap_import: '与文件内网格重叠',
  overlap_existing: '与现有网格重叠',
  gap: '社区内留有空隙',
  micro_grids: '微网格无法随之调整',
};

export function reportSummary(r: ImportReport): string {
  const what = `${r.features} 个要素：新建 ${r.creates}，更新 ${r.updates}${r.unchanged !== undefined ? `，未变 ${r.unchanged}` : ''}`;
  if (r.committed) return `已导入。${what}。`;
  if (r.errors > 0) return `有 ${r.errors} 个错误${r.warnings ? `、${r.warnings} 个提醒` : ''}，不能导入。${what}。`;
  return `检查通过${r.warnings ? `（${r.warnings} 个提醒）` : ''}，可以导入。${what}。`;
}

/** Errors first (they block the commit), then warnings; each in file order. */
export function sortedIssues(issues: readonly ImportIssue[]): ImportIssue[] {
  const rank = (i: ImportIssue) => (i.severity === 'error' ? 0 : 1);
  return [...issues].sort((a, b) => rank(a) - rank(b) || (a.feature ?? Infinity) - (b.feature ?? Infinity));
}

/** "第 3 个要素 450902005001003：<reason>" (reasons name the other grid or the area themselves). */
export function issueText(i: ImportIssue): string {
  const where = [i.feature !== null ? `第 ${i.feature} 个要素` : null, i.code].filter(Boolean).join(' ');
  return where ? `${where}：${i.reason}` : i.reason;
}
