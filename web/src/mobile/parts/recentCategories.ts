/**
 * 上报's category picker puts the categories this phone used last first: a short list
 * of codes in localStorage, newest first. The ordering is pure (tested); storage may be
 * missing (private mode in some WebViews) and then nothing is remembered.
 */
const KEY = 'wanggetong.recentCategories';
export const RECENT_MAX = 6;

export function withRecent(recent: readonly string[], code: string): string[] {
  return [code, ...recent.filter((c) => c !== code)].slice(0, RECENT_MAX);
}

/** The recent ones (in recency order, only those still offered) and then the rest in their own order. */
export function orderByRecent<C extends { code: string }>(categories: readonly C[], recent: readonly string[]): { recent: C[]; rest: C[] } {
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const first = recent.map((code) => byCode.get(code)).filter((c): c is C => c !== undefined);
  const taken = new Set(first.map((c) => c.code));
  return { recent: first, rest: categories.filter((c) => !taken.has(c.code)) };
}

export function loadRecent(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberCategory(code: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(withRecent(loadRecent(), code)));
  } catch {
    // Storage unavailable: the picker just keeps its default order.
  }
}
