// Editing the graph: add, delete, connect, change data, select, undo/redo.
import type { NodeType } from '../../compiler/flow/schema';
import * as ops from '../store/docOps';
import { isDirty } from '../store/flowStore';
import type { Action, ActionContext } from './types';

const notifyError = (ctx: ActionContext, text: string) => ctx.ui.getState().notify(text, 'error');

export const addNode: Action<{ type: NodeType; position?: ops.XY }> = {
  name: 'addNode',
  label: 'Add node',
  perform(ctx, { type, position }) {
    const doc = ctx.flow.getState().doc;
    if (type === 'start' && doc.nodes.some((n) => n.type === 'start')) {
      notifyError(ctx, 'the flow already has a start node (a flow has exactly one)');
      return;
    }
    const at = position ?? cascade(ctx);
    let id = '';
    ctx.flow.getState().change((d) => {
      const r = ops.addNode(d, type, at);
      id = r.id;
      return r.doc;
    });
    ctx.flow.getState().select({ ...ops.EMPTY_SELECTION, nodes: [id] });
  },
};

/** Click-to-add: the viewport's centre, nudged so repeated clicks do not stack exactly. */
function cascade(ctx: ActionContext): ops.XY {
  const c = ctx.canvas?.viewportCentre() ?? { x: 250, y: 200 };
  const n = ctx.flow.getState().doc.nodes.length % 6;
  return { x: c.x - 110 + n * 24, y: c.y - 50 + n * 24 };
}

export const addNote: Action<{ position?: ops.XY } | undefined> = {
  name: 'addNote',
  label: 'Add sticky note',
  perform(ctx, arg) {
    const at = arg?.position ?? cascade(ctx);
    let id = '';
    ctx.flow.getState().change((d) => {
      const r = ops.addNote(d, at, 'Note');
      id = r.id;
      return r.doc;
    });
    ctx.flow.getState().select({ ...ops.EMPTY_SELECTION, notes: [id] });
  },
};

export const deleteSelection: Action = {
  name: 'deleteSelection',
  label: 'Delete',
  shortcut: 'Delete',
  alsoShortcuts: ['Backspace'],
  enabled: (ctx) => !ops.isEmptySelection(ctx.flow.getState().selection),
  perform(ctx) {
    const { selection, change, select } = ctx.flow.getState();
    change((d) => ops.removeSelection(d, selection));
    select(ops.EMPTY_SELECTION);
  },
};

export const connect: Action<ops.Connection> = {
  name: 'connect',
  label: 'Connect',
  perform(ctx, c) {
    let error: string | undefined;
    ctx.flow.getState().change((d) => {
      const r = ops.connect(d, c);
      error = r.error;
      return r.doc;
    });
    if (error) notifyError(ctx, `cannot connect: ${error}`);
  },
};

/** `field` groups typing: consecutive edits of one field make one undo step. */
export const updateNodeData: Action<{ id: string; patch: Record<string, unknown>; field?: string }> = {
  name: 'updateNodeData',
  label: 'Change node',
  perform(ctx, { id, patch, field }) {
    ctx.flow.getState().change((d) => ops.updateNodeData(d, id, patch), field ? `${id}.${field}` : undefined);
  },
};

export const undo: Action = {
  name: 'undo',
  label: 'Undo',
  shortcut: 'Mod+Z',
  enabled: (ctx) => ctx.flow.temporal.getState().pastStates.length > 0,
  perform: (ctx) => ctx.flow.getState().undo(),
};

export const redo: Action = {
  name: 'redo',
  label: 'Redo',
  shortcut: 'Mod+Shift+Z',
  alsoShortcuts: ['Mod+Y'],
  enabled: (ctx) => ctx.flow.temporal.getState().futureStates.length > 0,
  perform: (ctx) => ctx.flow.getState().redo(),
};

export const selectAll: Action = {
  name: 'selectAll',
  label: 'Select all',
  shortcut: 'Mod+A',
  perform(ctx) {
    const s = ctx.flow.getState();
    s.select(ops.selectAll(s.doc));
  },
};

export { isDirty };
