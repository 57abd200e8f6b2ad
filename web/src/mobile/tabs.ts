/** 网格通's tabs: order, Chinese names and the path each lives at (/m/<id>; /m opens 我的任务). */
export const TABS = [
  { id: 'grid', label: '我的网格', icon: '▦' },
  { id: 'report', label: '上报', icon: '＋' },
  { id: 'tasks', label: '我的任务', icon: '☰' },
  { id: 'patrol', label: '巡查', icon: '⚑' },
  { id: 'visit', label: '走访', icon: '⌂' },
  { id: 'queue', label: '队列', icon: '⇅' },
] as const;

export type TabId = (typeof TABS)[number]['id'];

export function tabFromPath(pathname: string): TabId {
  const id = /^\/m\/([a-z]+)/.exec(pathname)?.[1];
  return TABS.find((t) => t.id === id)?.id ?? 'tasks';
}
