/**
 * Incidents on the map: filter bar, layer mode (热力图 / 六边形 / 柱状), fixed-domain
 * legend, 12-month playback and the list of a clicked hexagon. It does not own a
 * map: it hands its deck.gl layers to the parent through `onLayers`, which adds them
 * to the map's deck overlay (see README in this folder for mounting).
 */
import type { Layer } from '@deck.gl/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../api/queries';
import type { Bbox } from '../../../../kernel/bbox';
import { CellIncidentList } from './CellIncidentList';
import { EMPTY_FILTER, filterQuery, viewArea, type IncidentFilterState } from './incidentFilter';
import { IncidentFilterBar } from './IncidentFilterBar';
import { incidentColumnLayer, incidentHeatmapLayer, incidentHexLayer } from './incidentLayers';
import { IncidentLegend } from './IncidentLegend';
import { useLiveInvalidation } from '../live/useLiveInvalidation';
import { useColourDomain, useHeatmap, useHexbins, useTimeSeries } from './incidentQueries';
import { framesFromBuckets, lastTwelveMonths, type Bucket } from './playback';
import { TimePlayback, type PlaybackState } from './TimePlayback';
import './incidents.css';

/** The incident layers' queries (incidentQueries.ts) that live events refresh. */
const LIVE_KEYS = [
  ['incidents', 'hexbins'],
  ['incidents', 'heatmap'],
  ['incidents', 'timeseries'],
  ['incidents', 'domain'],
  ['incidents', 'cell'],
] as const;

export type IncidentLayerMode = 'heatmap' | 'hexbin' | 'columns';
const MODE_LABELS: Record<IncidentLayerMode, string> = { heatmap: '热力图', hexbin: '六边形', columns: '柱状' };

export interface IncidentsPanelProps {
  /** Current map zoom; rounded so that cell sizes (and caches) change per whole level. */
  zoom: number;
  /** Current map bbox: above the zooms whose cells the server stores, only the view is aggregated. */
  bbox?: Bbox;
  onLayers: (layers: Layer[]) => void;
  /** Outer playback period; defaults to the last 12 months. */
  period?: { from: string; to: string };
  /** Restrict to a street/community/grid (code prefix). */
  region?: string | null;
  bucket?: Bucket;
}

export function IncidentsPanel({ zoom, bbox, onLayers, period, region = null, bucket = 'week' }: IncidentsPanelProps) {
  const [filter, setFilter] = useState<IncidentFilterState>(EMPTY_FILTER);
  // New and moved incidents redraw the layers within a second (server-sent events).
  useLiveInvalidation(LIVE_KEYS);
  const [mode, setMode] = useState<IncidentLayerMode>('hexbin');
  const [playback, setPlayback] = useState<PlaybackState>({ playing: false, speed: 1, frame: null });
  const [selected, setSelected] = useState<{ i: number; j: number; count: number } | null>(null);
  const outer = useMemo(() => period ?? lastTwelveMonths(new Date()), [period]);
  const z = String(Math.round(Math.min(18, Math.max(3, zoom))));
  const scoped = useMemo(() => ({ ...filter, region }), [filter, region]);

  const series = useTimeSeries({ ...filterQuery(scoped, outer), bucket });
  const frames = useMemo(() => framesFromBuckets(series.data?.buckets ?? [], bucket), [series.data, bucket]);
  const frame = playback.frame === null ? null : (frames[playback.frame] ?? null);
  const window = frame ? { from: frame.from, to: frame.to } : outer;

  const layerKind = mode === 'heatmap' ? 'heatmap' : 'hexbin';
  const area = viewArea(Number(z), bbox);
  const viewQuery = { ...filterQuery(scoped, window), zoom: z, ...area };
  const hex = useHexbins(viewQuery, layerKind === 'hexbin');
  const heat = useHeatmap(viewQuery, layerKind === 'heatmap');
  // The legend's max: per-frame maximum over the whole period while playing a frame, else this view's own max.
  const domain = useColourDomain({ ...filterQuery(scoped, outer), zoom: z, bucket, layer: layerKind, ...area });
  const viewMax = (layerKind === 'hexbin' ? hex.data?.max : heat.data?.max) ?? 0;
  const domainMax = frame ? (domain.data?.max ?? viewMax) : viewMax;

  const changeFilter = useCallback((next: IncidentFilterState) => {
    setFilter(next);
    setSelected(null);
  }, []);

  const layers = useMemo(() => {
    if (layerKind === 'heatmap') return heat.data ? [incidentHeatmapLayer(heat.data.points, domainMax)] : [];
    if (!hex.data) return [];
    const options = { selected, onClick: (c: { i: number; j: number; count: number }) => setSelected({ i: c.i, j: c.j, count: c.count }) };
    return [mode === 'columns' ? incidentColumnLayer(hex.data.cells, domainMax, options) : incidentHexLayer(hex.data.cells, domainMax, options)];
  }, [layerKind, mode, heat.data, hex.data, domainMax, selected]);

  useEffect(() => onLayers(layers), [layers, onLayers]);
  useEffect(() => () => onLayers([]), [onLayers]);

  const error = series.error ?? hex.error ?? heat.error ?? domain.error;
  return (
    <div className="incidents-panel" data-testid="incidents-panel">
      <div role="radiogroup" aria-label="图层样式">
        {(Object.keys(MODE_LABELS) as IncidentLayerMode[]).map((m) => (
          <button key={m} type="button" role="radio" aria-checked={mode === m} onClick={() => setMode(m)}>
            {MODE_LABELS[m]}
          </button>
        ))}
      </div>
      <IncidentFilterBar value={filter} onChange={changeFilter} />
      {error ? <p role="alert">事件数据加载失败：{errorMessage(error)}</p> : null}
      <IncidentLegend max={domainMax} unit={layerKind === 'hexbin' ? '每个六边形的事件数' : '每个热力单元的事件数'} frameLabel={frame?.label} />
      <TimePlayback frames={frames} state={playback} onChange={setPlayback} />
      {selected && layerKind === 'hexbin' ? (
        <CellIncidentList
          key={`${selected.i},${selected.j},${JSON.stringify(viewQuery)}`}
          query={{ ...viewQuery, i: String(selected.i), j: String(selected.j) }}
          count={selected.count}
          onClose={() => setSelected(null)}
        />
      ) : null}
    </div>
  );
}
