/**
 * Why: 多网融合 — seeing another department's grids on ours. The fusion map (the one map shell,
 * OverlayMap) draws our base grids from the tiles and the chosen foreign network over them, every
 * foreign grid that spans several of ours highlighted; beside it the overlap report (which foreign
 * grid spans which of ours and by how much, which of ours are split), exportable as CSV; clicking a
 * foreign grid offers its guided adoption: its boundary clipped to the community, checked by the
 * normal validated save as a dry run, then saved on confirmation.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api/client';
import { errorMessage, useConfig } from '../../api/queries';
import { extentOf, OverlayMap } from '../map/OverlayMap';
import type { ColourSpecification } from '../map/styleTypes';
import { adoptionDraft, foreignGridsQuery, networksQuery, overlapQuery, saveAdopted } from './fusionApi';
import './fusion.css';

const SPAN_COLOUR: ColourSpecification = ['case', ['>', ['get', 'spans'], 1], '#e05252', '#43be6e'];

type Draft = Awaited<ReturnType<typeof adoptionDraft>>;
type Adoption = { draft: Draft; state: 'checking' | 'ok' | 'rejected' | 'saved' | 'error'; message: string };

export function FusionPage() {
  const config = useConfig();
  const networks = useQuery(networksQuery);
  const [networkId, setNetworkId] = useState<number | null>(null);
  useEffect(() => {
    if (networkId === null && networks.data?.networks[0]) setNetworkId(networks.data.networks[0].id);
  }, [networks.data, networkId]);
  const grids = useQuery({ ...foreignGridsQuery(networkId ?? 0), enabled: networkId !== null });
  const report = useQuery({ ...overlapQuery(networkId ?? 0), enabled: networkId !== null });
  const [adoption, setAdoption] = useState<Adoption | null>(null);
  const queryClient = useQueryClient();

  const overlays = useMemo(
    () => [
      ...(grids.data ? [{ id: 'foreign', data: grids.data as unknown as GeoJSON.FeatureCollection, fill: SPAN_COLOUR, fillOpacity: 0.3, line: '#ffd166', lineWidth: 2 }] : []),
      ...(adoption
        ? [
            {
              id: 'adopt',
              data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: adoption.draft.geometry }] } as GeoJSON.FeatureCollection,
              fill: '#6cb4ff',
              fillOpacity: 0.55,
              line: '#ffffff',
              lineWidth: 3,
            },
          ]
        : []),
    ],
    [grids.data, adoption],
  );

  const startAdoption = async (id: number) => {
    try {
      const draft = await adoptionDraft(id);
      setAdoption({ draft, state: 'checking', message: '正在按网格规则检查…' });
      if (!draft.target) return setAdoption({ draft, state: 'error', message: '社区内没有可调整的基础网格' });
      await saveAdopted(draft.target.code, draft.target.version, draft.geometry, true);
      setAdoption({ draft, state: 'ok', message: `检查通过：${draft.target.name}（${draft.target.code}）将采用此边界，相邻网格随之调整` });
    } catch (e) {
      const violations = e instanceof ApiError ? (e.problem.violations as { message: string }[] | undefined) : undefined;
      setAdoption((a) => (a ? { ...a, state: violations ? 'rejected' : 'error', message: violations ? violations.map((v) => v.message).join('；') : errorMessage(e) } : a));
    }
  };
  const confirm = async () => {
    const a = adoption;
    if (!a?.draft.target) return;
    try {
      await saveAdopted(a.draft.target.code, a.draft.target.version, a.draft.geometry, false);
      setAdoption({ ...a, state: 'saved', message: `已保存：${a.draft.target.name} 采用了 ${a.draft.foreignGrid.name} 的边界` });
      await queryClient.invalidateQueries({ queryKey: ['fusion'] });
    } catch (e) {
      setAdoption({ ...a, state: 'error', message: errorMessage(e) });
    }
  };

  const extent = useMemo(() => extentOf(grids.data as unknown as GeoJSON.FeatureCollection | undefined), [grids.data]);
  const summary = report.data?.summary;
  return (
    <main className="fusion-page">
      <aside className="fusion-panel">
        <h1>多网融合</h1>
        <label>
          外部网格体系
          <select value={networkId ?? ''} onChange={(e) => setNetworkId(Number(e.target.value))}>
            {networks.data?.networks.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}（{n.department}，{n.grids} 个网格）
              </option>
            ))}
          </select>
        </label>
        {networks.data?.networks.length === 0 ? <p>尚未导入外部网格体系（POST /api/exports/imports/networks）。</p> : null}
        {summary ? (
          <p className="fusion-summary" data-testid="fusion-summary" data-spanning={summary.spanningSeveral}>
            {summary.foreignGrids} 个外部网格中 <strong>{summary.spanningSeveral}</strong> 个跨越多个基础网格；<strong>{summary.oursSplit}</strong> 个基础网格被分割；{summary.aligned} 对边界一致
          </p>
        ) : report.error ? (
          <p className="fusion-error">{errorMessage(report.error)}</p>
        ) : (
          <p>正在计算重叠…</p>
        )}
        {networkId !== null ? (
          <a className="fusion-csv" href={`/api/fusion/networks/${networkId}/overlaps?format=csv`} download>
            导出重叠报告（CSV）
          </a>
        ) : null}
        {adoption ? (
          <section className={`fusion-adopt fusion-adopt-${adoption.state}`} data-testid="fusion-adopt" data-state={adoption.state}>
            <h2>采纳边界：{adoption.draft.foreignGrid.name}</h2>
            <p>{adoption.message}</p>
            {adoption.state === 'ok' ? (
              <button type="button" onClick={confirm}>
                确认保存
              </button>
            ) : null}
            <button type="button" onClick={() => setAdoption(null)}>
              取消
            </button>
          </section>
        ) : (
          <p className="fusion-hint">点击地图上的外部网格，可将其边界（裁剪到社区）采纳为基础网格边界。</p>
        )}
        <h2>跨越多个基础网格的外部网格</h2>
        <ul className="fusion-list" data-testid="fusion-spanning">
          {report.data?.foreign
            .filter((f) => f.spans > 1)
            .slice(0, 40)
            .map((f) => (
              <li key={f.code}>
                {f.name}：{f.grids.map((g) => `${g.name} ${g.ofForeignPct}%`).join('、')}
              </li>
            ))}
        </ul>
      </aside>
      <section className="fusion-map">
        {config.data ? (
          <OverlayMap
            config={config.data}
            overlays={overlays}
            testId="fusion-map"
            fitTo={extent}
            onFeatureClick={(layer, props) => {
              if (layer === 'foreign' && typeof props.id === 'number') void startAdoption(props.id);
            }}
          />
        ) : null}
        <div className="fusion-legend">
          <span className="swatch red" /> 跨越多个基础网格 <span className="swatch green" /> 只在一个基础网格内
        </div>
      </section>
    </main>
  );
}
