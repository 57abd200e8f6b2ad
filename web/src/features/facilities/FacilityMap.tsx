/**
 * The map of 阵地管理 on the one map shell: every facility as a dot coloured by kind (legend beside),
 * the selected one ringed with its 15-minute walking circle, the draft of a new one. A click on an
 * empty spot places a new facility; a facility one may edit is dragged to move it (the form keeps the
 * new position until 保存). Drawn by MapLibre itself so that the dots can be hit and dragged.
 */
import type * as maplibregl from 'maplibre-gl';
import { useEffect } from 'react';
import { FACILITY_KIND_INFO, FACILITY_KINDS } from '../../../../kernel/facilityKinds';
import type { Config } from '../../api/queries';
import { useLatest } from '../map/useLatest';
import { useMapShell } from '../map/useMapShell';
import type { Facility } from './facilitiesApi';

const SOURCE = { facilities: 'facilities', draft: 'facility-draft', circle: 'facility-circle' } as const;
/** The dots' layer (browser tests hit it with queryRenderedFeatures). */
export const FACILITY_LAYER = 'facilities-dots';
const NO_DECK: never[] = [];

const kindColour = ['match', ['get', 'kind'], ...FACILITY_KINDS.flatMap((k) => [k, FACILITY_KIND_INFO[k].colour]), '#888888'] as unknown as maplibregl.ExpressionSpecification;

export interface FacilityMapProps {
  config: Config;
  facilities: Facility[];
  selectedId: number | null;
  /** Where the facility being created or edited stands in the form (a drag moves it before the save). */
  draft: { position: [number, number]; kind: Facility['properties']['kind'] } | null;
  circle: GeoJSON.FeatureCollection | null;
  /** New facilities may be placed (planners, admins). */
  canPlace: boolean;
  onSelect: (id: number) => void;
  onPlace: (position: [number, number]) => void;
  /** A facility (or the draft, id null) was dragged here. */
  onMove: (id: number | null, position: [number, number]) => void;
}

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function facilityData(facilities: Facility[], selectedId: number | null, draft: FacilityMapProps['draft']): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: facilities.map((f) => {
      const moved = f.id === selectedId && draft ? draft.position : f.geometry.coordinates;
      return {
        type: 'Feature',
        id: f.id,
        geometry: { type: 'Point', coordinates: moved },
        properties: { id: f.id, name: f.properties.name, kind: f.properties.kind, editable: f.properties.editable, selected: f.id === selectedId },
      };
    }),
  };
}

function draftData(selectedId: number | null, draft: FacilityMapProps['draft']): GeoJSON.FeatureCollection {
  if (!draft || selectedId !== null) return empty;
  return { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: draft.position }, properties: { kind: draft.kind } }] };
}

function setData(map: maplibregl.Map, id: string, data: GeoJSON.FeatureCollection) {
  (map.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(data);
}

export function FacilityMap(props: FacilityMapProps) {
  const latest = useLatest(props);
  const { containerRef, map } = useMapShell({
    view: props.config.defaultView,
    fitPadding: 24,
    openingZoom: 13,
    basemap: props.config.basemap,
    gridColour: '#3a5378',
    minZoom: 8,
    maxZoom: 19,
    deckLayers: NO_DECK,
    onLoad: (instance) => {
      const p = latest.current;
      instance.addSource(SOURCE.circle, { type: 'geojson', data: p.circle ?? empty });
      instance.addLayer({ id: 'facility-circle-fill', type: 'fill', source: SOURCE.circle, paint: { 'fill-color': '#f2c14e', 'fill-opacity': 0.18 } });
      instance.addLayer({ id: 'facility-circle-line', type: 'line', source: SOURCE.circle, paint: { 'line-color': '#f2c14e', 'line-width': 1.5 } });
      instance.addSource(SOURCE.facilities, { type: 'geojson', data: facilityData(p.facilities, p.selectedId, p.draft) });
      instance.addLayer({
        id: FACILITY_LAYER,
        type: 'circle',
        source: SOURCE.facilities,
        paint: {
          'circle-color': kindColour,
          'circle-radius': ['case', ['get', 'selected'], 9, 6],
          'circle-stroke-color': ['case', ['get', 'selected'], '#ffffff', ['get', 'editable'], '#f5f5f5', '#5b6678'],
          'circle-stroke-width': ['case', ['get', 'selected'], 3, 1.5],
          'circle-opacity': ['case', ['get', 'editable'], 1, 0.75],
        },
      });
      instance.addSource(SOURCE.draft, { type: 'geojson', data: draftData(p.selectedId, p.draft) });
      instance.addLayer({ id: 'facility-draft-dot', type: 'circle', source: SOURCE.draft, paint: { 'circle-color': kindColour, 'circle-radius': 9, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } });
    },
    setup: (instance) => {
      const canvas = instance.getCanvas();
      let dragging: { id: number | null } | null = null;
      let dragged = false;
      const hit = (point: maplibregl.PointLike) => {
        const layers = [FACILITY_LAYER, 'facility-draft-dot'].filter((id) => instance.getLayer(id));
        return instance.queryRenderedFeatures(point, { layers })[0];
      };
      const draggable = (f: maplibregl.MapGeoJSONFeature | undefined): { id: number | null } | null => {
        if (!f) return null;
        if (f.layer.id === 'facility-draft-dot') return { id: null };
        const id = Number(f.properties.id);
        return f.properties.editable === true && id === latest.current.selectedId ? { id } : null;
      };
      const onMoveCursor = (e: maplibregl.MapMouseEvent) => {
        if (dragging) {
          dragged = true;
          latest.current.onMove(dragging.id, [e.lngLat.lng, e.lngLat.lat]);
          return;
        }
        const f = hit(e.point);
        canvas.style.cursor = draggable(f) ? 'move' : f ? 'pointer' : latest.current.canPlace ? 'crosshair' : '';
      };
      const onDown = (e: maplibregl.MapMouseEvent) => {
        // A drag ends without a click (MapLibre clicks only when the mouse stayed put): forget it at the next press.
        dragged = false;
        const target = draggable(hit(e.point));
        if (!target) return;
        // Hold the map still: this gesture moves the facility.
        e.preventDefault();
        dragging = target;
        canvas.style.cursor = 'grabbing';
      };
      const onUp = () => {
        if (!dragging) return;
        dragging = null;
        canvas.style.cursor = 'move';
      };
      const onClick = (e: maplibregl.MapMouseEvent) => {
        if (dragged) {
          dragged = false;
          return;
        }
        const f = hit(e.point);
        if (f?.layer.id === FACILITY_LAYER) latest.current.onSelect(Number(f.properties.id));
        else if (!f && latest.current.canPlace) latest.current.onPlace([e.lngLat.lng, e.lngLat.lat]);
      };
      instance.on('mousemove', onMoveCursor);
      instance.on('mousedown', onDown);
      instance.on('mouseup', onUp);
      instance.on('click', onClick);
      return () => {
        instance.off('mousemove', onMoveCursor);
        instance.off('mousedown', onDown);
        instance.off('mouseup', onUp);
        instance.off('click', onClick);
      };
    },
  });

  useEffect(() => {
    if (!map) return;
    setData(map, SOURCE.facilities, facilityData(props.facilities, props.selectedId, props.draft));
    setData(map, SOURCE.draft, draftData(props.selectedId, props.draft));
  }, [map, props.facilities, props.selectedId, props.draft]);
  useEffect(() => {
    if (map) setData(map, SOURCE.circle, props.circle ?? empty);
  }, [map, props.circle]);

  return (
    <div className="facilities-map">
      <div ref={containerRef} className="map-canvas" role="region" aria-label="阵地地图（点击空白处新建，拖动所选阵地移动）" data-testid="facilities-map" data-ready={map ? 'true' : 'false'} />
      <ul className="facilities-legend" aria-label="阵地类型图例">
        {FACILITY_KINDS.map((k) => (
          <li key={k}>
            <span className="facilities-swatch" style={{ background: FACILITY_KIND_INFO[k].colour }} />
            {FACILITY_KIND_INFO[k].label}
          </li>
        ))}
      </ul>
    </div>
  );
}
