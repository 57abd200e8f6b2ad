/** The tab strip with each queue's count (from GET /api/incidents/inbox/counts). */
import { TAB_LABELS, type Tab } from './tabs';

export interface InboxTabsProps {
  tabs: Tab[];
  current: Tab;
  counts: Partial<Record<Tab, number>> | undefined;
  onChange: (tab: Tab) => void;
}

export function InboxTabs({ tabs, current, counts, onChange }: InboxTabsProps) {
  return (
    <div className="wb-tabs" role="tablist" aria-label="收件箱">
      {tabs.map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          aria-selected={tab === current}
          className={tab === 'overdue' && (counts?.overdue ?? 0) > 0 ? 'wb-tab wb-tab-alert' : 'wb-tab'}
          data-testid={`tab-${tab}`}
          onClick={() => onChange(tab)}
        >
          {TAB_LABELS[tab]}
          <span className="wb-tab-count" data-testid={`count-${tab}`}>
            {counts?.[tab] ?? '…'}
          </span>
        </button>
      ))}
    </div>
  );
}
