import { Hono } from 'hono';
import type { AppEnv } from '../appEnv';
import { loadDatasetMeta } from '../dataset/datasetMeta';
import { loadDefaultView } from '../regions/extent';

export interface BasemapConfig {
  /** offline: our own roads and boundaries; raster: an external XYZ/WMTS template (optional). */
  kind: 'offline' | 'raster';
  tiles?: string[];
  attribution?: string;
}

/**
 * External basemaps are opt-in: TIANDITU_TK adds 天地图 vector tiles (EPSG:3857, `w` matrix set);
 * BASEMAP_RASTER_URL any XYZ template. Without either nothing leaves this server.
 */
export function basemapFromEnv(env: NodeJS.ProcessEnv = process.env): BasemapConfig {
  if (env.TIANDITU_TK) {
    const tk = encodeURIComponent(env.TIANDITU_TK);
    return {
      kind: 'raster',
      tiles: [0, 1, 2, 3].map(
        (s) => `https://t${s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${tk}`,
      ),
      attribution: '天地图',
    };
  }
  if (env.BASEMAP_RASTER_URL) return { kind: 'raster', tiles: [env.BASEMAP_RASTER_URL], attribution: env.BASEMAP_ATTRIBUTION ?? '' };
  return { kind: 'offline' };
}

/** What every page needs before it draws: the dataset, the basemap and where maps open (the data's extent). */
export const configRoute = new Hono<AppEnv>().get('/', async (c) => {
  const [dataset, defaultView] = await Promise.all([loadDatasetMeta(c.var.db), loadDefaultView(c.var.db)]);
  return c.json({ dataset, basemap: basemapFromEnv(), defaultView }, 200);
});
