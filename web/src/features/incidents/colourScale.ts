/**
 * Sequential colour scale for incident density (light yellow → deep red, readable
 * on the dark base map). The domain comes from the server's max for the whole
 * filtered period, so colours and legend do not jump between playback frames.
 */
export type Rgba = [number, number, number, number];

/** ColorBrewer YlOrRd, 6 classes. */
export const INCIDENT_RAMP: readonly [number, number, number][] = [
  [255, 255, 178],
  [254, 217, 118],
  [254, 178, 76],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
];

/** Colour for `count` on [0, max]; counts above max (a stale domain) take the top colour. */
export function colourFor(count: number, max: number, alpha = 210): Rgba {
  if (max <= 0 || count <= 0) return [...INCIDENT_RAMP[0]!, 0] as Rgba;
  const t = Math.min(1, count / max);
  const position = t * (INCIDENT_RAMP.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(INCIDENT_RAMP.length - 1, lower + 1);
  const f = position - lower;
  const a = INCIDENT_RAMP[lower]!;
  const b = INCIDENT_RAMP[upper]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f), alpha];
}

/** Legend ticks: 0, max and up to three round numbers between. */
export function legendTicks(max: number): number[] {
  if (max <= 0) return [0];
  if (max <= 4) return Array.from({ length: max + 1 }, (_, k) => k);
  const step = niceStep(max / 4);
  const ticks = [0];
  for (let v = step; v < max - step / 4; v += step) ticks.push(v);
  ticks.push(max);
  return ticks;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 2.5 ? 2.5 : unit <= 5 ? 5 : 10) * power;
}

/** CSS gradient for the legend bar, built from the same ramp. */
export function rampGradient(): string {
  return `linear-gradient(to right, ${INCIDENT_RAMP.map((c, k) => `rgb(${c.join(',')}) ${Math.round((k / (INCIDENT_RAMP.length - 1)) * 100)}%`).join(', ')})`;
}
