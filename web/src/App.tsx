/**
 * Page layout and the state shared between features: the map instance (for
 * camera moves from the tree and search) and the selected grid.
 * The map (MapLibre), the deck.gl panels and the export dialog are loaded lazily:
 * the tree, header and grid panel render before those libraries arrive.
 */
import type { Layer } from '@deck.gl/core';
import { useQueryClient } from '@tanstack/react-query';
import type * as maplibregl from 'maplibre-gl';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { boundsOf } from '../../kernel/bbox';
import { errorMessage, gridQuery, subGridQuery, useConfig, useGridDetail, useRegionTree, type RegionTreeNode } from './api/queries';
import { GridPanel } from './features/grid-panel/GridPanel';
import { NO_THEMATIC_LAYERS, ThematicLayers, type ThematicLayerState } from './features/map/ThematicLayers';
import type { ColourSpecification } from './features/map/styleTypes';
import { useViewport } from './features/map/useViewport';
import { Header } from './features/header/Header';
import { streetColourExpression, streetColours } from './features/map/streetColours';
import { RegionTree } from './features/regions/RegionTree';

const NO_REGIONS: RegionTreeNode[] = [];

const MapView = lazy(async () => ({ default: (await import('./features/map/MapView')).MapView }));
const ServiceCirclesPanel = lazy(async () => ({ default: (await import('./features/coverage/ServiceCirclesPanel')).ServiceCirclesPanel }));
const PatrolsPanel = lazy(async () => ({ default: (await import('./features/patrols/PatrolsPanel')).PatrolsPanel }));
const IncidentsPanel = lazy(async () => ({ default: (await import('./features/incidents/IncidentsPanel')).IncidentsPanel }));
const EstatesMapPanel = lazy(async () => ({ default: (await import('./features/estates/EstatesMapPanel')).EstatesMapPanel }));
const FinalStarsPanel = lazy(async () => ({ default: (await import('./features/star-map/FinalStarsPanel')).FinalStarsPanel }));
const ExportDialog = lazy(async () => ({ default: (await import('./features/export/ExportDialog')).ExportDialog }));

const mapLoading = (
  <div className="map-placeholder" role="status">
    正在加载地图…
  </div>
);

export function App() {
  const config = useConfig();
  const tree = useRegionTree();
  const queryClient = useQueryClient();
  const [map, setMap] = useState<maplibregl.Map | null>(null);
  const [selectedCode, setSelectedCode] = useState<string | null>(null);
  const [exportOpen, setExportOpen] = useState(false);
  const [thematic, setThematic] = useState<ThematicLayerState>(NO_THEMATIC_LAYERS);
  const [patrolLayers, setPatrolLayers] = useState<Layer[]>([]);
  const [incidentLayers, setIncidentLayers] = useState<Layer[]>([]);
  const [circleLayers, setCircleLayers] = useState<Layer[]>([]);
  const [estateLayers, setEstateLayers] = useState<Layer[]>([]);
  const [starColour, setStarColour] = useState<ColourSpecification | null>(null);
  const viewport = useViewport(map);
  const overlayLayers = useMemo(
    () => [...(thematic.estates ? estateLayers : []), ...(thematic.serviceCircles ? circleLayers : []), ...(thematic.incidents ? incidentLayers : []), ...(thematic.patrols ? patrolLayers : [])],
    [thematic, incidentLayers, circleLayers, patrolLayers, estateLayers],
  );
  const selected = useGridDetail(selectedCode);

  const roots = tree.data ?? NO_REGIONS;
  const streets = useMemo(() => streetColours(roots), [roots]);
  const streetColourByCode = useMemo(() => new Map(streets.map((s) => [s.code, s.colour])), [streets]);
  const streetColour = useMemo(() => streetColourExpression(streets), [streets]);
  const gridColour = thematic.finalStars && starColour ? starColour : streetColour;

  /**
   * Width the grid panel covers on the right of the map (--panel-width in app.css plus
   * its margin), so camera moves keep their target clear of it. A bottom sheet on narrow screens.
   */
  const panelWidth = () => {
    if (window.innerWidth <= 760) return 0;
    const css = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--panel-width'));
    return (Number.isFinite(css) ? css : 380) + 12;
  };

  const flyToRegion = (node: RegionTreeNode) => {
    const inset = selectedCode ? panelWidth() : 0;
    map?.fitBounds(node.bbox, { padding: { top: 40, bottom: 40, left: 40, right: 40 + inset }, maxZoom: 17, duration: 800 });
  };

  /** A 15-digit code selects its grid; a 微网格 (17) selects its base grid, a 专属网格 (16) is framed. Resolves to what the search box says. */
  const openGrid = async (code: string): Promise<string | undefined> => {
    if (code.length !== 15) {
      const sub = await queryClient.fetchQuery(subGridQuery(code));
      const p = sub.properties;
      setSelectedCode(p.parentGridCode);
      // The grid panel opens for a 微网格's base grid only: keep the target clear of it then.
      const inset = p.level === 'micro' ? panelWidth() : 0;
      // Close enough for the level to be drawn (微网格 from z15, 专属网格 from z11).
      const bounds = boundsOf([sub.geometry]);
      const camera = bounds ? map?.cameraForBounds(bounds, { padding: 40, maxZoom: 18 }) : undefined;
      if (map && camera?.center) map.flyTo({ center: camera.center, zoom: Math.max(camera.zoom ?? 0, p.level === 'micro' ? 16 : 14), offset: [-inset / 2, 0], duration: 900 });
      return p.level === 'micro' ? `已定位微网格 ${p.name}（所属基础网格 ${p.parentGridCode}）` : `已定位专属网格 ${p.name}（${p.kind}）`;
    }
    const grid = await queryClient.fetchQuery(gridQuery(code));
    setSelectedCode(grid.code);
    if (!map) return;
    // Shift the target left by half the panel so the grid is not hidden behind it.
    const inset = panelWidth();
    map.flyTo({ center: grid.label, zoom: Math.max(map.getZoom(), 16), offset: [-inset / 2, 0], duration: 900 });
  };

  const selectGridAt = (code: string, lngLat: [number, number]) => {
    setSelectedCode(code);
    if (!map) return;
    const inset = panelWidth();
    const { x } = map.project(lngLat);
    // A click where the panel is about to open would hide the grid: bring it into the free part.
    if (inset > 0 && x > map.getContainer().clientWidth - inset - 24) map.easeTo({ center: lngLat, offset: [-inset / 2, 0], duration: 500 });
  };

  const closePanel = useCallback(() => setSelectedCode(null), []);

  const loadError = config.error ?? tree.error;
  return (
    <div className="app">
      <Header dataset={config.data?.dataset} streets={streets} onExport={() => setExportOpen(true)} />
      <main className="workspace">
        <aside className="sidebar">
          {tree.data ? (
            <RegionTree roots={roots} streetColours={streetColourByCode} onSelectRegion={flyToRegion} onOpenGrid={openGrid} />
          ) : (
            <p className="muted sidebar-status">{tree.isError ? '区划加载失败' : '正在加载区划…'}</p>
          )}
        </aside>
        <section className="map-area">
          {config.data && tree.data ? (
            <Suspense fallback={mapLoading}>
              <MapView
                config={config.data}
                roots={roots}
                gridColour={gridColour}
                selectedCode={selectedCode}
                selectedId={selected.data?.id ?? null}
                onGridClick={selectGridAt}
                onMapReady={setMap}
                overlayLayers={overlayLayers}
              />
            </Suspense>
          ) : loadError ? (
            <div className="map-placeholder" role="alert">
              <p className="error-message">{errorMessage(loadError)}</p>
              <button
                type="button"
                className="text-button"
                onClick={() => {
                  void config.refetch();
                  void tree.refetch();
                }}
              >
                重试
              </button>
            </div>
          ) : (
            mapLoading
          )}
          {map && <ThematicLayers state={thematic} onChange={setThematic} />}
          {(thematic.incidents || thematic.serviceCircles || thematic.patrols || thematic.estates || thematic.finalStars) && viewport && (
            <div className="overlay-panel">
              <Suspense fallback={null}>
                {thematic.finalStars && <FinalStarsPanel onColour={setStarColour} />}
                {thematic.estates && <EstatesMapPanel zoom={viewport.zoom} bbox={viewport.bbox} onLayers={setEstateLayers} />}
                {thematic.serviceCircles && <ServiceCirclesPanel onLayers={setCircleLayers} />}
                {thematic.patrols && <PatrolsPanel onLayers={setPatrolLayers} community={selectedCode ? selectedCode.slice(0, 12) : null} />}
                {thematic.incidents && <IncidentsPanel zoom={viewport.zoom} bbox={viewport.bbox} onLayers={setIncidentLayers} />}
              </Suspense>
            </div>
          )}
          {selectedCode && <GridPanel key={selectedCode} code={selectedCode} onClose={closePanel} />}
        </section>
      </main>
      {exportOpen && (
        <Suspense fallback={null}>
          <ExportDialog open={exportOpen} onClose={() => setExportOpen(false)} defaultRegion={selectedCode ? selectedCode.slice(0, 12) : undefined} />
        </Suspense>
      )}
    </div>
  );
}
