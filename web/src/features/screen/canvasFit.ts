/**
 * The screen is designed on a 1920×1080 canvas and scaled with a CSS transform.
 * Wider screens (32:9) keep the 1080 height and widen the canvas, so side panels
 * grow instead of everything stretching; taller-than-16:9 screens letterbox.
 */
export const DESIGN_WIDTH = 1920;
export const DESIGN_HEIGHT = 1080;

export interface CanvasFit {
  /** canvas size in design pixels */
  width: number;
  height: number;
  scale: number;
  /** offset of the scaled canvas inside the viewport (letterbox bars) */
  left: number;
  top: number;
}

export function fitCanvas(viewportWidth: number, viewportHeight: number): CanvasFit {
  const scale = Math.min(viewportWidth / DESIGN_WIDTH, viewportHeight / DESIGN_HEIGHT);
  // Wider than 16:9: use the full width at the same scale (extended canvas) — no distortion.
  const width = viewportWidth / viewportHeight > DESIGN_WIDTH / DESIGN_HEIGHT + 1e-6 ? viewportWidth / scale : DESIGN_WIDTH;
  const height = DESIGN_HEIGHT;
  return { width, height, scale, left: (viewportWidth - width * scale) / 2, top: (viewportHeight - height * scale) / 2 };
}
