/**
 * A deck.gl overlay on top of the MapLibre canvas (not interleaved: deck keeps
 * its own canvas and follows the map camera). Used for text, which MapLibre
 * cannot draw without glyph files, and the thematic layers.
 */
import type { Layer } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type * as maplibregl from 'maplibre-gl';
import { useEffect, useRef } from 'react';

/** `pixelRatio`: deck's device pixels (default: the browser's own). */
export function useDeckOverlay(map: maplibregl.Map | null, layers: Layer[], pixelRatio?: number): void {
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const pixelRatioRef = useRef(pixelRatio);
  pixelRatioRef.current = pixelRatio;

  useEffect(() => {
    if (!map) return;
    const ratio = pixelRatioRef.current;
    const overlay = new MapboxOverlay({ interleaved: false, layers: [], ...(ratio !== undefined ? { useDevicePixels: ratio } : {}) });
    // deck's IControl type is written for mapbox-gl; MapLibre's is compatible.
    map.addControl(overlay as unknown as maplibregl.IControl);
    overlayRef.current = overlay;
    return () => {
      overlayRef.current = null;
      map.removeControl(overlay as unknown as maplibregl.IControl);
    };
  }, [map]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `map` is the trigger — a new map gets a new overlay (created with no props), which must be given the current ratio again
  useEffect(() => {
    if (pixelRatio !== undefined) overlayRef.current?.setProps({ useDevicePixels: pixelRatio });
  }, [map, pixelRatio]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `map` is the trigger — a new map gets a new overlay (created with no layers), which must be given the current layers again
  useEffect(() => {
    overlayRef.current?.setProps({ layers });
  }, [map, layers]);
}
