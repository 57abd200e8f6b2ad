/**
 * The workbench's tabs (收件箱): which queue each one is and which roles see it.
 * The server's counts answer for the signed-in user's tabs, so once they arrive the
 * tabs shown are exactly the keys it answered; the shared table (kernel/inboxTabs.ts)
 * gives their order and Chinese names, and the tabs shown while the counts are still loading.
 */
import { INBOX_TAB_LABELS, INBOX_TABS, type InboxTab, ROLE_TABS } from '../../../../kernel/inboxTabs';
import type { Role } from '../../../../kernel/roles';

export const TABS = INBOX_TABS;
export type Tab = InboxTab;
export const TAB_LABELS = INBOX_TAB_LABELS;

export function tabsFor(role: Role, counts: Partial<Record<string, number>> | undefined): Tab[] {
  if (counts) return TABS.filter((t) => t in counts);
  return [...ROLE_TABS[role]];
}
