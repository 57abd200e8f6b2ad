/** Number formatting for the grid panel (zh-CN conventions). */
const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

export const formatCount = (n: number | null | undefined) => (n == null ? '—' : integer.format(n));

/** Area as exact m² plus a readable unit: 公顷 below 1 km², km² above. */
export function formatArea(m2: number): { m2: string; readable: string } {
  const readable = m2 >= 1_000_000 ? `${(m2 / 1_000_000).toFixed(2)} km²` : `${(m2 / 10_000).toFixed(2)} 公顷`;
  return { m2: `${integer.format(m2)} m²`, readable };
}

/** "★★★★☆" for a 0–5 rating (clamped, rounded). */
export function starText(rating: number, max = 5): string {
  const filled = Math.max(0, Math.min(max, Math.round(rating)));
  return '★'.repeat(filled) + '☆'.repeat(max - filled);
}

/** ISO time → "2026-11-23 15:55" in China time, independent of the viewer's zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const local = new Date(d.getTime() + 8 * 3600_000);
  return local.toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Stable React keys for a list of names that may repeat (two workers called 李明):
 * the name and how many times it has appeared before, never the list position.
 */
export function occurrenceKeys(values: readonly string[]): { key: string; value: string }[] {
  const seen = new Map<string, number>();
  return values.map((value) => {
    const n = seen.get(value) ?? 0;
    seen.set(value, n + 1);
    return { key: `${value}#${n}`, value };
  });
}
