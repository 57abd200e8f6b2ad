/**
 * Left panel: the 市 → 区 → 街道 → 社区 tree with grid counts of every level (基础网格,
 * 微网格, 专属网格), and a search box that filters it by name or code, or opens a grid by
 * its code (15 digits 基础网格, 17 微网格, 16 专属网格).
 * Keyboard: Tab/↑/↓ move between nodes, → expands, ← collapses, Enter flies there.
 */
import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { errorMessage, type RegionTreeNode } from '../../api/queries';
import { filterRegionTree, gridLevelLabel, isGridCodeQuery, levelCountsLabel, matchesRegion } from './regionSearch';
import './regions.css';

export interface RegionTreeProps {
  roots: RegionTreeNode[];
  /** street code → legend colour */
  streetColours: ReadonlyMap<string, string>;
  onSelectRegion: (node: RegionTreeNode) => void;
  /** Resolves once the grid is shown (optionally with what to tell the user); rejects with an ApiError (e.g. 404) otherwise. */
  onOpenGrid: (code: string) => Promise<string | undefined>;
}

interface IndexEntry {
  node: RegionTreeNode;
  parent: RegionTreeNode | null;
}

function indexTree(roots: readonly RegionTreeNode[]): Map<string, IndexEntry> {
  const index = new Map<string, IndexEntry>();
  const walk = (nodes: readonly RegionTreeNode[], parent: RegionTreeNode | null) => {
    for (const node of nodes) {
      index.set(node.code, { node, parent });
      walk(node.children, node);
    }
  };
  walk(roots, null);
  return index;
}

/** City and districts open at start: the streets are the first useful choice. */
function initiallyExpanded(roots: readonly RegionTreeNode[]): Set<string> {
  return new Set(roots.flatMap((city) => [city.code, ...city.children.map((d) => d.code)]));
}

const LEVEL_LABEL: Record<string, string> = { city: '市', district: '区县', street: '街道', community: '社区' };

export function RegionTree({ roots, streetColours, onSelectRegion, onOpenGrid }: RegionTreeProps) {
  const [query, setQuery] = useState('');
  const defaultOpen = useMemo(() => initiallyExpanded(roots), [roots]);
  // What the user opened or closed explicitly; otherwise defaults and search decide.
  const [overrides, setOverrides] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [activeCode, setActiveCode] = useState<string | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searchFound, setSearchFound] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const treeRef = useRef<HTMLUListElement>(null);

  const index = useMemo(() => indexTree(roots), [roots]);
  const gridQuery = isGridCodeQuery(query);
  const filtered = useMemo(() => (gridQuery ? { nodes: roots, expanded: new Set<string>() } : filterRegionTree(roots, query)), [roots, query, gridQuery]);
  const isOpen = (code: string) => overrides.get(code) ?? (defaultOpen.has(code) || filtered.expanded.has(code));

  const toggle = (code: string, open?: boolean) => setOverrides((prev) => new Map(prev).set(code, open ?? !isOpen(code)));

  const select = (node: RegionTreeNode) => {
    setActiveCode(node.code);
    onSelectRegion(node);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSearchError(null);
    setSearchFound(null);
    const q = query.trim();
    if (isGridCodeQuery(q)) {
      setOpening(true);
      try {
        setSearchFound((await onOpenGrid(q)) ?? null);
      } catch (err) {
        setSearchError(errorMessage(err));
      } finally {
        setOpening(false);
      }
      return;
    }
    // Enter on a name search flies to the first match.
    const first = firstNode(filtered.nodes, q);
    if (first) select(first);
  };

  const focusNode = (code: string) => treeRef.current?.querySelector<HTMLButtonElement>(`button[data-code="${code}"]`)?.focus();

  const onTreeKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const target = e.target as HTMLElement;
    const code = target.dataset.code;
    if (!code || !treeRef.current) return;
    const entry = index.get(code);
    const buttons = [...treeRef.current.querySelectorAll<HTMLButtonElement>('button[data-code]')];
    const at = buttons.indexOf(target as HTMLButtonElement);
    const hasChildren = (entry?.node.children.length ?? 0) > 0;
    switch (e.key) {
      case 'ArrowDown':
        buttons[Math.min(at + 1, buttons.length - 1)]?.focus();
        break;
      case 'ArrowUp':
        buttons[Math.max(at - 1, 0)]?.focus();
        break;
      case 'Home':
        buttons[0]?.focus();
        break;
      case 'End':
        buttons.at(-1)?.focus();
        break;
      case 'ArrowRight':
        if (hasChildren && !isOpen(code)) toggle(code, true);
        else if (hasChildren) buttons[at + 1]?.focus();
        break;
      case 'ArrowLeft':
        if (hasChildren && isOpen(code)) toggle(code, false);
        else if (entry?.parent) focusNode(entry.parent.code);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const hintId = 'region-search-hint';
  return (
    <nav className="region-panel" aria-label="行政区划导航">
      <form className="search" role="search" onSubmit={onSubmit}>
        <label htmlFor="region-search" className="search-label">
          搜索区划或网格
        </label>
        <input
          id="region-search"
          type="search"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setSearchError(null);
            setSearchFound(null);
            // A new search must reveal its matches, even inside nodes closed earlier.
            setOverrides((prev) => new Map([...prev].filter(([, open]) => open)));
          }}
          placeholder="街道、社区名称或代码，网格编码（基础 15 位、专属 16 位、微 17 位）"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={hintId}
          data-testid="region-search"
        />
      </form>
      <div id={hintId} className="search-hint" aria-live="polite">
        {searchError ? (
          <span className="error-message" role="alert" data-testid="search-error">
            {searchError}
          </span>
        ) : opening ? (
          <span className="muted">正在查找网格…</span>
        ) : searchFound ? (
          <span data-testid="search-found">{searchFound}</span>
        ) : gridQuery ? (
          <span>
            按回车打开{gridLevelLabel(query.trim())} {query.trim()}
          </span>
        ) : query.trim() && filtered.nodes.length === 0 ? (
          <span className="muted">没有匹配的区划</span>
        ) : (
          <span className="muted">↑↓ 选择，→ 展开，← 收起，回车定位</span>
        )}
      </div>
      <ul className="tree" ref={treeRef} onKeyDown={onTreeKeyDown} data-testid="region-tree">
        {filtered.nodes.map((node) => (
          <TreeNode key={node.code} node={node} depth={0} isOpen={isOpen} toggle={toggle} select={select} activeCode={activeCode} streetColours={streetColours} />
        ))}
      </ul>
    </nav>
  );
}

function firstNode(nodes: readonly RegionTreeNode[], q: string): RegionTreeNode | undefined {
  for (const node of nodes) {
    if (matchesRegion(node, q)) return node;
    const hit = firstNode(node.children, q);
    if (hit) return hit;
  }
  return undefined;
}

interface TreeNodeProps {
  node: RegionTreeNode;
  depth: number;
  isOpen: (code: string) => boolean;
  toggle: (code: string) => void;
  select: (node: RegionTreeNode) => void;
  activeCode: string | null;
  streetColours: ReadonlyMap<string, string>;
}

function TreeNode({ node, depth, isOpen, toggle, select, activeCode, streetColours }: TreeNodeProps) {
  const hasChildren = node.children.length > 0;
  const open = hasChildren && isOpen(node.code);
  const swatch = streetColours.get(node.code);
  return (
    <li className={`tree-item level-${node.level}`}>
      <div className={`tree-row${activeCode === node.code ? ' active' : ''}`} style={{ paddingLeft: `${depth * 14 + 4}px` }}>
        {hasChildren ? (
          <button type="button" className="tree-toggle" tabIndex={-1} aria-expanded={open} aria-label={`${open ? '收起' : '展开'}${node.name}`} onClick={() => toggle(node.code)}>
            <span className={`chevron${open ? ' open' : ''}`} aria-hidden="true">
              ▸
            </span>
          </button>
        ) : (
          <span className="tree-toggle" aria-hidden="true" />
        )}
        <button
          type="button"
          className="tree-node"
          data-code={node.code}
          aria-current={activeCode === node.code ? 'location' : undefined}
          aria-expanded={hasChildren ? open : undefined}
          title={`${node.name}（${node.code}）：${levelCountsLabel(node)}；定位到地图`}
          onClick={() => select(node)}
        >
          {swatch && <span className="swatch" style={{ background: swatch }} aria-hidden="true" />}
          <span className="tree-name">{node.name}</span>
          <span className="tree-kind">{node.kind ?? LEVEL_LABEL[node.level]}</span>
          {(node.microCount > 0 || node.exclusiveCount > 0) && (
            <span className="tree-sub" role="img" aria-label={levelCountsLabel(node)} title={levelCountsLabel(node)} data-testid="tree-sub-counts">
              {node.microCount > 0 && `微${node.microCount}`}
              {node.microCount > 0 && node.exclusiveCount > 0 && ' · '}
              {node.exclusiveCount > 0 && `专${node.exclusiveCount}`}
            </span>
          )}
          <span className="tree-count" role="img" aria-label={`${node.gridCount} 个基础网格`}>
            {node.gridCount}
          </span>
        </button>
      </div>
      {open && (
        <ul className="tree-children">
          {node.children.map((child) => (
            <TreeNode key={child.code} node={child} depth={depth + 1} isOpen={isOpen} toggle={toggle} select={select} activeCode={activeCode} streetColours={streetColours} />
          ))}
        </ul>
      )}
    </li>
  );
}
