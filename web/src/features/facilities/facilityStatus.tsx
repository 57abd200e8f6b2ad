/** The two states a 阵地 row and its detail show: the norm check (kernel/facilityNorm.ts) and its walking circles. */
import type { Facility, FacilityList } from './facilitiesApi';

const NORM_LABEL = { meets: '达标', short: '不达标', unknown: '待核算', none: '不适用' } as const;

export function NormBadge({ norm, long }: { norm: Facility['properties']['norm']; long?: boolean }) {
  return (
    <span className={`facility-badge norm-${norm.status}`} title={norm.text} data-status={norm.status}>
      {long ? norm.text : norm.status === 'short' ? `缺 ${norm.shortfallM2.toLocaleString('zh-CN')} m²` : NORM_LABEL[norm.status]}
    </span>
  );
}

export function CircleStatus({ circles, job, long }: { circles: Facility['properties']['circles']; job: FacilityList['circleJob']['state']; long?: boolean }) {
  const ready = circles.ready >= circles.total;
  const state = ready ? 'ready' : job === 'failed' ? 'failed' : job === 'off' ? 'waiting' : 'computing';
  const text = ready
    ? long
      ? '5/10/15 分钟步行圈已就绪'
      : '已就绪'
    : state === 'failed'
      ? `计算出错，将重试（${circles.ready}/${circles.total}）`
      : state === 'waiting'
        ? `未计算（${circles.ready}/${circles.total}），打开地图图层时计算`
        : `计算中（${circles.ready}/${circles.total}）`;
  return (
    <span className={`facility-badge circles-${state}`} data-status={state} role={long ? 'status' : undefined}>
      {text}
    </span>
  );
}
