/** Filtering the region tree by name or code for the search box, and the grid codes of every level it opens. */
import { ANY_GRID_CODE_PATTERN, GRID_LEVEL_LABELS } from '../../../../kernel/gridCode';

export interface SearchNode<T extends SearchNode<T>> {
  code: string;
  name: string;
  children: readonly T[];
}

/** A full grid code of any level (基础 15 digits, 专属 16, 微 17): the search box opens that grid instead of filtering. */
export const isGridCodeQuery = (q: string) => ANY_GRID_CODE_PATTERN.test(q.trim());

/** The level a full grid code names, by its length. */
export const gridLevelLabel = (code: string) => GRID_LEVEL_LABELS[code.length === 17 ? 'micro' : code.length === 16 ? 'exclusive' : 'base'];

/** "12 个基础网格、30 个微网格、2 个专属网格" for a node's counts (levels without grids left out, base always). */
export function levelCountsLabel(n: { gridCount: number; microCount: number; exclusiveCount: number }): string {
  const parts = [`${n.gridCount} 个基础网格`];
  if (n.microCount > 0) parts.push(`${n.microCount} 个微网格`);
  if (n.exclusiveCount > 0) parts.push(`${n.exclusiveCount} 个专属网格`);
  return parts.join('、');
}

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
