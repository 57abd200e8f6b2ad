/**
 * The phone's position (navigator.geolocation.watchPosition, high accuracy) while a
 * component is shown, with the accuracy in metres; a clear Chinese reason when the
 * browser has no GPS, the user refused, or WeChat's browser blocks it on http.
 */
import { useEffect, useState } from 'react';

export interface Fix {
  lon: number;
  lat: number;
  /** Metres (68 % radius). */
  accuracy: number;
  at: number;
}

export interface GeoState {
  fix: Fix | null;
  error: string | null;
}

const REASONS: Record<number, string> = {
  1: '未允许定位：请在浏览器或微信设置中允许使用位置，或在地图上点选位置',
  2: '暂时无法定位（信号弱），可在地图上点选位置',
  3: '定位超时，正在重试…',
};

export function useGeolocation(enabled = true): GeoState {
  const [state, setState] = useState<GeoState>({ fix: null, error: null });
  useEffect(() => {
    if (!enabled) return;
    if (!('geolocation' in navigator)) {
      setState({ fix: null, error: '此浏览器不支持定位，请在地图上点选位置' });
      return;
    }
    const id = navigator.geolocation.watchPosition(
      (p) => setState({ fix: { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, at: p.timestamp }, error: null }),
      (e) => setState((s) => ({ fix: s.fix, error: REASONS[e.code] ?? e.message })),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [enabled]);
  return state;
}
