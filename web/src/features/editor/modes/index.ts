/** The editor's modes by id; the vertex mode holds a drag, so each editor gets its own set. */
import type { Mode } from '../editorState';
import { drawMode } from './draw.mode';
import { createEditVerticesMode } from './editVertices.mode';
import { mergeMode } from './merge.mode';
import type { EditorMode } from './mode';
import { splitMode } from './split.mode';
import { exclusiveMode, microMode } from './subGrid.mode';

export type { EditorMode, ModeContext, WriteContext, WriteRequest } from './mode';

export const createModes = (): Record<Mode, EditorMode> => ({ edit: createEditVerticesMode(), draw: drawMode, split: splitMode, merge: mergeMode, micro: microMode, exclusive: exclusiveMode });
