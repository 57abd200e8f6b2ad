/** The settled map viewport (zoom + bbox), updated shortly after each moveend. */
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useState } from 'react';
import type { Bbox } from '../../../../kernel/bbox';

export interface Viewport {
  zoom: number;
  bbox: Bbox;
}

const readViewport = (map: maplibregl.Map): Viewport => {
  const b = map.getBounds();
  return { zoom: map.getZoom(), bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] };
};

/** Debounced so a burst of moves (fly-to, inertia, scroll zoom) gives one update and one request. */
export function useViewport(map: maplibregl.Map | null, debounceMs = 250): Viewport | null {
  const [viewport, setViewport] = useState<Viewport | null>(null);
  useEffect(() => {
    if (!map) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMoveEnd = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setViewport(readViewport(map)), debounceMs);
    };
    setViewport(readViewport(map));
    map.on('moveend', onMoveEnd);
    return () => {
      clearTimeout(timer);
      map.off('moveend', onMoveEnd);
    };
  }, [map, debounceMs]);
  return viewport;
}
