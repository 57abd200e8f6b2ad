/**
 * The top bar of every page but the big screen: title, the pages this role may
 * open, which dataset is loaded (and whether it is sample data), street legend, user.
 */
import type { Config } from '../../api/queries';
import { pages } from '../../pages';
import { can, signOut, useSession } from '../auth/session';
import type { StreetColour } from '../map/streetColours';
import { StreetLegend } from './StreetLegend';

export interface HeaderProps {
  dataset: Config['dataset'] | undefined;
  streets: StreetColour[];
  /** Opens the export dialog (analysts). */
  onExport?: () => void;
  /** Path of the page showing the header (marked in the navigation). */
  current?: string;
  /** Shown beside the title. */
  subtitle?: string;
}

export function Header({ dataset, streets, onExport, current = '/', subtitle = '党建引领网格化治理' }: HeaderProps) {
  const user = useSession();
  const visible = pages.filter((p) => !p.hidden && (!p.roles || p.roles.includes(user.role)));
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>党建版图</h1>
        <span className="brand-sub">{subtitle}</span>
      </div>
      <nav className="page-nav" aria-label="页面">
        <a href="/" aria-current={current === '/' ? 'page' : undefined}>
          党建地图
        </a>
        {visible.map((p) => (
          <a key={p.path} href={p.path} aria-current={current === p.path ? 'page' : undefined}>
            {p.title}
          </a>
        ))}
      </nav>
      <div className="dataset" data-testid="dataset">
        {dataset ? <span className="dataset-label">{dataset.label}</span> : <span className="muted">数据集加载中…</span>}
        {dataset?.sample && (
          <span className="badge-sample" data-testid="sample-badge" title="当前为示例数据，几何与人员信息均为合成">
            示例数据
          </span>
        )}
      </div>
      <StreetLegend streets={streets} />
      {onExport && can.export(user) && (
        <button type="button" className="text-button header-action" onClick={onExport}>
          导出数据
        </button>
      )}
      <div className="header-user" data-testid="current-user">
        <span title={user.roleLabel}>{user.displayName}</span>
        <button type="button" className="text-button" onClick={() => void signOut()}>
          退出
        </button>
      </div>
    </header>
  );
}
