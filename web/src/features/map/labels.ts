/**
 * What the map labels say and when they show. MapLibre has no glyphs offline,
 * so deck.gl draws these; this module is the pure part (data and zoom rules).
 */
export interface LabelNode {
  code: string;
  name: string;
  level: string;
  label: readonly [number, number] | number[];
  children: readonly LabelNode[];
}

export interface LabelDatum {
  code: string;
  text: string;
  position: [number, number];
}

/** Zoom bands: streets for the overview, communities when zoomed in, grid codes close up. */
export const LABEL_ZOOM = {
  streetsBelow: 14,
  communitiesFrom: 12,
  communitiesBelow: 16.5,
  gridsFrom: 15,
  gridFullCodeFrom: 17,
} as const;

export function labelVisibility(zoom: number) {
  return {
    streets: zoom < LABEL_ZOOM.streetsBelow,
    communities: zoom >= LABEL_ZOOM.communitiesFrom && zoom < LABEL_ZOOM.communitiesBelow,
    grids: zoom >= LABEL_ZOOM.gridsFrom,
    gridFullCode: zoom >= LABEL_ZOOM.gridFullCodeFrom,
  };
}

/** "东成社区居委会" → "东成社区": the committee suffix adds nothing on a map. */
export function shortRegionName(name: string): string {
  return name.replace(/(居民委员会|村民委员会|居委会|村委会)$/, '') || name;
}

/** Grid code label: the in-community sequence (last 3 digits) unless zoomed right in. */
export function gridLabelText(code: string, fullCode: boolean): string {
  return fullCode ? code : code.slice(-3);
}

export function regionLabels(roots: readonly LabelNode[]): { streets: LabelDatum[]; communities: LabelDatum[] } {
  const streets: LabelDatum[] = [];
  const communities: LabelDatum[] = [];
  const walk = (nodes: readonly LabelNode[]) => {
    for (const n of nodes) {
      const datum = { code: n.code, text: shortRegionName(n.name), position: [n.label[0], n.label[1]] as [number, number] };
      if (n.level === 'street') streets.push(datum);
      else if (n.level === 'community') communities.push(datum);
      walk(n.children);
    }
  };
  walk(roots);
  return { streets, communities };
}
