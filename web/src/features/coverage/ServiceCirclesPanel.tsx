/**
 * 党群服务中心 and their walking circles on the main map: choose the centre level and
 * the walk (5/10/15 min); centres are dots coloured by level, circles come from the
 * road network (or a labelled straight-line fallback). Hands its deck.gl layers to the
 * parent via `onLayers`, like the incidents panel, and shows the coverage summary.
 */
import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { api, call, type Answer } from '../../api/client';
import { errorMessage } from '../../api/queries';
import { CoverageSummaryPanel } from './CoverageSummaryPanel';
import { isochroneLayers } from './isochroneLayers';
import { LEVEL_COLOURS, LEVEL_NAMES } from './isochroneStyle';
import './coverage.css';

type CentreFeature = Answer<typeof api.api.centres.$get>['features'][number];
type Level = CentreFeature['properties']['level'];
const LEVELS: Level[] = ['community', 'street', 'estate', 'district', 'city'];
const MINUTES = [15, 10, 5] as const;

export function ServiceCirclesPanel({ onLayers, region }: { onLayers: (layers: Layer[]) => void; region?: string | null }) {
  const [level, setLevel] = useState<Level>('community');
  const [minutes, setMinutes] = useState<(typeof MINUTES)[number]>(15);
  const [hovered, setHovered] = useState<CentreFeature['properties'] | null>(null);

  const centres = useQuery({
    queryKey: ['centres', 'all'],
    queryFn: async () => (await call(api.api.centres.$get({ query: { kind: 'party_centre' } }))).features,
    staleTime: 60_000,
  });
  const circles = useQuery({
    queryKey: ['coverage', 'isochrones', 'level', level, minutes],
    queryFn: () => call(api.api.coverage.isochrones.$get({ query: { level, minutes: String(minutes) } })),
    staleTime: 60_000,
  });

  const layers = useMemo(() => {
    const out: Layer[] = [];
    const features = circles.data?.features ?? [];
    if (features.length > 0) out.push(...isochroneLayers(features, { id: 'service-circles' }));
    if (centres.data) {
      out.push(
        new ScatterplotLayer<CentreFeature>({
          id: 'service-centres',
          data: centres.data,
          getPosition: (d) => d.geometry.coordinates,
          getFillColor: (d) => [...LEVEL_COLOURS[d.properties.level], 255] as [number, number, number, number],
          getLineColor: [255, 255, 255, 230],
          lineWidthMinPixels: 1,
          stroked: true,
          radiusUnits: 'pixels',
          getRadius: (d) => ({ city: 9, district: 8, street: 7, community: 5, estate: 3.5 })[d.properties.level],
          pickable: true,
          onHover: (info) => setHovered(info.object ? info.object.properties : null),
        }),
      );
    }
    return out;
  }, [circles.data, centres.data]);

  useEffect(() => onLayers(layers), [layers, onLayers]);
  useEffect(() => () => onLayers([]), [onLayers]);

  const fallback = (circles.data?.features ?? []).filter((f) => f.properties.method === 'buffer').length;
  return (
    <section className="service-circles" aria-label="15分钟党群服务圈" data-testid="service-circles">
      <div className="service-circles-controls">
        <label>
          中心层级
          <select value={level} onChange={(e) => setLevel(e.target.value as Level)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {LEVEL_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          步行
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value) as (typeof MINUTES)[number])}>
            {MINUTES.map((m) => (
              <option key={m} value={m}>
                {m} 分钟
              </option>
            ))}
          </select>
        </label>
      </div>
      <ul className="service-circles-legend">
        {LEVELS.map((l) => (
          <li key={l}>
            <span className="swatch" style={{ background: `rgb(${LEVEL_COLOURS[l].join(',')})` }} />
            {LEVEL_NAMES[l]}
          </li>
        ))}
      </ul>
      <p className="muted" role="status">
        {circles.isLoading
          ? '正在沿路网计算步行服务圈（首次计算全市需要几秒）…'
          : circles.error
            ? `服务圈加载失败：${errorMessage(circles.error)}`
            : `${circles.data?.features.length ?? 0} 个服务圈${fallback > 0 ? `，其中 ${fallback} 个附近无路网，按直线距离估算（虚线）` : ''}`}
      </p>
      {hovered && (
        <p className="service-centre-hover">
          <strong>{hovered.name}</strong>：{Math.round(hovered.areaM2)} 平方米，服务 {hovered.householdsServed} 户{hovered.openingHours ? `，${hovered.openingHours}` : ''}
        </p>
      )}
      <CoverageSummaryPanel region={region ?? undefined} target={80} />
    </section>
  );
}
