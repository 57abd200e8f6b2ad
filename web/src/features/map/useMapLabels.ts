/** Assembles the label layers for the current viewport: region names from the tree, grid codes from the API. */
import { useMemo } from 'react';
import type { RegionTreeNode } from '../../api/queries';
import { useGridsInBbox } from '../../api/queries';
import { snapBbox } from '../../../../kernel/bbox';
import { buildLabelLayers } from './labelLayers';
import { gridLabelText, labelVisibility, regionLabels, type LabelDatum } from './labels';
import type { Viewport } from './useViewport';

export function useMapLabels(roots: readonly RegionTreeNode[], viewport: Viewport | null) {
  const regions = useMemo(() => regionLabels(roots), [roots]);
  const visibility = labelVisibility(viewport?.zoom ?? 0);
  const gridBbox = viewport && visibility.grids ? snapBbox(viewport.bbox) : null;
  const gridsQuery = useGridsInBbox(gridBbox);

  const features = gridsQuery.data?.features;
  const grids = useMemo<LabelDatum[]>(
    () => (features ?? []).map((f) => ({ code: f.properties.code, text: gridLabelText(f.properties.code, visibility.gridFullCode), position: f.properties.label })),
    [features, visibility.gridFullCode],
  );

  const layers = useMemo(
    () => buildLabelLayers({ ...regions, grids, visibility: { streets: visibility.streets, communities: visibility.communities, grids: visibility.grids } }),
    [regions, grids, visibility.streets, visibility.communities, visibility.grids],
  );
  return { layers, gridsError: gridsQuery.error, gridsTruncated: gridsQuery.data?.truncated ?? false };
}
