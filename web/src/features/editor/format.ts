/** Chinese formatting for the editor's tables. */
export function formatArea(m2: number | null | undefined): string {
  if (m2 == null || !Number.isFinite(m2)) return '—';
  if (Math.abs(m2) >= 100_000) return `${(m2 / 1_000_000).toFixed(3)} 平方千米`;
  return `${Math.round(m2).toLocaleString('zh-CN')} 平方米`;
}

export function formatAreaChange(before: number | null | undefined, after: number | null | undefined): string {
  if (before == null || after == null) return '';
  const d = after - before;
  if (Math.abs(d) < 0.5) return '面积不变';
  return `${d > 0 ? '+' : '−'}${Math.round(Math.abs(d)).toLocaleString('zh-CN')} 平方米`;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Tile URL template with a version query, so MapLibre refetches after an edit. */
export function versionedTileUrl(template: string, version: number): string {
  const base = template.replace(/([?&])v=\d+&?/, '$1').replace(/[?&]$/, '');
  return `${base}${base.includes('?') ? '&' : '?'}v=${version}`;
}
