/**
 * What can be exported, as GET /api/exports/layers lists it: layers with their
 * field mapping, formats, CRSs (with a Chinese warning where one applies: GCJ-02).
 */
import { CRS_IDS, resolveCrs } from './crs/projections';
import { FORMATS } from './formats';
import { describeLayers } from './layers';

export function exportCatalogue() {
  return {
    layers: describeLayers(),
    formats: FORMATS.map((f) => ({ id: f.id, title: f.title, extension: f.extension, streaming: f.streaming })),
    crs: CRS_IDS.map((id) => {
      const crs = resolveCrs(id)!;
      return { id, epsg: crs.epsg, name: crs.name, geographic: crs.geographic, warning: crs.warning ?? null };
    }),
  };
}

export type ExportCatalogue = ReturnType<typeof exportCatalogue>;
