/**
 * 党建版图大屏: the leaders' big screen. A 1920×1080 design canvas scaled to the
 * wall (canvasFit.ts); side panels keep their figures off the centre seams of a
 * 2×2 video wall (x = 50 %, y = 50 %); the map sits in the middle.
 */
import { circle as turfCircle, bbox as turfBbox } from '@turf/turf';
import type * as maplibregl from 'maplibre-gl';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage, useRegionTree, type RegionTreeNode } from '../../api/queries';
import { can, useSession } from '../auth/session';
import { AdminPanel, type Draft } from './AdminPanel';
import { fitCanvas } from './canvasFit';
import { LiveTicker } from './LiveTicker';
import { CentresPanel, IncidentsPanel, PartyPanel, StarsPanel } from './Panels';
import { fetchGrid, fetchGridCoverage, useCentres, heatZoomFor, useDemonstrations, useIncidentHeat, useScreenCircles, useScreenSummary } from './screenApi';
import { CENTRE_LEVEL_LABELS, CENTRE_LEVELS, CENTRE_STYLE } from './centreStyle';
import type { CircleArea, LayerVisibility, ScreenLayerInput } from './screenLayers';
import { coverageColourExpression, COVERAGE_STEPS, STAR_COLOURS, STAR_LABELS, starColourExpression } from './starColours';
import { useTour } from './useTour';
import { FigureContext } from '../figures/FigureContext';
import { useFigurePanel } from '../figures/useFigurePanel';
import './screen.css';

const FALLBACK_RADIUS_KM = 1;

// MapLibre + deck.gl: fetched in parallel with the figures, which render without waiting for them.
const ScreenMap = lazy(async () => ({ default: (await import('./ScreenMap')).ScreenMap }));

function useViewportSize() {
  const [size, setSize] = useState({ w: window.innerWidth, h: window.innerHeight });
  useEffect(() => {
    const onResize = () => setSize({ w: window.innerWidth, h: window.innerHeight });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

function findNode(roots: RegionTreeNode[], code: string): RegionTreeNode | undefined {
  for (const n of roots) {
    if (n.code === code) return n;
    const hit = findNode(n.children, code);
    if (hit) return hit;
  }
  return undefined;
}

/** One level down from `level`, inside the clicked grid. */
function childCodeFor(level: string, gridCode: string): string {
  if (level === 'city') return gridCode.slice(0, 6);
  if (level === 'district') return gridCode.slice(0, 9);
  if (level === 'street') return gridCode.slice(0, 12);
  return gridCode;
}

const params = new URLSearchParams(window.location.search);

export function ScreenPage() {
  const user = useSession();
  const { w, h } = useViewportSize();
  const fit = fitCanvas(w, h);
  const sideWidth = Math.round(Math.min(980, Math.max(440, (fit.width - 1000) / 2)));

  const [region, setRegion] = useState<string | null>(params.get('region'));
  const summary = useScreenSummary(region);
  const tree = useRegionTree();
  const centres = useCentres();
  const demos = useDemonstrations();
  const [visible, setVisible] = useState<LayerVisibility & { grids: boolean }>({ grids: true, centres: true, circles: true, demos: true, heatmap: params.get('heatmap') !== '0' });
  const [colourBy, setColourBy] = useState<'stars' | 'coverage'>('stars');
  const heat = useIncidentHeat(visible.heatmap, heatZoomFor(region));
  const circles = useScreenCircles(visible.circles && params.get('isochrones') !== '0');
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [mapIdle, setMapIdle] = useState(false);
  // The heat cells whose image the map has drawn: the first full render includes the heat.
  const [heatDrawn, setHeatDrawn] = useState<unknown>(undefined);
  const [adminOpen, setAdminOpen] = useState(false);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [pickedGrid, setPickedGrid] = useState<string | null>(null);
  const [tourOn, setTourOn] = useState(params.has('tour'));
  const [tourInterval, setTourInterval] = useState(Number(params.get('tour')) > 0 ? Number(params.get('tour')) : 12);
  const [clock, setClock] = useState(() => new Date());

  useEffect(() => {
    const t = window.setInterval(() => setClock(new Date()), 1000);
    return () => window.clearInterval(t);
  }, []);

  const s = summary.data;
  const level = s?.region.level ?? 'city';

  const tourItems = useMemo(() => [...(demos.data?.circles ?? []), ...(demos.data?.belts ?? [])].map((d) => ({ name: d.name, kind: d.kind, area: d.area, members: d.members, description: d.description })), [demos.data]);
  const tour = useTour(tourItems.length, tourInterval, tourOn);
  const focus = tourOn && !tour.paused ? tourItems[tour.index] : undefined;

  // Fly to the tour's current stop.
  useEffect(() => {
    if (!map || !focus) return;
    const [w0, s0, e0, n0] = turfBbox(focus.area);
    map.fitBounds([w0, s0, e0, n0], { padding: 80, duration: 2000, maxZoom: 15.5 });
  }, [map, focus]);

  // Fly to the drilled region.
  const flyToRegion = useCallback(
    async (code: string | null) => {
      if (!map) return;
      const roots = tree.data ?? [];
      if (code && code.length === 15) {
        const grid = await fetchGrid(code).catch(() => null);
        if (grid) map.flyTo({ center: grid.label, zoom: 16.5, duration: 1200 });
        return;
      }
      const node = code ? findNode(roots, code) : roots[0];
      if (node) map.fitBounds(node.bbox, { padding: 40, duration: 1200, maxZoom: 16 });
    },
    [map, tree.data],
  );

  const drill = useCallback(
    (code: string | null) => {
      setRegion(code);
      void flyToRegion(code);
    },
    [flyToRegion],
  );

  const onInteract = useCallback(() => {
    if (tourOn) tour.pause();
  }, [tourOn, tour.pause]);

  const onMapClick = useCallback(
    (lngLat: [number, number], gridCode: string | null) => {
      if (adminOpen && draft) {
        setDraft({ ...draft, points: draft.kind === 'circle' ? [lngLat] : [...draft.points, lngLat] });
        return;
      }
      if (adminOpen) {
        if (gridCode) setPickedGrid(gridCode);
        return;
      }
      if (gridCode) drill(childCodeFor(level, gridCode));
    },
    [adminOpen, draft, level, drill],
  );

  // 15-minute circles: the walking circles once the server's background job has them all, else a labelled straight-line estimate.
  const circlesFromNetwork = Boolean(circles.data?.ready);
  const circleAreas: CircleArea[] = useMemo(() => {
    if (circles.data?.ready) return circles.data.circles.map((c) => ({ polygon: c.geometry, method: c.method }));
    return (centres.data ?? []).filter((c) => c.level === 'community').map((c) => ({ polygon: turfCircle(c.position, FALLBACK_RADIUS_KM, { units: 'kilometers', steps: 40 }).geometry, method: 'buffer' as const }));
  }, [circles.data, centres.data]);
  const circleProgress = circles.data && !circles.data.ready && circles.data.centres > 0 ? `${circles.data.current}/${circles.data.centres}` : null;

  const coverage = useCoverageByGrid(colourBy === 'coverage', region);
  const gridColour = useMemo(() => (colourBy === 'coverage' && coverage ? coverageColourExpression(coverage) : starColourExpression()), [colourBy, coverage]);

  const memberCodes = useMemo(() => {
    if (!visible.demos) return [];
    if (focus) return focus.members.map((m) => m.code);
    return [...new Set(tourItems.flatMap((d) => d.members.map((m) => m.code)))];
  }, [visible.demos, focus, tourItems]);

  const draftGeometry = useMemo(() => draftShape(draft), [draft]);
  const layerInput = useMemo(
    (): ScreenLayerInput => ({
      centres: centres.data ?? [],
      circles: circleAreas,
      belts: demos.data?.belts ?? [],
      demoCircles: demos.data?.circles ?? [],
      heat: heat.data ? { points: heat.data.points, max: heat.data.max } : null,
      visible,
      focusName: focus?.name ?? null,
      draft: draft ? { path: draft.points, area: draftGeometry } : null,
    }),
    [centres.data, circleAreas, demos.data, heat.data, visible, focus, draft, draftGeometry],
  );

  const cityBbox = tree.data?.[0]?.bbox ?? null;
  // What the first full render still waits for (read by the browser test and the bench).
  const waitingFor = [
    !s && 'summary',
    !tree.data && 'regions',
    !centres.data && 'centres',
    !demos.data && 'demonstrations',
    visible.heatmap && (!heat.data || heatDrawn !== heat.data.points) && 'heatmap',
    !mapIdle && 'map',
  ]
    .filter(Boolean)
    .join(',');
  useEffect(() => {
    document.body.dataset.screenReady = waitingFor === '' ? 'true' : 'false';
    document.body.dataset.screenWaiting = waitingFor;
  }, [waitingFor]);

  // Drill-down of a figure (server/figures): the screen's region, the current month (the API's default), or the chart point's month/child region.
  const { opener: figureOpener, panel: figurePanel } = useFigurePanel(s ? s.region.code : null);
  const error = summary.error ?? tree.error;
  return (
    <FigureContext.Provider value={figureOpener}>
      <div className="screen-viewport" onPointerDown={onInteract}>
        <div
          className="screen-canvas"
          data-testid="screen-canvas"
          style={{ width: fit.width, height: fit.height, transform: `translate(${fit.left}px, ${fit.top}px) scale(${fit.scale})`, ['--side-width' as string]: `${sideWidth}px` }}
        >
          <header className="screen-header">
            <nav className="screen-breadcrumb" aria-label="区域层级" data-testid="breadcrumb">
              {(s?.path ?? []).map((p, i, all) => (
                <span key={p.code}>
                  {i > 0 && <span className="crumb-sep">›</span>}
                  {i === all.length - 1 ? (
                    <span className="crumb-current">{p.name}</span>
                  ) : (
                    <button type="button" className="crumb" onClick={() => drill(i === 0 ? null : p.code)}>
                      {p.name}
                    </button>
                  )}
                </span>
              ))}
            </nav>
            <h1 className="screen-title">
              <span>党建引领基层治理 · 党建版图</span>
            </h1>
            <div className="screen-header-right">
              <span className="screen-clock">{clock.toLocaleString('zh-CN', { hour12: false })}</span>
              <span className={`screen-live ${summary.isFetching ? 'fetching' : ''}`}>{summary.isError ? '数据刷新失败' : '每 30 秒自动刷新'}</span>
              <button
                type="button"
                className={`screen-button ${tourOn ? 'on' : ''}`}
                onClick={() => {
                  if (tourOn) {
                    setTourOn(false);
                  } else {
                    setTourOn(true);
                    tour.resume();
                  }
                }}
                data-testid="tour-toggle"
              >
                {tourOn ? (tour.paused ? '巡游已暂停' : '巡游中') : '自动巡游'}
              </button>
              {can.administer(user) && (
                <button type="button" className={`screen-button ${adminOpen ? 'on' : ''}`} onClick={() => setAdminOpen((o) => !o)} data-testid="admin-toggle">
                  管理
                </button>
              )}
            </div>
          </header>

          <aside className="screen-side screen-side-left">
            <div className="screen-half screen-half-top">{s ? <PartyPanel s={s} /> : <PanelPlaceholder error={error} />}</div>
            <div className="screen-half screen-half-bottom">{s ? <CentresPanel s={s} /> : <PanelPlaceholder error={error} />}</div>
          </aside>

          <section className="screen-map" data-testid="screen-map">
            {cityBbox || tree.isError ? (
              <Suspense fallback={<div className="screen-loading">正在加载地图…</div>}>
                <ScreenMap
                  bbox={cityBbox}
                  gridColour={gridColour}
                  gridsVisible={visible.grids}
                  selectedCode={region === null ? null : (s?.region.code ?? region)}
                  memberCodes={memberCodes}
                  layerInput={layerInput}
                  pixelRatio={fit.scale}
                  onClick={onMapClick}
                  onInteract={onInteract}
                  onMapReady={setMap}
                  onIdle={() => setMapIdle(true)}
                  onHeatDrawn={setHeatDrawn}
                />
              </Suspense>
            ) : (
              <div className="screen-loading">正在加载地图…</div>
            )}
            <div className="map-toggles" role="group" aria-label="图层">
              {(
                [
                  ['grids', '网格'],
                  ['centres', '服务中心'],
                  ['circles', '15分钟圈'],
                  ['demos', '示范带/圈'],
                  ['heatmap', '事件热力'],
                ] as const
              ).map(([key, label]) => (
                <label key={key} className="map-toggle">
                  <input type="checkbox" checked={visible[key]} onChange={(e) => setVisible((v) => ({ ...v, [key]: e.target.checked }))} />
                  {label}
                </label>
              ))}
              <label className="map-toggle">
                着色
                <select value={colourBy} onChange={(e) => setColourBy(e.target.value as 'stars' | 'coverage')}>
                  <option value="stars">星级</option>
                  <option value="coverage">覆盖率</option>
                </select>
              </label>
            </div>
            <Legend colourBy={colourBy} circlesFromNetwork={circlesFromNetwork} circleProgress={circleProgress} heatMax={heat.data?.max ?? null} />
            <LiveTicker />
            {tourOn && (
              <div className="tour-caption" data-testid="tour-caption">
                {focus ? (
                  <>
                    <div className="tour-kind">{focus.kind === 'belt' ? '党建示范带' : '党建示范圈'}</div>
                    <div className="tour-name">{focus.name}</div>
                    <div className="tour-members">成员社区：{focus.members.map((m) => m.name).join('、') || '—'}</div>
                  </>
                ) : (
                  <div className="tour-members">巡游已暂停（操作后 90 秒自动继续）</div>
                )}
                <div className="tour-controls">
                  间隔
                  <input type="number" min={3} max={120} value={tourInterval} onChange={(e) => setTourInterval(Math.max(3, Number(e.target.value) || 12))} aria-label="巡游间隔（秒）" />秒
                  {tour.paused && (
                    <button type="button" className="screen-button" onClick={tour.resume}>
                      继续
                    </button>
                  )}
                </div>
              </div>
            )}
            {adminOpen && (
              <AdminPanel
                demos={demos.data ?? { belts: [], circles: [] }}
                draft={draft}
                onDraft={setDraft}
                draftGeometry={draftGeometry}
                pickedGrid={pickedGrid}
                onPickGrid={setPickedGrid}
                onClose={() => {
                  setAdminOpen(false);
                  setDraft(null);
                }}
              />
            )}
          </section>

          <aside className="screen-side screen-side-right">
            <div className="screen-half screen-half-top">{s ? <IncidentsPanel s={s} /> : <PanelPlaceholder error={error} />}</div>
            <div className="screen-half screen-half-bottom">{s ? <StarsPanel s={s} onDrill={drill} /> : <PanelPlaceholder error={error} />}</div>
          </aside>
        </div>
        {figurePanel}
      </div>
    </FigureContext.Provider>
  );
}

function PanelPlaceholder({ error }: { error: unknown }) {
  return <section className="screen-panel screen-panel-empty">{error ? <p className="error-message">{errorMessage(error)}</p> : <p className="muted">正在加载…</p>}</section>;
}

function Legend({ colourBy, circlesFromNetwork, circleProgress, heatMax }: { colourBy: 'stars' | 'coverage'; circlesFromNetwork: boolean; circleProgress: string | null; heatMax: number | null }) {
  return (
    <div className="map-legend" data-testid="legend">
      <div className="sl-title">{colourBy === 'stars' ? '网格星级' : '网格户数覆盖率'}</div>
      <div className="sl-row">
        {colourBy === 'stars'
          ? STAR_LABELS.map((l, i) => (
              <span key={l} className="sl-item">
                <span className="sl-swatch" style={{ background: STAR_COLOURS[i] }} />
                {l}
              </span>
            ))
          : COVERAGE_STEPS.map(([max, colour], i) => (
              <span key={colour} className="sl-item">
                <span className="sl-swatch" style={{ background: colour }} />
                {i === 0 ? `< ${max * 100}%` : i === COVERAGE_STEPS.length - 1 ? `≥ ${COVERAGE_STEPS[i - 1]![0] * 100}%` : `${COVERAGE_STEPS[i - 1]![0] * 100}–${max * 100}%`}
              </span>
            ))}
      </div>
      <div className="sl-title">党群服务中心</div>
      <div className="sl-row">
        {CENTRE_LEVELS.map((l) => (
          <span key={l} className="sl-item">
            <span className="sl-dot" style={{ background: `rgb(${CENTRE_STYLE[l].colour.slice(0, 3).join(',')})`, width: CENTRE_STYLE[l].radius * 1.6 + 4, height: CENTRE_STYLE[l].radius * 1.6 + 4 }} />
            {CENTRE_LEVEL_LABELS[l]}
          </span>
        ))}
      </div>
      <div className="sl-row">
        <span className="sl-item">
          <span className="sl-swatch" style={{ background: circlesFromNetwork ? 'rgba(90,220,160,0.5)' : 'rgba(120,170,255,0.5)' }} />
          {circlesFromNetwork ? '15分钟步行圈（路网等时圈）' : `15分钟圈：直线1000米缓冲（近似，${circleProgress ? `等时圈计算中 ${circleProgress}` : '等时圈不可用'}）`}
        </span>
      </div>
      <div className="sl-row">
        <span className="sl-item">
          <span className="sl-swatch" style={{ background: '#ff5a32' }} />
          示范带
        </span>
        <span className="sl-item">
          <span className="sl-swatch" style={{ background: '#ffc83c' }} />
          示范圈 / 成员社区
        </span>
        <span className="sl-item">
          <span className="sl-swatch heat" />
          事件热力（近90天{heatMax ? `，色阶上限 ${heatMax}` : ''}）
        </span>
      </div>
    </div>
  );
}

/** Per-grid coverage of the drilled region from the coverage API (null when unavailable). */
function useCoverageByGrid(enabled: boolean, region: string | null) {
  const [rows, setRows] = useState<{ code: string; share: number }[] | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    fetchGridCoverage(region && region.length >= 9 ? region.slice(0, 12) : undefined)
      .then((r) => !cancelled && setRows(r.rows.map((x) => ({ code: x.code, share: x.householdShare }))))
      .catch(() => !cancelled && setRows([]));
    return () => {
      cancelled = true;
    };
  }, [enabled, region]);
  return rows;
}

function draftShape(draft: Draft | null): GeoJSON.Polygon | null {
  if (!draft || draft.points.length === 0) return null;
  if (draft.kind === 'circle') return turfCircle(draft.points[0]!, draft.sizeM / 1000, { units: 'kilometers', steps: 48 }).geometry;
  return null;
}
