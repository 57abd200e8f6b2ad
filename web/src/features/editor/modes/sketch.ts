/**
 * Pointer handling shared by the modes that click a sketch (draw, split): the
 * rubber band follows the (snapped) pointer and each click adds a point.
 */
import type { EditorMode } from './mode';

export const sketchPointer: Pick<EditorMode, 'onMouseMove' | 'onClick'> = {
  onMouseMove(ctx, e) {
    ctx.showSketch(ctx.snapAt(e));
    ctx.setCursor('crosshair');
  },
  onClick(ctx, e) {
    ctx.dispatch({ type: 'addSketchPoint', position: ctx.snapAt(e) });
    return true;
  },
};
