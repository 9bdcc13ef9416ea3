// Tasks, events between tasks, outgoing calls and media bridges — each onto the Call API, which
// checks the call mode the documentation requires (runtime/call/modes.ts).
import type { InputEvent } from '../../call/api';
import { fail } from '../errors';
import { TaskHandle, truth, typeName, type Value } from '../values';
import { asyncFn, fn, proc, str, type Builtin } from './builtin';
import { isEventOf, valueToEvent } from './pbx';

function handle(name: string, v: Value): TaskHandle {
  if (!(v instanceof TaskHandle)) fail(`${name}: argument 1 must be a task handle, got ${typeName(v)}`);
  return v as TaskHandle;
}

/** StartCall's destination: a URI string, or a dictionary whose "" element is the URI. */
function destination(name: string, v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Map && typeof v.get('') === 'string') return v.get('') as string;
  return fail(`${name}: the destination must be a URI string or a dictionary with a "" URI, got ${typeName(v)}`);
}

function startBridgeEvent(name: string, v: Value): InputEvent {
  const event = valueToEvent(v);
  if (!event) fail(`${name}: expected the StartBridge event ReadInput returned, got ${typeName(v)}`);
  return event as InputEvent;
}

export const callBuiltins: Builtin[] = [
  fn('ThisTask', (t) => new TaskHandle(t.session.task().taskId)),
  fn('IsTask', (_t, [v]) => truth(v instanceof TaskHandle)),
  fn('SendEvent', (t, [task, what, parameter]) => {
    if (!(task instanceof TaskHandle)) return 'not a task handle';
    return t.session.sendEvent(task, str('SendEvent', what!, 2), parameter ?? null);
  }),
  fn('StartCall', (t, [dest]) => t.session.startCall(destination('StartCall', dest!))),
  proc('CancelCall', (t) => t.session.cancelCall()),
  asyncFn('StartBridge', (t, [task]) => t.session.startBridge(handle('StartBridge', task!))),
  asyncFn('AcceptBridge', (t, [event]) => t.session.acceptBridge(startBridgeEvent('AcceptBridge', event!))),
  proc('RejectBridge', (t, [event, error]) =>
    t.session.rejectBridge(startBridgeEvent('RejectBridge', event!), str('RejectBridge', error!, 2)),
  ),
  fn('BreakBridge', (t) => t.session.breakBridge()),
  fn('StartBridgedCall', (t, [dest, event]) =>
    t.session.startBridgedCall(destination('StartBridgedCall', dest!), startBridgeEvent('StartBridgedCall', event!)),
  ),
  fn('IsCallProvisionEvent', (_t, [v]) => truth(isEventOf(v!, 'CallProvision', 'system'))),
  fn('IsCallCompletedEvent', (_t, [v]) => truth(isEventOf(v!, 'CallCompleted', 'system'))),
  fn('IsStartBridgeEvent', (_t, [v]) => truth(isEventOf(v!, 'StartBridge', 'task'))),
  fn('IsBreakBridgeEvent', (_t, [v]) => truth(isEventOf(v!, 'BreakBridge', 'task'))),
];
