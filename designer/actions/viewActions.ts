// Layout and view: auto layout, fit, find, panels, the shortcut cheat-sheet.
import { movePositions as moveAll } from '../store/docOps';
import type { Action } from './types';

export const autoLayout: Action = {
  name: 'autoLayout',
  label: 'Auto layout',
  shortcut: 'Mod+L',
  async perform(ctx) {
    const doc = ctx.flow.getState().doc;
    try {
      // ELK is large: load it the first time someone asks for a layout.
      const { autoLayout: layout } = await import('../layout/autoLayout');
      const positions = await layout(doc, ctx.canvas?.nodeSizes() ?? {});
      // One undo step, like a drag.
      ctx.flow.getState().change((d) => (d === doc ? moveAll(d, positions) : d));
      setTimeout(() => ctx.canvas?.fitView(), 30);
    } catch (e) {
      ctx.ui.getState().notify(`auto layout failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  },
};

export const fitView: Action = {
  name: 'fitView',
  label: 'Fit to screen',
  shortcut: 'Mod+Shift+F',
  perform: (ctx) => ctx.canvas?.fitView(),
};

const ZOOM_STEP = 1.25;

export const zoomIn: Action = {
  name: 'zoomIn',
  label: 'Zoom in',
  shortcut: 'Mod+=',
  perform: (ctx) => ctx.canvas?.zoomTo(ctx.canvas.getZoom() * ZOOM_STEP),
};

export const zoomOut: Action = {
  name: 'zoomOut',
  label: 'Zoom out',
  shortcut: 'Mod+-',
  perform: (ctx) => ctx.canvas?.zoomTo(ctx.canvas.getZoom() / ZOOM_STEP),
};

export const actualSize: Action = {
  name: 'actualSize',
  label: 'Zoom to 100 %',
  shortcut: 'Mod+0',
  perform: (ctx) => ctx.canvas?.zoomTo(1),
};

export const find: Action = {
  name: 'find',
  label: 'Find…',
  shortcut: 'Mod+F',
  perform(ctx) {
    const ui = ctx.ui.getState();
    ui.set({ leftTab: 'search', findRequest: ui.findRequest + 1 });
  },
};

export const showPhone: Action = {
  name: 'showPhone',
  label: 'Show the phone',
  perform: (ctx) => ctx.ui.getState().set({ rightTab: 'phone' }),
};

export const toggleCodePanel: Action = {
  name: 'toggleCodePanel',
  label: 'Show/hide code',
  shortcut: 'Mod+J',
  perform(ctx) {
    const ui = ctx.ui.getState();
    const showing = ui.bottomOpen && (ui.bottomTab === 'cgpl' || ui.bottomTab === 'js');
    ui.set(showing ? { bottomOpen: false } : { bottomOpen: true, bottomTab: 'cgpl' });
  },
};

export const showShortcuts: Action = {
  name: 'showShortcuts',
  label: 'Keyboard shortcuts',
  shortcut: '?',
  perform: (ctx) => ctx.ui.getState().set({ dialog: 'shortcuts' }),
};

export const closeDialog: Action = {
  name: 'closeDialog',
  label: 'Close',
  shortcut: 'Escape',
  perform: (ctx) => ctx.ui.getState().set({ dialog: null }),
};
