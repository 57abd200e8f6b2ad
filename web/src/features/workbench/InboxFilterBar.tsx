/**
 * The list's filters: region (street or community of the tree), category, source,
 * department, stage and a reporting date range. Changing one goes back to page 1.
 */
import { useMemo } from 'react';
import { useRegionTree, type RegionTreeNode } from '../../api/queries';
import { INCIDENT_SOURCES, INCIDENT_STAGES, STAGE_LABELS } from '../../../../kernel/stages';
import { useCategories } from '../incidents/incidentQueries';
import { type InboxFilters, NO_FILTERS, useDepartments } from './workbenchApi';

function regionOptions(roots: RegionTreeNode[]): { code: string; label: string }[] {
  const out: { code: string; label: string }[] = [];
  const walk = (node: RegionTreeNode, depth: number) => {
    if (node.level === 'street' || node.level === 'community') out.push({ code: node.code, label: `${'　'.repeat(depth)}${node.name}` });
    for (const child of node.children) walk(child, node.level === 'street' || node.level === 'community' ? depth + 1 : depth);
  };
  for (const root of roots) walk(root, 0);
  return out;
}

export function InboxFilterBar({ filters, onChange }: { filters: InboxFilters; onChange: (f: InboxFilters) => void }) {
  const tree = useRegionTree();
  const categories = useCategories();
  const departments = useDepartments();
  const regions = useMemo(() => regionOptions(tree.data ?? []), [tree.data]);
  const set = (key: keyof InboxFilters) => (e: { target: { value: string } }) => onChange({ ...filters, [key]: e.target.value });
  const active = Object.values(filters).some((v) => v !== '');

  return (
    <fieldset className="wb-filters" aria-label="筛选">
      <label>
        区域
        <select value={filters.region} onChange={set('region')} data-testid="filter-region">
          <option value="">全部</option>
          {regions.map((r) => (
            <option key={r.code} value={r.code}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        类别
        <select value={filters.category} onChange={set('category')} data-testid="filter-category">
          <option value="">全部</option>
          {(categories.data ?? []).map((c) => (
            <option key={c.code} value={c.code}>
              {c.major}·{c.minor}
            </option>
          ))}
        </select>
      </label>
      <label>
        来源
        <select value={filters.source} onChange={set('source')}>
          <option value="">全部</option>
          {Object.entries(INCIDENT_SOURCES).map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        责任单位
        <select value={filters.department} onChange={set('department')} data-testid="filter-department">
          <option value="">全部</option>
          {(departments.data ?? []).map((d) => (
            <option key={d.id} value={String(d.id)}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        阶段
        <select value={filters.stage} onChange={set('stage')}>
          <option value="">全部</option>
          {INCIDENT_STAGES.map((s) => (
            <option key={s} value={s}>
              {STAGE_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        上报自
        <input type="date" value={filters.from} onChange={set('from')} />
      </label>
      <label>
        至
        <input type="date" value={filters.to} onChange={set('to')} />
      </label>
      {active && (
        <button type="button" className="wb-link" onClick={() => onChange(NO_FILTERS)}>
          清除筛选
        </button>
      )}
    </fieldset>
  );
}
