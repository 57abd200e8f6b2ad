/**
 * Why: the big screen's incident heat was MapLibre's heatmap layer, which on a software-rendered
 * wall (SwiftShader in headless Chromium, and many control-room PCs) costs an offscreen
 * framebuffer pass and its own shader programs on every frame: at 30,000 grids + 100,000
 * incidents it was what kept the first full render above 2× the empty database. The same
 * picture is a small image: the density of the server's heat cells summed once per view on the
 * CPU with MapLibre's own kernel (a Gaussian cut at the radius, weight × intensity × 1/√(2π) at
 * the centre), coloured with the same ramp, and drawn as one textured quad (a raster layer on an
 * image source, the cheapest thing MapLibre draws).
 * Pure: Web Mercator maths only, so the density of known incident positions is checked in tests.
 */
import { metresPerPixel, toLonLat, toMercator } from './webMercator';

export interface HeatInputPoint {
  /** [lon, lat] of the cell (its incidents' mean position). */
  position: readonly [number, number];
  /** incidents in the cell */
  weight: number;
}

/** One colour stop of the ramp: density (0…1, above 1 takes the last) → RGBA 0–255. */
export type HeatStop = readonly [density: number, r: number, g: number, b: number, a: number];

export interface HeatRasterOptions {
  /** Top of the colour domain (the server's per-cell maximum); a cell at it weighs 1. */
  max: number;
  /** Camera zoom the radius is measured at (the heat looks the same on screen at every zoom). */
  zoom: number;
  /** Kernel radius in CSS pixels at `zoom`. */
  radiusPx: number;
  /** Multiplies every weight (MapLibre's heatmap-intensity). */
  intensity: number;
  /** Mercator area to cover, [xmin, ymin, xmax, ymax] in metres (the view with a margin). */
  area: readonly [number, number, number, number];
  /** Density → colour, sorted by density; below the first stop transparent. */
  stops: readonly HeatStop[];
  /** Raster pixels per kernel radius (default 6); the image is bounded by maxSide. */
  pixelsPerRadius?: number;
  /** Largest side of the image in pixels (default 2048). */
  maxSide?: number;
}

export interface HeatRaster {
  width: number;
  height: number;
  /** Mercator metres per raster pixel. */
  pixelM: number;
  /** Mercator metres of the image's top-left corner. */
  x0: number;
  y0: number;
  /** Summed kernel density per pixel, row by row from the top. */
  density: Float32Array;
  /** Non-premultiplied RGBA, row by row from the top (ImageData's layout). */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /** Image corners [lon, lat]: top-left, top-right, bottom-right, bottom-left (MapLibre's order). */
  coordinates: [[number, number], [number, number], [number, number], [number, number]];
}

/** MapLibre's heatmap kernel: 1/√(2π) × exp(−1.5 d²/R²), cut at d = R. */
const GAUSS_COEF = 0.3989422804014327;
/** Weight of a cell: its share of the domain's top (at least 4), at most 1 (the screen's heatWeight). */
export const heatCellWeight = (weight: number, max: number) => Math.min(1, weight / Math.max(4, max));

export function heatRaster(points: readonly HeatInputPoint[], o: HeatRasterOptions): HeatRaster {
  const radiusM = o.radiusPx * metresPerPixel(o.zoom);
  const [axmin, aymin, axmax, aymax] = o.area;
  const maxSide = o.maxSide ?? 2048;
  let pixelM = radiusM / (o.pixelsPerRadius ?? 6);
  pixelM = Math.max(pixelM, (axmax - axmin) / maxSide, (aymax - aymin) / maxSide);
  const width = Math.max(1, Math.ceil((axmax - axmin) / pixelM));
  const height = Math.max(1, Math.ceil((aymax - aymin) / pixelM));
  const x0 = axmin;
  const y0 = aymax;
  const density = new Float32Array(width * height);
  const r = radiusM / pixelM;
  const r2 = r * r;
  const reach = Math.ceil(r);
  for (const p of points) {
    const [mx, my] = toMercator(p.position[0], p.position[1]);
    // The point in pixel units (pixel centres at half integers).
    const px = (mx - x0) / pixelM;
    const py = (y0 - my) / pixelM;
    if (px < -r || py < -r || px > width + r || py > height + r) continue;
    const peak = heatCellWeight(p.weight, o.max) * o.intensity * GAUSS_COEF;
    if (peak <= 0) continue;
    const cx = Math.floor(px);
    const cy = Math.floor(py);
    for (let j = Math.max(0, cy - reach); j <= Math.min(height - 1, cy + reach); j++) {
      const dy = j + 0.5 - py;
      const row = j * width;
      for (let i = Math.max(0, cx - reach); i <= Math.min(width - 1, cx + reach); i++) {
        const dx = i + 0.5 - px;
        const d2 = dx * dx + dy * dy;
        if (d2 < r2) density[row + i]! += peak * Math.exp((-1.5 * d2) / r2);
      }
    }
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  const lut = colourTable(o.stops);
  for (let k = 0; k < density.length; k++) {
    const d = density[k]!;
    if (d <= 0) continue;
    const at = Math.min(LUT_SIZE - 1, Math.round(d * (LUT_SIZE - 1))) * 4;
    rgba[k * 4] = lut[at]!;
    rgba[k * 4 + 1] = lut[at + 1]!;
    rgba[k * 4 + 2] = lut[at + 2]!;
    rgba[k * 4 + 3] = lut[at + 3]!;
  }
  const [w, n] = toLonLat(x0, y0);
  const [e, s] = toLonLat(x0 + width * pixelM, y0 - height * pixelM);
  return {
    width,
    height,
    pixelM,
    x0,
    y0,
    density,
    rgba,
    coordinates: [
      [w, n],
      [e, n],
      [e, s],
      [w, s],
    ],
  };
}

/** The summed density at a position (0 outside the image). */
export function heatDensityAt(raster: HeatRaster, lon: number, lat: number): number {
  const [mx, my] = toMercator(lon, lat);
  const i = Math.floor((mx - raster.x0) / raster.pixelM);
  const j = Math.floor((raster.y0 - my) / raster.pixelM);
  if (i < 0 || j < 0 || i >= raster.width || j >= raster.height) return 0;
  return raster.density[j * raster.width + i]!;
}

const LUT_SIZE = 1024;

/** Colours of densities 0…1 in LUT_SIZE steps, interpolated linearly between the stops. */
function colourTable(stops: readonly HeatStop[]): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let k = 0; k < LUT_SIZE; k++) {
    const d = k / (LUT_SIZE - 1);
    const upper = stops.findIndex((s) => s[0] >= d);
    let c: readonly number[];
    if (upper === -1) c = stops[stops.length - 1]!.slice(1);
    else if (upper === 0) c = d === stops[0]![0] ? stops[0]!.slice(1) : [0, 0, 0, 0];
    else {
      const a = stops[upper - 1]!;
      const b = stops[upper]!;
      const f = (d - a[0]) / (b[0] - a[0]);
      c = [1, 2, 3, 4].map((n) => a[n]! + (b[n]! - a[n]!) * f);
    }
    lut.set(c, k * 4);
  }
  return lut;
}
