/** Right-hand panel with one grid's details: where it is, who lives there, who serves it. */
import { useEffect, type ReactNode } from 'react';
import { errorMessage, useGridDetail, type Grid } from '../../api/queries';
import { GridPeople } from './GridPeople';
import { formatArea, formatCount, formatDateTime, occurrenceKeys, starText } from './format';
import './gridPanel.css';

export interface GridPanelProps {
  code: string;
  onClose: () => void;
}

export function GridPanel({ code, onClose }: GridPanelProps) {
  const grid = useGridDetail(code);

  // Esc closes the panel from anywhere (the map keeps focus after a click).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="grid-panel" data-testid="grid-panel" aria-label="网格详情" aria-busy={grid.isPending}>
      <header className="grid-panel-header">
        <h2>网格详情</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="关闭网格详情" title="关闭（Esc）">
          ×
        </button>
      </header>
      {grid.isPending && (
        <div className="grid-panel-body">
          <p className="muted" role="status">
            正在加载网格 {code}…
          </p>
        </div>
      )}
      {grid.isError && (
        <div className="grid-panel-body">
          <p className="error-message" role="alert" data-testid="grid-panel-error">
            {errorMessage(grid.error)}
          </p>
          <button type="button" className="text-button" onClick={() => grid.refetch()}>
            重试
          </button>
        </div>
      )}
      {grid.data && <GridDetails grid={grid.data} />}
    </aside>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** Shown instead of a name or phone the server withheld from this reader (personalDataWithheld). */
function Withheld() {
  return (
    <span className="muted" data-testid="personal-data-withheld" title="按个人信息保护规定，当前账号不能查看此网格的人员信息">
      无权查看
    </span>
  );
}

function GridDetails({ grid }: { grid: Grid }) {
  const area = formatArea(grid.areaM2);
  const org = grid.partyOrg;
  return (
    <div className="grid-panel-body">
      <div className="grid-title">
        <div className="grid-code" data-testid="grid-code">
          {grid.code}
        </div>
        <h3 className="grid-name">{grid.name}</h3>
        <div className="stars" role="img" aria-label={`星级 ${grid.starRating} 星（满分 5 星）`} title={`${grid.starRating} 星`}>
          {starText(grid.starRating)}
        </div>
      </div>

      <section aria-labelledby="grid-location">
        <h4 id="grid-location">位置与规模</h4>
        <dl className="fields">
          <Field label="街道">{grid.street.name ?? grid.street.code}</Field>
          <Field label="社区">{grid.community.name}</Field>
          <Field label="面积">
            {area.m2}
            <span className="muted">（{area.readable}）</span>
          </Field>
          <Field label="户数">{formatCount(grid.households)} 户</Field>
          <Field label="人口">{formatCount(grid.population)} 人</Field>
        </dl>
      </section>

      <section aria-labelledby="grid-party">
        <h4 id="grid-party">党组织</h4>
        {org.name ? (
          <dl className="fields">
            <Field label="名称">{org.name}</Field>
            <Field label="类型">{org.type ?? '—'}</Field>
            <Field label="书记">{grid.personalDataWithheld ? <Withheld /> : (org.secretary ?? '—')}</Field>
            <Field label="联系电话">{grid.personalDataWithheld ? <Withheld /> : (org.secretaryPhone ?? '—')}</Field>
            <Field label="党员">{formatCount(org.members)} 名</Field>
            <Field label="双报到">{formatCount(org.dualReportMembers)} 名在职党员</Field>
          </dl>
        ) : (
          <p className="muted">尚未建立网格党组织</p>
        )}
      </section>

      <section aria-labelledby="grid-workers">
        <h4 id="grid-workers">网格员</h4>
        {grid.gridWorkers === null ? (
          <p>
            <Withheld />
          </p>
        ) : grid.gridWorkers.length > 0 ? (
          <ul className="workers">
            {occurrenceKeys(grid.gridWorkers).map(({ key, value }) => (
              <li key={key}>{value}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">暂无网格员</p>
        )}
      </section>

      <GridPeople code={grid.code} />

      <p className="grid-meta muted">
        版本 {grid.version} · 更新于 {formatDateTime(grid.updatedAt)}
      </p>
    </div>
  );
}
