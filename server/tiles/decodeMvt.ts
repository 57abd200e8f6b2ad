/** Reads a vector tile back into plain objects (tests, benchmarks, diagnostics). */
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

export interface DecodedFeature {
  id: number | undefined;
  type: 'Point' | 'LineString' | 'Polygon' | 'Unknown';
  properties: Record<string, unknown>;
  /** Rings or lines in tile coordinates (0..extent, y down). */
  geometry: { x: number; y: number }[][];
}

export function decodeTile(bytes: Uint8Array): Record<string, DecodedFeature[]> {
  const tile = new VectorTile(new PbfReader(bytes) as never);
  const out: Record<string, DecodedFeature[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = Array.from({ length: layer.length }, (_, i) => {
      const f = layer.feature(i);
      return {
        id: f.id,
        type: (['Unknown', 'Point', 'LineString', 'Polygon'] as const)[f.type] ?? 'Unknown',
        properties: { ...f.properties },
        geometry: f.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x, y: p.y }))),
      };
    });
  }
  return out;
}
