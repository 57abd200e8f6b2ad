/**
 * Why: planners and leaders ask how a street looked before a boundary change. Two maps through
 * the one map shell (OverlayMap), kept on the same camera, each drawing the grids valid at the end
 * of its date (from the grid versions), coloured by the year's incidents counted in the grid valid
 * when each happened; below them the figures of both dates and the grids whose shape differs.
 */
import { useQuery } from '@tanstack/react-query';
import type * as maplibregl from 'maplibre-gl';
import { useMemo, useRef, useState } from 'react';
import { errorMessage, useConfig } from '../../api/queries';
import { extentOf, OverlayMap, type Overlay } from '../map/OverlayMap';
import type { ColourSpecification } from '../map/styleTypes';
import { asOfGridsQuery, asOfStatsQuery, changeDatesQuery } from './historyApi';
import './history.css';

const DEFAULT_REGION = '450902005001';
const INCIDENT_COLOUR: ColourSpecification = ['interpolate', ['linear'], ['get', 'incidents'], 0, '#1f3b63', 10, '#3f7fbf', 30, '#f0b429', 60, '#e05252'];

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

function params(): { region: string; left: string | null; right: string | null } {
  const q = new URLSearchParams(window.location.search);
  return { region: q.get('region') ?? DEFAULT_REGION, left: q.get('left'), right: q.get('right') };
}

export function HistoryComparePage() {
  const initial = useMemo(params, []);
  const config = useConfig();
  const [region, setRegion] = useState(initial.region);
  const dates = useQuery(changeDatesQuery(region));
  // By default: the day before the latest change against today.
  const latestChange = dates.data?.dates.find((d) => d.day < today())?.day;
  const [left, setLeft] = useState<string | null>(initial.left);
  const [right, setRight] = useState<string>(initial.right ?? today());
  const leftDate = left ?? (latestChange ? dayBefore(latestChange) : null);

  return (
    <main className="history-page">
      <header className="history-bar">
        <h1>历史对比</h1>
        <label>
          区划代码
          <input value={region} onChange={(e) => /^\d{6}(\d{3}){0,2}$/.test(e.target.value) && setRegion(e.target.value)} maxLength={12} />
        </label>
        <label>
          日期一
          <input type="date" data-testid="history-left-date" value={leftDate ?? ''} max={today()} onChange={(e) => e.target.value && setLeft(e.target.value)} />
        </label>
        <label>
          日期二
          <input type="date" data-testid="history-right-date" value={right} max={today()} onChange={(e) => e.target.value && setRight(e.target.value)} />
        </label>
        {dates.data && dates.data.dates.length > 0 ? (
          <span className="history-dates">
            边界变更日：
            {dates.data.dates.slice(0, 6).map((d) => (
              <button type="button" key={d.day} onClick={() => setLeft(dayBefore(d.day))} title={`对比 ${d.day} 前一天与日期二`}>
                {d.day}（{d.changes}）
              </button>
            ))}
          </span>
        ) : null}
      </header>
      {config.error ? <p className="history-error">{errorMessage(config.error)}</p> : null}
      {config.data && leftDate ? <Compare config={config.data} region={region} dates={[leftDate, right]} /> : <p className="history-loading">正在加载…</p>}
    </main>
  );
}

function Compare({ config, region, dates }: { config: NonNullable<ReturnType<typeof useConfig>['data']>; region: string; dates: [string, string] }) {
  const maps = useRef<(maplibregl.Map | null)[]>([null, null]);
  const syncing = useRef(false);
  const ready = (k: 0 | 1) => (map: maplibregl.Map | null) => {
    maps.current[k] = map;
    map?.on('move', () => {
      const other = maps.current[1 - k];
      if (!other || syncing.current) return;
      syncing.current = true;
      other.jumpTo({ center: map.getCenter(), zoom: map.getZoom() });
      syncing.current = false;
    });
  };
  const sides = [0, 1] as const;
  const grids = [useQuery(asOfGridsQuery(dates[0], region)), useQuery(asOfGridsQuery(dates[1], region))] as const;
  const stats = [useQuery(asOfStatsQuery(dates[0], region)), useQuery(asOfStatsQuery(dates[1], region))] as const;
  const overlays = sides.map((k) => (grids[k]?.data ? [{ id: 'asof', data: grids[k].data as unknown as GeoJSON.FeatureCollection, fill: INCIDENT_COLOUR, line: '#cfe3ff', lineWidth: 1.4 } satisfies Overlay] : []));
  const extent = useMemo(() => extentOf(grids[0].data as unknown as GeoJSON.FeatureCollection | undefined), [grids[0].data]);
  const changed = useMemo(() => {
    const [a, b] = [stats[0]?.data, stats[1]?.data];
    if (!a || !b) return [];
    const before = new Map(a.grids.map((g) => [g.code, g]));
    return b.grids
      .map((g) => ({ g, old: before.get(g.code) }))
      .filter(({ g, old }) => !old || Math.abs(old.areaM2 - g.areaM2) > 1 || old.incidents !== g.incidents)
      .map(({ g, old }) => ({ code: g.code, name: g.name, areaBefore: old?.areaM2 ?? null, areaAfter: g.areaM2, incidentsBefore: old?.incidents ?? null, incidentsAfter: g.incidents }));
  }, [stats[0]?.data, stats[1]?.data]);

  return (
    <>
      <section className="history-maps">
        {sides.map((k) => (
          <div className="history-side" key={k} data-testid={`history-side-${k}`} data-asof={dates[k]} data-grids={grids[k]?.data?.features.length ?? ''}>
            <div className="history-side-title">
              截至 {dates[k]}：{grids[k]?.data ? `${grids[k].data.features.length} 个网格` : grids[k]?.error ? errorMessage(grids[k].error) : '加载中…'}
            </div>
            <OverlayMap config={config} overlays={overlays[k] ?? []} hideGrids onMapReady={ready(k)} fitTo={k === 0 ? extent : null} testId={`history-map-${k}`} />
          </div>
        ))}
      </section>
      <section className="history-figures">
        <table>
          <thead>
            <tr>
              <th>截至</th>
              <th>网格</th>
              <th>户数</th>
              <th>人口</th>
              <th>近一年事件</th>
              <th>结案率</th>
            </tr>
          </thead>
          <tbody>
            {sides.map((k) => {
              const t = stats[k]?.data?.totals;
              return (
                <tr key={k} data-testid={`history-totals-${k}`}>
                  <td>{dates[k]}</td>
                  <td>{t?.grids ?? '…'}</td>
                  <td>{t?.households ?? '…'}</td>
                  <td>{t?.population ?? '…'}</td>
                  <td>{t?.incidents ?? '…'}</td>
                  <td>{t?.closeRatePct == null ? '—' : `${t.closeRatePct}%`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <h2>两个日期之间有变化的网格（{changed.length}）</h2>
        <table data-testid="history-changed">
          <thead>
            <tr>
              <th>网格</th>
              <th>面积（平方米）</th>
              <th>近一年事件</th>
            </tr>
          </thead>
          <tbody>
            {changed.slice(0, 50).map((c) => (
              <tr key={c.code}>
                <td>
                  {c.name}（{c.code}）
                </td>
                <td>
                  {c.areaBefore ?? '—'} → {c.areaAfter}
                </td>
                <td>
                  {c.incidentsBefore ?? '—'} → {c.incidentsAfter}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
