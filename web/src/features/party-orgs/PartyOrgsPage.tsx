/**
 * 党组织: the tree (街道党工委 → 社区党总支 → 网格党支部 → 党小组) of a street with each
 * organisation's secretary (masked per role) and members, and the 组建率 of the region and
 * its children — computed by the server from the tree, never typed in.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { type Answer, api, call } from '../../api/client';
import { errorMessage, type RegionTreeNode, useRegionTree } from '../../api/queries';
import { Header } from '../header/Header';
import './party.css';

/** Every region of one level in the tree (streets, communities). */
export function regionsAt(roots: readonly RegionTreeNode[], level: RegionTreeNode['level']): RegionTreeNode[] {
  return roots.flatMap((r) => (r.level === level ? [r] : regionsAt(r.children, level)));
}

type OrgNode = Answer<typeof api.api.party.orgs.$get>[number];

export function FormationRates({ region }: { region: string | null }) {
  const rates = useQuery({ queryKey: ['formation', region], queryFn: () => call(api.api.party.formation.$get({ query: region ? { region } : {} })) });
  if (rates.isPending) return <p className="muted">正在计算组建率…</p>;
  if (rates.isError) return <p className="party-error">{errorMessage(rates.error)}</p>;
  const { region: r, children } = rates.data;
  return (
    <section aria-label="组建率" data-testid="formation">
      <div className="party-rates">
        <div className="party-rate">
          网格党组织组建率
          <br />
          <strong data-testid="grid-rate">{r.gridRate}%</strong>{' '}
          <span className="muted">
            {r.gridsOrganised}/{r.grids} 个网格
          </span>
        </div>
        <div className="party-rate">
          小区党组织组建率
          <br />
          <strong data-testid="estate-rate">{r.estateRate}%</strong>{' '}
          <span className="muted">
            单独 {r.estatesSingle} · 联合 {r.estatesJoint} · 未组建 {r.estatesNone}（共 {r.estates}）
          </span>
        </div>
      </div>
      {children.length > 0 && (
        <table className="party-table">
          <thead>
            <tr>
              <th>区域</th>
              <th>网格组建率</th>
              <th>小区组建率</th>
              <th>单独/联合/未组建</th>
              <th>党组织数</th>
            </tr>
          </thead>
          <tbody>
            {children.map((c) => (
              <tr key={c.code}>
                <td>{c.name}</td>
                <td>
                  {c.gridRate}%（{c.gridsOrganised}/{c.grids}）
                </td>
                <td>{c.estateRate}%</td>
                <td>
                  {c.estatesSingle}/{c.estatesJoint}/{c.estatesNone}
                </td>
                <td>{c.organisations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Tree({ nodes, parentId, byParent }: { nodes: OrgNode[]; parentId: number | null; byParent: Map<number | null, OrgNode[]> }) {
  const mine = byParent.get(parentId) ?? [];
  if (mine.length === 0) return null;
  return (
    <ul className="org-tree">
      {mine.map((o) => (
        <li key={o.id}>
          <span className="org-kind">{o.kind}</span>
          {o.name}
          {o.joint && <span className="muted">（联合）</span>}
          <span className="muted">
            {' '}
            · 书记 {o.personalDataWithheld ? '无权查看' : (o.secretary ?? '—')}
            {o.secretaryPhone ? ` ${o.secretaryPhone}` : ''} · 党员 {o.members} 名{o.foundedOn ? ` · 成立于 ${o.foundedOn}` : ''}
          </span>
          <Tree nodes={nodes} parentId={o.id} byParent={byParent} />
        </li>
      ))}
    </ul>
  );
}

export function PartyOrgsPage() {
  const regions = useRegionTree();
  const streets = useMemo(() => regionsAt(regions.data ?? [], 'street'), [regions.data]);
  const [street, setStreet] = useState<string>('');
  const region = street || streets[0]?.code || null;
  const orgs = useQuery({ queryKey: ['orgs', region], enabled: region !== null, queryFn: () => call(api.api.party.orgs.$get({ query: region ? { region } : {} })) });
  const byParent = useMemo(() => {
    const map = new Map<number | null, OrgNode[]>();
    const ids = new Set((orgs.data ?? []).map((o) => o.id));
    for (const o of orgs.data ?? []) {
      const key = o.parentId !== null && ids.has(o.parentId) ? o.parentId : null;
      map.set(key, [...(map.get(key) ?? []), o]);
    }
    return map;
  }, [orgs.data]);
  return (
    <div className="app">
      <Header dataset={undefined} streets={[]} current="/party" subtitle="党组织体系与组建率" />
      <main className="party-page">
        <h2>组建率（全市/区）</h2>
        <FormationRates region={null} />
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
        </div>
        {region && <FormationRates region={region} />}
        <h2>组织树</h2>
        {orgs.isPending ? <p className="muted">正在加载…</p> : orgs.isError ? <p className="party-error">{errorMessage(orgs.error)}</p> : <Tree nodes={orgs.data} parentId={null} byParent={byParent} />}
      </main>
    </div>
  );
}
