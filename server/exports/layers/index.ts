/**
 * Export layer registry: one file per layer beside this one, each a small
 * definition (fields with their Shapefile names, one SQL select; see layer.ts).
 * To add a layer write its file and append it to LAYERS; every format, the API,
 * the CLI and the UI pick it up.
 */
import { beltsLayer } from './belts';
import { centresLayer } from './centres';
import { estatesLayer } from './estates';
import { circlesLayer } from './circles';
import { coverageGapsLayer } from './coverage_gaps';
import { gridsLayer } from './grids';
import { incidentsLayer } from './incidents';
import { isochronesLayer } from './isochrones';
import { communityKpiLayer } from './kpi_communities';
import type { ExportLayer } from './layer';
import { foreignGridsLayer } from './foreign_grids';
import { subGridsLayer } from './sub_grids';

export type { ExportField, ExportFilter, ExportGeometryType, ExportLayer, FieldType, FieldValue, Page } from './layer';
export { asGeoJson, asWkb, noGeometry, projectedGeoJson, projectedWkb, type GeometryOutput } from './geometryOutput';
export { beltsLayer, centresLayer, circlesLayer, communityKpiLayer, coverageGapsLayer, estatesLayer, foreignGridsLayer, gridsLayer, incidentsLayer, isochronesLayer, subGridsLayer };

export const LAYERS: readonly ExportLayer[] = [gridsLayer, centresLayer, isochronesLayer, beltsLayer, circlesLayer, incidentsLayer, communityKpiLayer, coverageGapsLayer, estatesLayer, subGridsLayer, foreignGridsLayer];

export function findLayer(name: string): ExportLayer | undefined {
  return LAYERS.find((l) => l.name === name);
}

/** What GET /api/exports/layers returns: the field mapping documented per layer. */
export function describeLayers() {
  return LAYERS.map((l) => ({
    name: l.name,
    title: l.title,
    geometryType: l.geometryType,
    timeFilter: l.timeFilter,
    fields: l.fields.map((f) => ({ name: f.name, shapefileName: f.dbf, title: f.title, type: f.type })),
  }));
}
