/**
 * 阵地管理: every kind of 阵地 (党群服务中心 at five levels, 红色驿站, 小哥驿站, 红色物业服务点,
 * 社会组织孵化中心) on a list and a map. The list filters by kind, level, region and name and shows
 * area, households served, the norm (30 m² per 100 households, an estate ≥ 300 m²) and whether the
 * walking circles are ready. Planners create (a click on the map), move (drag), edit and delete the
 * facilities of their jurisdiction; others are read-only, and the server refuses them anyway. After a
 * save the background job (server/coverage/isochroneJob.ts) computes the new circles: the page
 * polls while any is outstanding and shows the job's state.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { FACILITY_KIND_INFO, FACILITY_KINDS, FACILITY_LEVEL_NAMES, FACILITY_LEVELS, type FacilityKind, type FacilityLevel } from '../../../../kernel/facilityKinds';
import { errorMessage, useConfig, useRegionTree, type RegionTreeNode } from '../../api/queries';
import { can, useSession } from '../auth/session';
import { Header } from '../header/Header';
import { createFacility, deleteFacility, fetchCircle, fetchFacilities, fetchPlace, updateFacility, type Facility, type FacilityFilter, type FacilityList } from './facilitiesApi';
import { FacilityForm, type FacilityDraft } from './FacilityForm';
import { FacilityMap } from './FacilityMap';
import { CircleStatus, NormBadge } from './facilityStatus';
import './facilities.css';

const int = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 1 });

/** Streets and their communities, for the region filter. */
function regionOptions(tree: RegionTreeNode[] | undefined): { code: string; label: string }[] {
  const out: { code: string; label: string }[] = [];
  const walk = (nodes: RegionTreeNode[]) => {
    for (const n of nodes) {
      if (n.level === 'street') out.push({ code: n.code, label: n.name });
      if (n.level === 'community') out.push({ code: n.code, label: `　${n.name}` });
      walk(n.children);
    }
  };
  walk(tree ?? []);
  return out;
}

function draftOf(f: { id: number; geometry: Facility['geometry']; properties: Omit<Facility['properties'], 'editable'> }): FacilityDraft {
  const p = f.properties;
  return {
    id: f.id,
    name: p.name,
    kind: p.kind,
    level: p.level,
    region: { code: p.regionCode, name: p.regionName ?? p.regionCode },
    areaM2: String(p.areaM2),
    householdsServed: String(p.householdsServed),
    address: p.address ?? '',
    openingHours: p.openingHours ?? '',
    position: f.geometry.coordinates,
  };
}

const samePosition = (a: [number, number], b: [number, number]) => a[0] === b[0] && a[1] === b[1];

export function FacilitiesPage() {
  const user = useSession();
  const config = useConfig();
  const tree = useRegionTree();
  const client = useQueryClient();
  const editor = can.edit(user);
  const [kind, setKind] = useState<FacilityKind | ''>('');
  const [level, setLevel] = useState<FacilityLevel | ''>('');
  const [region, setRegion] = useState('');
  const [search, setSearch] = useState('');
  const q = useDeferredValue(search.trim());
  const [draft, setDraft] = useState<FacilityDraft | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const filter: FacilityFilter = { ...(kind ? { kind } : {}), ...(level ? { level } : {}), ...(region ? { region } : {}), ...(q ? { q } : {}) };
  const waiting = (data: FacilityList | undefined) =>
    !!data && (data.circleJob.state === 'running' || data.circleJob.state === 'idle') && data.features.some((f) => f.properties.circles.ready < f.properties.circles.total);
  const list = useQuery({
    queryKey: ['facilities', 'list', filter],
    queryFn: () => fetchFacilities(filter),
    placeholderData: keepPreviousData,
    // While the background job computes circles the list refreshes itself to show them ready.
    refetchInterval: (query) => (waiting(query.state.data) ? 2000 : false),
  });
  // The map always shows every facility (the filters narrow the list), so that neighbours stay in view.
  const all = useQuery({ queryKey: ['facilities', 'list', {}], queryFn: () => fetchFacilities({}), refetchInterval: (query) => (waiting(query.state.data) ? 2000 : false) });
  const features = list.data?.features ?? [];
  const byId = useMemo(() => new Map((all.data?.features ?? []).map((f) => [f.id, f])), [all.data]);
  const selected = draft?.id != null ? (byId.get(draft.id) ?? null) : null;

  // The region of a placed or moved facility: looked up where it stands.
  const moved = draft !== null && (!selected || !samePosition(selected.geometry.coordinates, draft.position) || selected.properties.level !== draft.level);
  const place = useQuery({ queryKey: ['facilities', 'place', draft?.position], queryFn: () => fetchPlace(draft!.position), enabled: draft !== null && moved, staleTime: Infinity });
  const effectiveDraft: FacilityDraft | null = useMemo(() => {
    if (!draft) return null;
    if (!moved) return draft;
    const r = place.data?.regionFor[draft.level];
    return { ...draft, region: place.data ? (r ?? null) : draft.region };
  }, [draft, moved, place.data]);

  const circleReady = selected ? selected.properties.circles.ready === selected.properties.circles.total : false;
  const circle = useQuery({ queryKey: ['facilities', 'circle', selected?.id, selected?.properties.updatedAt], queryFn: () => fetchCircle(selected!.id), enabled: !!selected && circleReady });

  const refresh = () => client.invalidateQueries({ queryKey: ['facilities', 'list'] });
  const save = useMutation({
    mutationFn: async (body: Parameters<typeof createFacility>[0]) => (draft?.id != null ? updateFacility(draft.id, body) : createFacility(body)),
    onSuccess: async (saved) => {
      setNotice(draft?.id != null ? `已保存「${saved.properties.name}」，步行圈正在后台重新计算` : `已新建「${saved.properties.name}」，步行圈正在后台计算`);
      setDraft(draftOf(saved));
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => deleteFacility(id),
    onSuccess: async () => {
      setNotice(`已删除「${draft?.name ?? ''}」`);
      setDraft(null);
      await refresh();
    },
  });

  const select = (id: number) => {
    const f = byId.get(id);
    if (f) {
      setNotice(null);
      setDraft(draftOf(f));
    }
  };
  const placeNew = (position: [number, number]) => {
    setNotice(null);
    setDraft((d) =>
      d && d.id === null
        ? { ...d, position }
        : {
            id: null,
            name: '',
            kind: kind || 'red_station',
            level: level && FACILITY_KIND_INFO[kind || 'red_station'].levels.includes(level) ? level : 'community',
            region: null,
            areaM2: '',
            householdsServed: '',
            address: '',
            openingHours: '',
            position,
          },
    );
  };
  const move = (id: number | null, position: [number, number]) => setDraft((d) => (d && d.id === id ? { ...d, position } : d));

  const readOnlyReason = !effectiveDraft
    ? undefined
    : !editor
      ? '您的角色只能查看阵地，不能修改。'
      : effectiveDraft.id !== null && selected && !selected.properties.editable
        ? `该阵地属于${selected.properties.regionName ?? selected.properties.regionCode}，不在您的辖区（${user.jurisdictionCode ?? '无'}）内，只能查看。`
        : undefined;
  const placeOutside = effectiveDraft?.id === null && place.data && !place.data.editable ? '此处不在您的辖区内：服务器将拒绝新建，请在辖区内点击。' : null;
  const job = all.data?.circleJob;
  const regions = regionOptions(tree.data);

  return (
    <div className="app facilities-app">
      <Header dataset={config.data?.dataset} streets={[]} current="/facilities" subtitle="阵地管理" />
      <main className="facilities-page">
        <div className="facilities-main">
          {config.data ? (
            <FacilityMap
              config={config.data}
              facilities={all.data?.features ?? []}
              selectedId={effectiveDraft?.id ?? null}
              draft={effectiveDraft ? { position: effectiveDraft.position, kind: effectiveDraft.kind } : null}
              circle={circle.data ?? null}
              canPlace={editor}
              onSelect={select}
              onPlace={placeNew}
              onMove={move}
            />
          ) : (
            <div className="facilities-map" role="status">
              {config.error ? errorMessage(config.error) : '正在加载地图…'}
            </div>
          )}
          <section className="facilities-list" aria-label="阵地列表">
            <div className="facilities-filters" role="search">
              <label>
                类型
                <select value={kind} onChange={(e) => setKind(e.target.value as FacilityKind | '')} aria-label="按类型筛选">
                  <option value="">全部类型</option>
                  {FACILITY_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {FACILITY_KIND_INFO[k].label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                级别
                <select value={level} onChange={(e) => setLevel(e.target.value as FacilityLevel | '')} aria-label="按级别筛选">
                  <option value="">全部级别</option>
                  {FACILITY_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {FACILITY_LEVEL_NAMES[l]}级
                    </option>
                  ))}
                </select>
              </label>
              <label>
                区划
                <select value={region} onChange={(e) => setRegion(e.target.value)} aria-label="按区划筛选">
                  <option value="">全市</option>
                  {regions.map((r) => (
                    <option key={r.code} value={r.code}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                名称
                <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="搜索名称" aria-label="按名称搜索" />
              </label>
              <span className="facilities-count" role="status" data-testid="facilities-count">
                {list.isFetching && !list.data ? '正在加载…' : `共 ${features.length} 处`}
              </span>
              {job && <CircleJobLine job={job} />}
            </div>
            {list.error && <p role="alert">{errorMessage(list.error)}</p>}
            <div className="facilities-table-wrap">
              <table className="facilities-table" data-testid="facilities-table">
                <thead>
                  <tr>
                    <th scope="col">名称</th>
                    <th scope="col">类型</th>
                    <th scope="col">级别</th>
                    <th scope="col">所属区划</th>
                    <th scope="col" className="num">
                      面积（m²）
                    </th>
                    <th scope="col" className="num">
                      服务户数
                    </th>
                    <th scope="col">规范（每百户 30 m²）</th>
                    <th scope="col">步行圈</th>
                    <th scope="col">权限</th>
                  </tr>
                </thead>
                <tbody>
                  {features.map((f) => (
                    <tr key={f.id} data-id={f.id} aria-selected={f.id === draft?.id} className={f.id === draft?.id ? 'selected' : undefined} onClick={() => select(f.id)}>
                      <td>
                        <button type="button" className="text-button" onClick={() => select(f.id)}>
                          <span className="facilities-swatch" style={{ background: FACILITY_KIND_INFO[f.properties.kind].colour }} />
                          {f.properties.name}
                        </button>
                      </td>
                      <td>{f.properties.kindName}</td>
                      <td>{f.properties.levelName}</td>
                      <td>{f.properties.regionName ?? f.properties.regionCode}</td>
                      <td className="num">{int(f.properties.areaM2)}</td>
                      <td className="num">{f.properties.householdsServed > 0 ? int(f.properties.householdsServed) : '—'}</td>
                      <td>
                        <NormBadge norm={f.properties.norm} />
                      </td>
                      <td>
                        <CircleStatus circles={f.properties.circles} job={list.data?.circleJob.state ?? 'off'} />
                      </td>
                      <td>{f.properties.editable ? '可编辑' : <span className="facility-muted">只读</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {list.data && features.length === 0 && <p className="facility-muted">没有符合条件的阵地。</p>}
            </div>
          </section>
        </div>
        <aside className="facilities-side" aria-label="阵地详情">
          {notice && (
            <p className="facility-saved" role="status" data-testid="facility-notice">
              {notice}
            </p>
          )}
          {effectiveDraft ? (
            <FacilityForm
              key={effectiveDraft.id ?? 'new'}
              draft={effectiveDraft}
              readOnly={readOnlyReason !== undefined}
              readOnlyReason={readOnlyReason}
              locating={moved && place.isFetching}
              onChange={setDraft}
              onSave={async (body) => {
                await save.mutateAsync(body);
              }}
              onDelete={async () => {
                if (effectiveDraft.id !== null) await remove.mutateAsync(effectiveDraft.id);
              }}
              onClose={() => setDraft(null)}
              status={
                <>
                  {placeOutside && (
                    <p className="facility-problem" role="alert">
                      {placeOutside}
                    </p>
                  )}
                  {selected && (
                    <dl className="facility-status" data-testid="facility-status">
                      <dt>规范</dt>
                      <dd>
                        <NormBadge norm={selected.properties.norm} long />
                      </dd>
                      <dt>步行圈</dt>
                      <dd>
                        <CircleStatus circles={selected.properties.circles} job={job?.state ?? 'off'} long />
                      </dd>
                    </dl>
                  )}
                </>
              }
            />
          ) : (
            <div className="facility-help">
              <h2>阵地管理</h2>
              {editor ? (
                <p>在地图上点击空白处新建阵地（{FACILITY_KINDS.map((k) => FACILITY_KIND_INFO[k].short).join('、')}），点击圆点或列表中的一行查看、编辑；拖动所选圆点可移动位置。只能修改您辖区内的阵地。</p>
              ) : (
                <p>点击地图上的圆点或列表中的一行查看阵地详情（只读）。</p>
              )}
            </div>
          )}
        </aside>
      </main>
    </div>
  );
}

function CircleJobLine({ job }: { job: FacilityList['circleJob'] }) {
  const text =
    job.state === 'running'
      ? `步行圈后台计算中：${int(job.ready)} / ${int(job.total)}`
      : job.state === 'failed'
        ? `步行圈后台计算出错，将自动重试（${int(job.ready)} / ${int(job.total)}）`
        : job.state === 'off'
          ? `步行圈后台任务未运行（已就绪 ${int(job.ready)} / ${int(job.total)}）`
          : `步行圈全部就绪（${int(job.ready)} / ${int(job.total)}）`;
  return (
    <span className={`facilities-job job-${job.state}`} data-testid="circle-job">
      {text}
    </span>
  );
}
