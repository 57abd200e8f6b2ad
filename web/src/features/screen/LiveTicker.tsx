/**
 * The big screen's live ticker: new incidents as they are reported (from the live
 * stream, filtered on the server by who is looking), newest first, and the screen's
 * figures (超期未结, this month's count, the heatmap) refreshed on every event, so
 * the wall is current within about a second without a reload. A dot shows whether
 * the stream is connected.
 */
import { useState } from 'react';
import { INCIDENT_SOURCES, type IncidentSource } from '../../../../kernel/stages';
import type { LiveIncidentEvent } from '../live/useIncidentEvents';
import { useLiveInvalidation } from '../live/useLiveInvalidation';

const SHOWN = 6;
const SCREEN_KEYS = [
  ['screen', 'summary'],
  ['screen', 'heatmap'],
] as const;
const STATUS_LABELS = { connecting: '连接中', open: '实时', reconnecting: '重连中' } as const;

/** A report (信息收集) rather than a later step of the loop. */
const isNewIncident = (e: LiveIncidentEvent) => e.action === 'report' || (e.fromStage === null && e.stage === 'collect');

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });

export function LiveTicker() {
  const [items, setItems] = useState<LiveIncidentEvent[]>([]);
  const { status } = useLiveInvalidation(SCREEN_KEYS, {
    onEvent: (e) => {
      if (isNewIncident(e)) setItems((list) => [e, ...list.filter((x) => x.incidentId !== e.incidentId)].slice(0, SHOWN));
    },
  });
  return (
    <div className="live-ticker" data-testid="live-ticker" data-live-status={status}>
      <div className="live-ticker-title">
        <span className={`live-dot live-dot-${status}`} aria-hidden="true" />
        新上报事件 <span className="live-status">{STATUS_LABELS[status]}</span>
      </div>
      {items.length === 0 ? (
        <div className="live-ticker-empty">暂无新事件</div>
      ) : (
        <ul>
          {items.map((e) => (
            <li key={e.incidentId} data-incident-id={e.incidentId}>
              <span className="live-time">{timeOf(e.at)}</span>
              <span className="live-category">{e.categoryLabel ?? e.categoryCode}</span>
              <span className="live-place">{e.communityName ?? e.gridCode ?? '—'}</span>
              <span className="live-source">{INCIDENT_SOURCES[e.source as IncidentSource] ?? e.source}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
