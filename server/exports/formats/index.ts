import { csvFormat } from './csv';
import { flatgeobufFormat } from './flatgeobuf';
import { geojsonFormat } from './geojson';
import { gpkgFormat } from './gpkg';
import { kmlFormat } from './kml';
import { shapefileFormat } from './shapefile';
import type { ExportFormat } from './types';

export const FORMATS: readonly ExportFormat[] = [geojsonFormat, shapefileFormat, gpkgFormat, kmlFormat, csvFormat, flatgeobufFormat];
export const FORMAT_IDS = FORMATS.map((f) => f.id) as [string, ...string[]];

export function findFormat(id: string): ExportFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}
