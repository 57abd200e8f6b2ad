/** Calendar months in China Standard Time (UTC+8 all year, no DST) as UTC instants. */
const CST_MS = 8 * 3600_000;

export interface Month {
  /** e.g. "2026-11" */
  key: string;
  start: Date;
  end: Date;
}

/** The month containing `now`, shifted by `offset` months (−11 … 0 for a 12-month trend). */
export function cstMonth(now: Date, offset = 0): Month {
  const local = new Date(now.getTime() + CST_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + offset;
  const start = new Date(Date.UTC(y, m, 1) - CST_MS);
  const end = new Date(Date.UTC(y, m + 1, 1) - CST_MS);
  const first = new Date(start.getTime() + CST_MS);
  return { key: `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}`, start, end };
}

/** The last `count` months ending with the month of `now`, oldest first. */
export function lastMonths(now: Date, count = 12): Month[] {
  return Array.from({ length: count }, (_, i) => cstMonth(now, i - count + 1));
}
