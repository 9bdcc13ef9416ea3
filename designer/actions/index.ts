// The action registry: toolbar buttons, keyboard shortcuts and the Electron menu call `runAction`.
import * as edit from './editActions';
import * as clip from './clipboardActions';
import * as file from './fileActions';
import * as view from './viewActions';
import * as call from './callActions';
import * as deployment from './deployActions';
import { importCgpl } from './importActions';
import type { Action, ActionContext } from './types';

export type { Action, ActionContext } from './types';

export const actions = {
  addNode: edit.addNode,
  addNote: edit.addNote,
  deleteSelection: edit.deleteSelection,
  connect: edit.connect,
  updateNodeData: edit.updateNodeData,
  undo: edit.undo,
  redo: edit.redo,
  selectAll: edit.selectAll,
  copy: clip.copy,
  cut: clip.cut,
  paste: clip.paste,
  duplicate: clip.duplicate,
  save: file.save,
  saveAs: file.saveAs,
  newFlow: file.newFlow,
  newFromSample: file.newFromSample,
  open: file.open,
  recover: file.recover,
  discardRecovery: file.discardRecovery,
  exportSppr: file.exportSppr,
  exportTar: file.exportTar,
  exportJs: file.exportJs,
  importCgpl,
  deploy: deployment.deploy,
  autoLayout: view.autoLayout,
  fitView: view.fitView,
  zoomIn: view.zoomIn,
  zoomOut: view.zoomOut,
  actualSize: view.actualSize,
  find: view.find,
  toggleCodePanel: view.toggleCodePanel,
  showPhone: view.showPhone,
  showShortcuts: view.showShortcuts,
  closeDialog: view.closeDialog,
  startCall: call.startCall,
  hangup: call.hangup,
  pauseCall: call.pauseCall,
  continueCall: call.continueCall,
  stepCall: call.stepCall,
  toggleBreakpoint: call.toggleBreakpoint,
  sendDigits: call.sendDigits,
} as const;

export type Actions = typeof actions;
export type ActionName = keyof Actions;
type ArgOf<N extends ActionName> = Actions[N] extends Action<infer A> ? A : never;

let current: ActionContext | null = null;

/** The page sets this once at start; tests pass their own context to runAction instead. */
export function setActionContext(ctx: ActionContext | null): void {
  current = ctx;
}

/**
 * Runs an action by name. Errors become a message in the page, never an unhandled rejection.
 * @example await runAction('addNode', { type: 'menu' }); await runAction('undo');
 */
export async function runAction<N extends ActionName>(
  name: N,
  ...rest: undefined extends ArgOf<N> ? [arg?: ArgOf<N>, ctx?: ActionContext] : [arg: ArgOf<N>, ctx?: ActionContext]
): Promise<void> {
  const [arg, given] = rest as [ArgOf<N>, ActionContext | undefined];
  const ctx = given ?? current;
  if (!ctx) throw new Error(`runAction('${name}'): no action context (setActionContext was not called)`);
  if (!Object.hasOwn(actions, name)) throw new Error(`runAction: no action named '${name}'`);
  const action = actions[name] as unknown as Action<ArgOf<N>>;
  try {
    await action.perform(ctx, arg);
  } catch (e) {
    ctx.ui.getState().notify(`${action.label} failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
  }
}

export function isEnabled(name: ActionName, ctx: ActionContext | null = current): boolean {
  const action = actions[name] as Action<unknown>;
  return !!ctx && (action.enabled?.(ctx) ?? true);
}
