/** Filtering the region tree by name or code for the search box. */
export interface SearchNode<T extends SearchNode<T>> {
  code: string;
  name: string;
  children: readonly T[];
}

/** A full 15-digit grid code: the search box opens that grid instead of filtering. */
export const isGridCodeQuery = (q: string) => /^\d{15}$/.test(q.trim());

export function matchesRegion(node: { code: string; name: string }, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return node.name.toLowerCase().includes(q) || node.code.startsWith(q);
}

/**
 * Keeps matching nodes (with their whole subtree, so a matching street still
 * lists its communities) and the ancestors leading to them. `expanded` holds the
 * ancestors, which the tree opens so every match is visible.
 */
export function filterRegionTree<T extends SearchNode<T>>(roots: readonly T[], query: string): { nodes: T[]; expanded: Set<string> } {
  const expanded = new Set<string>();
  if (!query.trim()) return { nodes: [...roots], expanded };
  const visit = (nodes: readonly T[]): T[] => {
    const kept: T[] = [];
    for (const node of nodes) {
      if (matchesRegion(node, query)) {
        kept.push(node);
        continue;
      }
      const children = visit(node.children);
      if (children.length > 0) {
        expanded.add(node.code);
        kept.push({ ...node, children });
      }
    }
    return kept;
  };
  return { nodes: visit(roots), expanded };
}
