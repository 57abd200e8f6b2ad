/**
 * 巡查轨迹 on the main map: the patrols of one community (the selected grid's, or a
 * code typed in) today or over the last 7 days, as deck.gl paths coloured by worker
 * (active patrols drawn wider), with a legend of workers and their hours, km and
 * check-ins. Hands its layers to the parent via `onLayers`, like the other thematic
 * panels. Names are shown only where the reader's role may read them (the server
 * withholds them otherwise).
 */
import type { Layer } from '@deck.gl/core';
import { PathLayer } from '@deck.gl/layers';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { api, call, type Answer } from '../../api/client';
import { errorMessage } from '../../api/queries';
import { cssColour, hoursText, kmText, workerColour } from './patrolStyle';
import './patrols.css';

type Tracks = Answer<typeof api.api.patrols.$get>;
type Track = Tracks['features'][number];
type Span = 'today' | 'week';

function periodOf(span: Span): { from: string; to: string } {
  const now = new Date();
  const to = new Date(now.getTime() + 60_000);
  if (span === 'week') return { from: new Date(now.getTime() - 7 * 86_400_000).toISOString(), to: to.toISOString() };
  // Midnight China time.
  const local = now.getTime() + 8 * 3600_000;
  return { from: new Date(Math.floor(local / 86_400_000) * 86_400_000 - 8 * 3600_000).toISOString(), to: to.toISOString() };
}

export function PatrolsPanel({ onLayers, community }: { onLayers: (layers: Layer[]) => void; community: string | null }) {
  const [span, setSpan] = useState<Span>('week');
  const [typed, setTyped] = useState('');
  const code = /^\d{12}$/.test(typed) ? typed : community;
  const tracks = useQuery({
    queryKey: ['patrols', 'community', code, span],
    queryFn: () => call(api.api.patrols.$get({ query: { community: code as string, ...periodOf(span) } })),
    enabled: code !== null,
    staleTime: 30_000,
    refetchInterval: 60_000,
  });

  const layers = useMemo(() => {
    const features = (tracks.data?.features ?? []).filter((f): f is Track & { geometry: { coordinates: number[][] } } => f.geometry !== null);
    if (features.length === 0) return [];
    return [
      new PathLayer<(typeof features)[number]>({
        id: 'patrol-tracks',
        data: features,
        getPath: (f) => f.geometry.coordinates as [number, number][],
        getColor: (f) => [...workerColour(f.properties.userId), f.properties.status === 'active' ? 255 : 200] as [number, number, number, number],
        getWidth: (f) => (f.properties.status === 'active' ? 5 : 3),
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        pickable: true,
      }),
    ];
  }, [tracks.data]);

  useEffect(() => {
    onLayers(layers);
  }, [layers, onLayers]);
  useEffect(() => () => onLayers([]), [onLayers]);

  const data = tracks.data;
  return (
    <section className="patrols-panel" data-testid="patrols-panel" data-paths={layers.length > 0 ? (tracks.data?.features.filter((f) => f.geometry).length ?? 0) : 0} aria-label="巡查轨迹">
      <h3>网格员巡查轨迹</h3>
      <div className="patrols-controls">
        <label>
          时段
          <select value={span} onChange={(e) => setSpan(e.target.value as Span)}>
            <option value="today">今日</option>
            <option value="week">近 7 天</option>
          </select>
        </label>
        <label>
          社区
          <input aria-label="社区编码" value={typed} placeholder={community ?? '12 位社区编码'} inputMode="numeric" maxLength={12} onChange={(e) => setTyped(e.target.value.trim())} />
        </label>
      </div>
      {code === null && <p className="patrols-hint">在地图上点击一个网格，显示其所在社区的巡查轨迹；或输入社区编码。</p>}
      {tracks.isLoading && <p className="patrols-hint">正在加载巡查轨迹…</p>}
      {tracks.error && (
        <p className="patrols-error" role="alert">
          {errorMessage(tracks.error)}
        </p>
      )}
      {data && (
        <>
          <p className="patrols-totals" data-testid="patrols-totals">
            {data.totals.patrols} 次巡查（进行中 {data.totals.active}），{data.totals.workers} 名网格员，共 {hoursText(data.totals.durationS)}、{kmText(data.totals.distanceM)}、打卡 {data.totals.checkins} 次
          </p>
          <ul className="patrols-legend" aria-label="图例：每名网格员一种颜色，粗线为进行中的巡查">
            {data.workers.map((w) => (
              <li key={w.userId}>
                <span className="patrols-swatch" style={{ background: cssColour(workerColour(w.userId)) }} aria-hidden="true" />
                <span className="patrols-worker">{w.workerName ?? '网格员（姓名不可见）'}</span>
                <span className="patrols-figures">
                  {w.patrols} 次 · {hoursText(w.durationS)} · {kmText(w.distanceM)} · 打卡 {w.checkins}
                </span>
              </li>
            ))}
          </ul>
          {data.workers.length === 0 && <p className="patrols-hint">该时段没有巡查记录。</p>}
          <p className="patrols-note">粗线：进行中的巡查</p>
        </>
      )}
    </section>
  );
}
