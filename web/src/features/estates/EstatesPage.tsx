/**
 * 小区: the estates of a street with property company, 业委会, households, organisation
 * status (单独/联合/未组建), 红色物业 and the service-space norm (30 m²/100 户, ≥ 300 m²)
 * flagged; filter to those short of the norm.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ESTATE_ORG_LABELS } from '../../../../kernel/partyOrgs';
import { api, call } from '../../api/client';
import { errorMessage, useRegionTree } from '../../api/queries';
import { Header } from '../header/Header';
import { FormationRates, regionsAt } from '../party-orgs/PartyOrgsPage';
import '../party-orgs/party.css';

export function EstatesPage() {
  const regions = useRegionTree();
  const streets = useMemo(() => regionsAt(regions.data ?? [], 'street'), [regions.data]);
  const [street, setStreet] = useState('');
  const [belowNorm, setBelowNorm] = useState(false);
  const region = street || streets[0]?.code || null;
  const estates = useQuery({
    queryKey: ['estates', region, belowNorm],
    enabled: region !== null,
    queryFn: () => call(api.api.party.estates.$get({ query: { ...(region ? { region } : {}), ...(belowNorm ? { belowNorm: 'true' } : {}) } })),
  });
  return (
    <div className="app">
      <Header dataset={undefined} streets={[]} current="/estates" subtitle="小区党组织与红色物业" />
      <main className="party-page">
        <div className="party-toolbar">
          <label>
            街道{' '}
            <select value={region ?? ''} onChange={(e) => setStreet(e.target.value)} aria-label="选择街道">
              {streets.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={belowNorm} onChange={(e) => setBelowNorm(e.target.checked)} /> 只看阵地面积不达标
          </label>
        </div>
        {region && <FormationRates region={region} />}
        {estates.isPending ? (
          <p className="muted">正在加载…</p>
        ) : estates.isError ? (
          <p className="party-error">{errorMessage(estates.error)}</p>
        ) : (
          <table className="party-table" data-testid="estates">
            <thead>
              <tr>
                <th>小区</th>
                <th>社区</th>
                <th>户数</th>
                <th>物业企业</th>
                <th>业委会</th>
                <th>党组织</th>
                <th>红色物业</th>
                <th>阵地面积 / 标准</th>
              </tr>
            </thead>
            <tbody>
              {estates.data.features.map(({ properties: e }) => (
                <tr key={e.id}>
                  <td>{e.name}</td>
                  <td>{e.communityName}</td>
                  <td>{e.households}</td>
                  <td>{e.propertyCompany ?? '—'}</td>
                  <td>{e.ownersCommittee ? '已成立' : '未成立'}</td>
                  <td>
                    {ESTATE_ORG_LABELS[e.orgStatus]}
                    {e.partyOrgName ? <span className="muted">（{e.partyOrgName}）</span> : null}
                  </td>
                  <td>{e.redProperty ? '是' : '否'}</td>
                  <td className={e.norm.meets ? 'flag-ok' : 'flag-bad'}>
                    {e.norm.actualM2} / {e.norm.requiredM2} m²{e.norm.meets ? ' 达标' : ` 缺 ${e.norm.shortfallM2} m²`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {estates.data?.truncated && <p className="muted">只显示前 2000 个小区</p>}
      </main>
    </div>
  );
}
