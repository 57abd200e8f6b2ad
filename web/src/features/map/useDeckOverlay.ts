/**
 * A deck.gl overlay on top of the MapLibre canvas (not interleaved: deck keeps
 * its own canvas and follows the map camera). Used for text, which MapLibre
 * cannot draw without glyph files.
 */
import type { Layer } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useRef } from 'react';

export function useDeckOverlay(map: maplibregl.Map | null, layers: Layer[]): void {
  const overlayRef = useRef<MapboxOverlay | null>(null);

  useEffect(() => {
    if (!map) return;
    const overlay = new MapboxOverlay({ interleaved: false, layers: [] });
    // deck's IControl type is written for mapbox-gl; MapLibre's is compatible.
    map.addControl(overlay as unknown as maplibregl.IControl);
    overlayRef.current = overlay;
    return () => {
      overlayRef.current = null;
      map.removeControl(overlay as unknown as maplibregl.IControl);
    };
  }, [map]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers });
  }, [map, layers]);
}
