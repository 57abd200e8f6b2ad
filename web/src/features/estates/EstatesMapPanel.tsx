/**
 * 小区 on the main map (issue 16): the estates of the view as polygons coloured by their party
 * organisation (单独/联合/未组建), from community zooms on, with a legend, and a popup of an
 * estate's attributes on click. The estates come as GeoJSON from /api/party/estates by bbox
 * (the same rows as the 小区 page and the export); the layers go to the parent via `onLayers`.
 */
import type { Layer, PickingInfo } from '@deck.gl/core';
import { GeoJsonLayer } from '@deck.gl/layers';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { type Bbox, bboxParam } from '../../../../kernel/bbox';
import { ESTATE_ORG_LABELS } from '../../../../kernel/partyOrgs';
import { api, call, type Answer } from '../../api/client';
import { errorMessage } from '../../api/queries';
import { ESTATE_LEGEND, ESTATE_MIN_ZOOM, ESTATE_STATUS_COLOURS } from './estateColours';
import './estatesMap.css';

type EstateFeature = Answer<typeof api.api.party.estates.$get>['features'][number];
const LIMIT = 2000;

/** The view's bbox padded by a quarter on each side and rounded, so small pans reuse the answer. */
function paddedBbox([w, s, e, n]: Bbox): Bbox {
  const dx = (e - w) / 4;
  const dy = (n - s) / 4;
  const r = (v: number) => Math.round(v * 500) / 500;
  return [r(w - dx), r(s - dy), r(e + dx), r(n + dy)];
}

const contains = (outer: Bbox, inner: Bbox) => outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];

export function EstatesMapPanel({ zoom, bbox, onLayers }: { zoom: number; bbox: Bbox; onLayers: (layers: Layer[]) => void }) {
  const [popup, setPopup] = useState<{ x: number; y: number; estate: EstateFeature['properties'] } | null>(null);
  const [area, setArea] = useState<Bbox | null>(null);
  const visible = zoom >= ESTATE_MIN_ZOOM;
  // A new request only when the view leaves the padded area asked for last.
  useEffect(() => {
    if (visible && (area === null || !contains(area, bbox))) setArea(paddedBbox(bbox));
  }, [visible, bbox, area]);
  const estates = useQuery({
    queryKey: ['estates', 'bbox', area && bboxParam(area)],
    enabled: visible && area !== null,
    queryFn: () => call(api.api.party.estates.$get({ query: { bbox: bboxParam(area!), limit: String(LIMIT) } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

  const layers = useMemo<Layer[]>(() => {
    if (!visible || !estates.data) return [];
    return [
      new GeoJsonLayer<EstateFeature['properties']>({
        id: 'estates',
        data: estates.data as unknown as GeoJSON.FeatureCollection<GeoJSON.MultiPolygon, EstateFeature['properties']>,
        filled: true,
        stroked: true,
        getFillColor: (f) => [...ESTATE_STATUS_COLOURS[f.properties.orgStatus], 110],
        getLineColor: (f) => [...ESTATE_STATUS_COLOURS[f.properties.orgStatus], 255],
        getLineWidth: 1.5,
        lineWidthUnits: 'pixels',
        pickable: true,
        autoHighlight: true,
        highlightColor: [255, 255, 255, 70],
        onClick: (info: PickingInfo<GeoJSON.Feature<GeoJSON.MultiPolygon, EstateFeature['properties']>>, event) => {
          if (!info.object) return false;
          const src = event.srcEvent as MouseEvent | PointerEvent | undefined;
          setPopup({ x: src?.clientX ?? info.x, y: src?.clientY ?? info.y, estate: info.object.properties });
          return true;
        },
      }),
    ];
  }, [visible, estates.data]);

  useEffect(() => onLayers(layers), [layers, onLayers]);
  useEffect(() => () => onLayers([]), [onLayers]);
  useEffect(() => {
    if (!popup) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setPopup(null);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [popup]);

  const shown = estates.data?.features.length ?? 0;
  const counts = Object.fromEntries(ESTATE_LEGEND.map((l) => [l.status, estates.data?.features.filter((f) => f.properties.orgStatus === l.status).length ?? 0]));
  return (
    <section className="estates-map" aria-label="小区图层" data-testid="estates-map">
      <h3>小区 · 党组织组建情况</h3>
      <ul className="estates-legend" aria-label="图例：小区党组织组建情况" data-testid="estates-legend">
        {ESTATE_LEGEND.map((l) => (
          <li key={l.status}>
            <span className="estates-swatch" style={{ background: l.colour }} />
            {l.label}
            {visible && estates.data ? ` ${counts[l.status]}` : ''}
          </li>
        ))}
      </ul>
      <p className="muted" role="status" data-testid="estates-status">
        {!visible
          ? `放大到 ${ESTATE_MIN_ZOOM} 级以上（社区范围）显示小区`
          : estates.isError
            ? `小区加载失败：${errorMessage(estates.error)}`
            : !estates.data
              ? '正在加载小区…'
              : `本区域 ${shown} 个小区${estates.data.truncated ? `（仅显示前 ${LIMIT} 个，请放大）` : ''}，点击小区查看详情`}
      </p>
      {popup && <EstatePopup {...popup} onClose={() => setPopup(null)} />}
    </section>
  );
}

function EstatePopup({ x, y, estate, onClose }: { x: number; y: number; estate: EstateFeature['properties']; onClose: () => void }) {
  const yes = (b: boolean) => (b ? '是' : '否');
  return (
    <div className="estate-popup" role="dialog" aria-label={`小区 ${estate.name}`} data-testid="estate-popup" style={{ left: Math.min(x + 12, window.innerWidth - 300), top: Math.min(y + 12, window.innerHeight - 280) }}>
      <div className="estate-popup-head">
        <strong>{estate.name}</strong>
        <button type="button" className="text-button" onClick={onClose} aria-label="关闭小区详情">
          ×
        </button>
      </div>
      <dl>
        <dt>所属社区</dt>
        <dd>{estate.communityName}</dd>
        <dt>物业企业</dt>
        <dd>{estate.propertyCompany ?? '无'}</dd>
        <dt>业委会</dt>
        <dd>{yes(estate.ownersCommittee)}</dd>
        <dt>户数</dt>
        <dd>{estate.households.toLocaleString('zh-CN')}</dd>
        <dt>党组织</dt>
        <dd>
          {ESTATE_ORG_LABELS[estate.orgStatus]}
          {estate.partyOrgName ? `：${estate.partyOrgName}` : ''}
        </dd>
        <dt>红色物业</dt>
        <dd>{yes(estate.redProperty)}</dd>
        <dt>党群服务阵地</dt>
        <dd>
          {estate.norm.actualM2} / {estate.norm.requiredM2} 平方米{estate.norm.meets ? '（达标）' : `（缺 ${estate.norm.shortfallM2} 平方米）`}
        </dd>
      </dl>
    </div>
  );
}
