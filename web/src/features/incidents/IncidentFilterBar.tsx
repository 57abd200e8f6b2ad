/** Filter bar: categories (by major class), sources and stages. Empty selection = all. */
import { errorMessage } from '../../api/queries';
import { SOURCE_LABELS, STAGE_LABELS, toggle, type IncidentFilterState, type IncidentSourceKey, type IncidentStageKey } from './incidentFilter';
import { useCategories, type CategoryOption } from './incidentQueries';

export function IncidentFilterBar({ value, onChange }: { value: IncidentFilterState; onChange: (next: IncidentFilterState) => void }) {
  const categories = useCategories();
  const byMajor = new Map<string, CategoryOption[]>();
  for (const c of categories.data ?? []) byMajor.set(c.major, [...(byMajor.get(c.major) ?? []), c]);

  return (
    <div className="incident-filter-bar" role="group" aria-label="事件筛选" data-testid="incident-filter-bar">
      <fieldset>
        <legend>来源</legend>
        {(Object.keys(SOURCE_LABELS) as IncidentSourceKey[]).map((s) => (
          <label key={s}>
            <input type="checkbox" checked={value.sources.includes(s)} onChange={() => onChange({ ...value, sources: toggle(value.sources, s) })} />
            {SOURCE_LABELS[s]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>环节</legend>
        {(Object.keys(STAGE_LABELS) as IncidentStageKey[]).map((s) => (
          <label key={s}>
            <input type="checkbox" checked={value.stages.includes(s)} onChange={() => onChange({ ...value, stages: toggle(value.stages, s) })} />
            {STAGE_LABELS[s]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>类别</legend>
        {categories.isError ? <span role="alert">类别加载失败：{errorMessage(categories.error)}</span> : null}
        {[...byMajor].map(([major, minors]) => {
          const codes = minors.map((m) => m.code);
          const all = codes.every((c) => value.categories.includes(c));
          return (
            <div key={major} className="incident-filter-major">
              <label title="选择整个大类">
                <input type="checkbox" checked={all} onChange={() => onChange({ ...value, categories: all ? value.categories.filter((c) => !codes.includes(c)) : [...new Set([...value.categories, ...codes])] })} />
                <strong>{major}</strong>
              </label>
              {minors.map((m) => (
                <label key={m.code} title={`处置时限 ${m.deadlineHours} 小时`}>
                  <input type="checkbox" checked={value.categories.includes(m.code)} onChange={() => onChange({ ...value, categories: toggle(value.categories, m.code) })} />
                  {m.minor}
                </label>
              ))}
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}
