/**
 * The grid panel's people (issue 16): the grid's organisation chain from the tree and its
 * roster by role, as the reader's role allows (withheld or masked by the server), with a
 * link to the full 网格队伍 page and its 民情联系卡.
 */
import { useQuery } from '@tanstack/react-query';
import { ROSTER_ROLE_LABELS } from '../../../../kernel/rosterRoles';
import { api, call } from '../../api/client';
import { errorMessage } from '../../api/queries';

export function GridPeople({ code }: { code: string }) {
  const people = useQuery({ queryKey: ['grid-people', code], queryFn: () => call(api.api.party.grids[':code'].people.$get({ param: { code } })) });
  return (
    <section aria-labelledby="grid-people" data-testid="grid-people">
      <h4 id="grid-people">组织与队伍</h4>
      {people.isPending ? (
        <p className="muted">正在加载…</p>
      ) : people.isError ? (
        <p className="error-message">{errorMessage(people.error)}</p>
      ) : (
        <>
          <p className="muted">{people.data.organisations.map((o) => o.name).join(' › ') || '尚未建立网格党组织'}</p>
          {people.data.personalDataWithheld ? (
            <p className="muted">无权查看人员信息</p>
          ) : (
            <ul className="workers">
              {people.data.roster.map((r) => (
                <li key={r.id}>
                  {ROSTER_ROLE_LABELS[r.role]}：{r.name}
                  {r.phone ? ` ${r.phone}` : ''}
                </li>
              ))}
            </ul>
          )}
          <p className="muted">
            1+1带N {people.data.pairs.length} 对 · <a href={`/rosters?grid=${code}`}>网格队伍与联系卡</a>
          </p>
        </>
      )}
    </section>
  );
}
