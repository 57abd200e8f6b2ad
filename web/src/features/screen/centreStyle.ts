/**
 * How each level of 党群服务中心 looks on the screen (map dots, legend, panels). Its own
 * file, free of deck.gl, so the panels and legend render before the map's code has loaded.
 */
import type { ScreenCentre } from './screenApi';

export type Rgba = [number, number, number, number];

export const CENTRE_LEVELS = ['city', 'district', 'street', 'community', 'estate'] as const;
export const CENTRE_LEVEL_LABELS: Record<ScreenCentre['level'], string> = { city: '市级', district: '县区级', street: '街道级', community: '社区级', estate: '小区级' };
export const CENTRE_STYLE: Record<ScreenCentre['level'], { colour: Rgba; radius: number }> = {
  city: { colour: [255, 215, 0, 255], radius: 13 },
  district: { colour: [255, 120, 60, 255], radius: 11 },
  street: { colour: [239, 68, 68, 255], radius: 9 },
  community: { colour: [255, 170, 170, 255], radius: 6 },
  estate: { colour: [180, 200, 255, 255], radius: 3.5 },
};
