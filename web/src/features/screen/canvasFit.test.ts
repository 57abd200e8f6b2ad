import { describe, expect, it } from 'vitest';
import { fitCanvas } from './canvasFit';

describe('fitCanvas', () => {
  it('scales 16:9 screens uniformly with no bars', () => {
    expect(fitCanvas(1920, 1080)).toEqual({ width: 1920, height: 1080, scale: 1, left: 0, top: 0 });
    expect(fitCanvas(3840, 2160)).toEqual({ width: 1920, height: 1080, scale: 2, left: 0, top: 0 });
  });

  it('widens the canvas for 32:9 instead of stretching', () => {
    const fit = fitCanvas(3840, 1080);
    expect(fit.scale).toBe(1);
    expect(fit.width).toBe(3840);
    expect(fit.left).toBe(0);
  });

  it('letterboxes screens taller than 16:9', () => {
    const fit = fitCanvas(1920, 1440);
    expect(fit.scale).toBe(1);
    expect(fit.width).toBe(1920);
    expect(fit.top).toBe(180);
  });
});
