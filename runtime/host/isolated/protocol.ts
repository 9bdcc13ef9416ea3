// Messages between the thread that owns a call (its session) and the call worker running its program.
import type { HostResult } from '../common';
import type { Program as CgplProgram } from '../../../compiler/cgpl/ast';
import type { CallBudgetOptions } from '../../call/budget';
import type { StepPos } from '../../cgpl';

/** Session methods that may wait: asked by message, answered by message. */
export const ASYNC_METHODS = [
  'accept',
  'playFile',
  'readInput',
  'sendEmail',
  'redirect',
  'record',
  'disconnect',
  'reject',
  'fork',
  'provision',
  'transfer',
  'startBridge',
  'acceptBridge',
  'sendDtmf',
] as const;
/** Session methods with an answer at once: asked by message, answered through shared memory. */
export const SYNC_METHODS = [
  'dtmf',
  'isConnected',
  'remoteUri',
  'localUri',
  'myEmail',
  'myDomain',
  'getLanguage',
  'getAccountPreference',
  'now',
  'mode',
  'isHalfConnected',
  'transferSupported',
  'incomingRequestUri',
  'pendingRequestData',
  'remoteAuthentication',
  'startParameter',
  'task',
  'sendEvent',
  'startCall',
  'breakBridge',
  'startBridgedCall',
  'enqueue',
  'checkQueue',
  'readQueue',
  'readGroupMembers',
  'routeLocalUri',
] as const;
/** Session methods without an answer: told by message. */
export const TOLD_METHODS = [
  'clearDtmf',
  'setInterruptOnDtmf',
  'setLanguage',
  'node',
  'log',
  'cancelCall',
  'rejectBridge',
  'dequeue',
] as const;

export type AsyncMethod = (typeof ASYNC_METHODS)[number];
export type SyncMethod = (typeof SYNC_METHODS)[number];
export type ToldMethod = (typeof TOLD_METHODS)[number];

/** What a worker needs of a Program (no functions: the environment stays with the session). */
export interface WorkerProgram {
  kind: 'sppr' | 'flow';
  file: string;
  name: string;
  cgpl: { ast: CgplProgram; file: string; lineToNode: (string | null)[] | null };
  js: { text: string } | null;
  /** Where `external` modules (name.sppi) are read from, for .sppr programs. */
  moduleDir?: string;
}

export interface RunRequest {
  t: 'run';
  program: WorkerProgram;
  target: 'cgpl' | 'js';
  sessionId: string;
  budget: CallBudgetOptions;
  /** Run with the debugger's hook (CG/PL), starting with these breakpoints. */
  debug: { breakpoints: string[] } | null;
  /** Int32 [state, length] then the answer bytes of a sync call. */
  sync: SharedArrayBuffer;
  /** Int32 [pause requested]. */
  control: SharedArrayBuffer;
}

export type ToWorker =
  | RunRequest
  | { t: 'reply'; id: number; ok: true; value: unknown }
  | { t: 'reply'; id: number; ok: false; error: string }
  | { t: 'breakpoints'; list: string[] }
  | { t: 'resume'; step: boolean }
  | { t: 'detach' };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'call'; id: number; method: AsyncMethod; args: unknown[] }
  | { t: 'sync'; method: SyncMethod; args: unknown[] }
  | { t: 'tell'; method: ToldMethod; args: unknown[] }
  | { t: 'hint'; node: string }
  | { t: 'paused'; pos: StepPos; variables: Record<string, unknown> }
  | { t: 'done'; result: HostResult };

/** Bytes of a sync answer (JSON); a larger one is an error. */
export const SYNC_BYTES = 64 * 1024;
