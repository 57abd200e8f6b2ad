/**
 * The countdown shown beside every incident: how long until its deadline (or how long
 * past it), ticking on the client between refreshes. The deadline instant comes from
 * the server (computed on the working-day calendar); the colour is the server's
 * status ('ok' | 'amber' | 'red'), turned red here the moment the deadline passes so
 * a page left open does not wait for the next refresh to show an overdue case.
 */
export type DeadlineTone = 'ok' | 'amber' | 'red' | 'none';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "剩 2天3小时", "剩 45分12秒", "超 1天2小时" — coarse when far, to the second when close. */
export function formatRemaining(ms: number): string {
  const past = ms < 0;
  const a = Math.abs(ms);
  let text: string;
  if (a >= DAY) text = `${Math.floor(a / DAY)}天${Math.floor((a % DAY) / HOUR)}小时`;
  else if (a >= HOUR) text = `${Math.floor(a / HOUR)}小时${Math.floor((a % HOUR) / MINUTE)}分`;
  else text = `${Math.floor(a / MINUTE)}分${String(Math.floor((a % MINUTE) / 1000)).padStart(2, '0')}秒`;
  return `${past ? '超' : '剩'} ${text}`;
}

/** The tone at `now`: none without a deadline, red once passed, otherwise the server's status. */
export function toneAt(deadlineAt: string | null, serverStatus: string | null | undefined, now: number): DeadlineTone {
  if (!deadlineAt) return 'none';
  if (Date.parse(deadlineAt) <= now) return 'red';
  return serverStatus === 'red' || serverStatus === 'amber' ? serverStatus : 'ok';
}

export const TONE_LABELS: Record<DeadlineTone, string> = { ok: '正常', amber: '临期', red: '超期', none: '无时限' };
