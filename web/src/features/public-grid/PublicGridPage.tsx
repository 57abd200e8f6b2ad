/**
 * A grid's public page (/g/<code>), where the 民情联系卡's QR code leads: the grid, its
 * 网格党支部 and the roster fields each person marked 公开 — nothing else. No account.
 */
import { useQuery } from '@tanstack/react-query';
import { ROSTER_ROLE_LABELS } from '../../../../kernel/rosterRoles';
import { api, call } from '../../api/client';
import { errorMessage } from '../../api/queries';
import '../party-orgs/party.css';

export const publicGridCode = (pathname: string) => decodeURIComponent(pathname.replace(/\/+$/, '').split('/')[2] ?? '');

export function PublicGridPage() {
  const code = publicGridCode(window.location.pathname);
  const grid = useQuery({ queryKey: ['public-grid', code], queryFn: () => call(api.api.public.grids[':code'].$get({ param: { code } })), retry: false });
  if (grid.isPending) return <p className="muted party-page">正在加载…</p>;
  if (grid.isError) return <p className="party-error party-page">{errorMessage(grid.error)}</p>;
  const g = grid.data;
  return (
    <main className="party-page" data-testid="public-grid">
      <h2>
        {g.grid.streetName} {g.grid.communityName} {g.grid.name}
      </h2>
      <p>党组织：{g.organisation ?? '—'}</p>
      <ul className="org-tree">
        {g.roster.map((r) => (
          <li key={r.id}>
            {r.hasPhoto && <img src={`/api/public/grids/${g.grid.code}/roster/${r.id}/photo`} alt={r.name ?? ''} width={48} height={64} />}
            <span className="org-kind">{ROSTER_ROLE_LABELS[r.role]}</span>
            {r.name}
            {r.phone && (
              <>
                {' '}
                <a href={`tel:${r.phone}`}>{r.phone}</a>
              </>
            )}
            {r.duties && <div className="muted">{r.duties}</div>}
          </li>
        ))}
      </ul>
    </main>
  );
}
