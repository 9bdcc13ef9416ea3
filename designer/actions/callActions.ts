// The test call and the debugger: call, hang up, pause/step/continue, breakpoints.
import type { Action, ActionContext } from './types';
import { whenOpened } from '../store/uiStore';

const live = (ctx: ActionContext) => {
  const s = ctx.call.getState().status;
  return s === 'running' || s === 'paused' || s === 'starting';
};

export const startCall: Action = {
  name: 'startCall',
  label: 'Call',
  enabled: (ctx) => !live(ctx),
  async perform(ctx) {
    if (!ctx.calls) return ctx.ui.getState().notify('not connected to the IVR Studio server', 'error');
    if (live(ctx)) return;
    ctx.ui.getState().set({ rightTab: 'phone' });
    // Pressed while the page's ?file= is still loading: call the file, not the start-up empty flow.
    await whenOpened(ctx.ui);
    if (live(ctx)) return;
    await ctx.calls.start();
  },
};

export const hangup: Action = {
  name: 'hangup',
  label: 'Hang up',
  enabled: live,
  perform: (ctx) => ctx.calls?.send('call.hangup'),
};

export const pauseCall: Action = {
  name: 'pauseCall',
  label: 'Pause',
  enabled: (ctx) => ctx.call.getState().status === 'running',
  perform: (ctx) => ctx.calls?.send('call.pause'),
};

export const continueCall: Action = {
  name: 'continueCall',
  label: 'Continue',
  shortcut: 'F8',
  enabled: (ctx) => ctx.call.getState().status === 'paused',
  perform: (ctx) => ctx.calls?.send('call.continue'),
};

export const stepCall: Action = {
  name: 'stepCall',
  label: 'Step',
  shortcut: 'F10',
  enabled: (ctx) => ctx.call.getState().status === 'paused',
  perform: (ctx) => ctx.calls?.send('call.step'),
};

/** Toggles a breakpoint on each selected node. */
export const toggleBreakpoint: Action<{ nodeId?: string } | undefined> = {
  name: 'toggleBreakpoint',
  label: 'Toggle breakpoint',
  shortcut: 'F9',
  perform(ctx, arg) {
    const ids = arg?.nodeId ? [arg.nodeId] : ctx.flow.getState().selection.nodes;
    if (ids.length === 0) return ctx.ui.getState().notify('select a node to put a breakpoint on');
    const set = new Set(ctx.call.getState().breakpoints);
    for (const id of ids) {
      if (set.has(id)) set.delete(id);
      else set.add(id);
    }
    ctx.call.getState().set({ breakpoints: [...set] });
    ctx.calls?.syncBreakpoints();
  },
};

export const sendDigits: Action<{ digits: string }> = {
  name: 'sendDigits',
  label: 'Press keys',
  enabled: live,
  perform: (ctx, { digits }) => ctx.calls?.dtmf(digits),
};
