// PBX built-ins of the incoming call, media and mail: each maps onto the Call API (runtime/call/api.ts),
// which checks the call mode the documentation requires and answers as documented outside it.
// Tasks, events, outgoing calls and bridges: calls.ts; account data, queues, routing, CLI: account.ts.
import type { EmailPart, EmailRequest, Input, InputEvent } from '../../call/api';
import { BudgetExceeded } from '../../call/budget';
import { fail } from '../errors';
import { fromJs, isTrue, TaskHandle, truth, typeName, type Dict, type Value } from '../values';
import { asyncFn, asyncProc, fn, num, optNum, proc, str, type Builtin } from './builtin';
import { toCgString } from './strings';
import { objectToString } from './textFormat';

export function inputToValue(input: Input): Value {
  if (input === null || typeof input === 'string') return input;
  const d: Dict = new Map();
  d.set('what', input.what);
  const sender = input.sender;
  if (sender !== undefined) d.set('sender', typeof sender === 'string' ? sender : new TaskHandle(sender.taskId));
  const p = fromJs(input.parameter);
  if (p !== null) d.set('parameter', p);
  return d;
}

/** A CG/PL event dictionary back as the Call API's event (for AcceptBridge and friends). */
export function valueToEvent(v: Value): InputEvent | null {
  if (!(v instanceof Map) || typeof v.get('what') !== 'string') return null;
  const event: InputEvent = { what: v.get('what') as string };
  const sender = v.get('sender');
  if (sender instanceof TaskHandle || typeof sender === 'string') event.sender = sender;
  if (v.has('parameter')) event.parameter = v.get('parameter');
  return event;
}

/** A system event of this kind: `what` matches, and it comes from the system (no sender) or from a task. */
export function isEventOf(v: Value, what: string, from: 'system' | 'task'): boolean {
  if (!(v instanceof Map) || v.get('what') !== what) return false;
  return from === 'system' ? !v.has('sender') : v.get('sender') instanceof TaskHandle;
}

/** The one definition of a hang-up: the Disconnect event (the system sends it; it has no sender). */
export function isDisconnectEvent(v: Value): boolean {
  return isEventOf(v, 'Disconnect', 'system');
}

function uris(name: string, v: Value): string | string[] {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'string')) return v as string[];
  return fail(`${name}: argument 1 must be a URI string or an array of them, got ${typeName(v)}`);
}

function body(v: Value, what: string): string | Uint8Array {
  if (typeof v === 'string' || v instanceof Uint8Array) return v;
  if (v === null) return '';
  return fail(`SendEMail: ${what} must be a string or a datablock, got ${typeName(v)}`);
}

function part(v: Value): string | EmailPart {
  if (typeof v === 'string') return v;
  if (v instanceof Map) {
    const type = v.get('Content-Type');
    const fileName = v.get('fileName');
    return {
      contentType: typeof type === 'string' ? type : 'text/plain',
      ...(typeof fileName === 'string' ? { fileName } : {}),
      body: body(v.get('body') ?? null, 'a part body'),
    };
  }
  return fail(`SendEMail: a content part must be a string or a dictionary, got ${typeName(v)}`);
}

/** Builds the Call API request from SendEMail's five arguments. */
export function emailRequest(from: Value, subject: Value, to: Value, headers: Value, content: Value): EmailRequest {
  let hdrs: Record<string, string> | null = null;
  if (headers instanceof Map) {
    hdrs = {};
    for (const [k, v] of headers) hdrs[k] = toCgString(v);
  } else if (headers !== null) fail(`SendEMail: headers must be a dictionary or null, got ${typeName(headers)}`);
  const rcpt = Array.isArray(to) ? to.map((e) => str('SendEMail', e, 3)).join(', ') : str('SendEMail', to, 3);
  let c: EmailRequest['content'];
  if (Array.isArray(content)) c = content.map(part);
  else if (content instanceof Map) c = [part(content)];
  else c = body(content, 'content');
  return {
    from: str('SendEMail', from, 1),
    subject: str('SendEMail', subject, 2),
    to: rcpt,
    headers: hdrs,
    content: c,
  };
}

export const pbxBuiltins: Builtin[] = [
  asyncFn('AcceptCall', (t) => t.session.accept()),
  asyncProc('RejectCall', async (t, [code]) => {
    if (code === undefined || code === null) return t.session.reject();
    if (typeof code === 'bigint') {
      if (code < 400n || code > 699n) fail(`RejectCall: a response code must be 400-699, got ${code}`);
      return t.session.reject(Number(code));
    }
    if (typeof code === 'string') return t.session.reject(code);
    fail(`RejectCall: argument 1 must be a response code (400-699) or an error string, got ${typeName(code)}`);
  }),
  asyncProc('RedirectCall', (t, [u]) => t.session.redirect(uris('RedirectCall', u!))),
  // the call rings at the new URIs too; this task stays in the mode it was in
  asyncProc('ForkCall', (t, [u]) => t.session.fork(uris('ForkCall', u!))),
  asyncFn('TransferCall', (t, [u]) => t.session.transfer(str('TransferCall', u!, 1))),
  fn('TransferSupported', (t) => truth(t.session.transferSupported())),
  // ProvisionCall(media, reliably) / ProvisionCall(parameters): a non-null media asks for early media
  asyncFn('ProvisionCall', (t, [media]) =>
    t.session.provision(media instanceof Map ? (media.get('media') ?? null) !== null : media !== null),
  ),
  asyncProc('Disconnect', (t, [code, text]) =>
    t.session.disconnect(
      optNum('Disconnect', code, 1),
      text === undefined || text === null ? undefined : str('Disconnect', text, 2),
    ),
  ),
  fn('IsConnected', (t) => truth(t.session.isConnected())),
  fn('IsHalfConnected', (t) => truth(t.session.isHalfConnected())),
  fn('RemoteURI', (t) => t.session.remoteUri()),
  fn('LocalURI', (t) => t.session.localUri()),
  fn('IncomingRequestURI', (t) => t.session.incomingRequestUri()),
  fn('PendingRequestData', (t, [field]) => t.session.pendingRequestData(str('PendingRequestData', field!, 1))),
  asyncFn('ReadInput', async (t, [s]) => inputToValue(await t.session.readInput(Number(num('ReadInput', s!, 1))))),
  fn('IsDisconnectEvent', (_t, [v]) => truth(isDisconnectEvent(v!))),
  fn('DTMF', (t) => t.session.dtmf()),
  proc('ClearDTMF', (t) => t.session.clearDtmf()),
  asyncFn('SendDTMF', async (t, [s]) =>
    t.session.sendDtmf ? t.session.sendDtmf(str('SendDTMF', s!, 1)) : 'SendDTMF is not supported on this call',
  ),
  fn('SetInterruptOnDTMF', (t, [flag]) => {
    const before = t.interruptOnDtmf;
    t.interruptOnDtmf = isTrue(flag!);
    t.session.setInterruptOnDtmf(t.interruptOnDtmf);
    return truth(before);
  }),
  asyncProc('PlayFile', (t, [name, msec]) =>
    t.session.playFile(str('PlayFile', name!, 1), optNum('PlayFile', msec, 2)),
  ),
  // PlayFileInLoop(name, msec): the file again and again for msec (< 0: until interrupted)
  asyncProc('PlayFileInLoop', (t, [name, msec]) =>
    t.session.playFile(str('PlayFileInLoop', name!, 1), Number(num('PlayFileInLoop', msec!, 2)) || -1),
  ),
  // the Call API plays environment files only; in-memory audio and tones are accepted and skipped
  proc('Play', () => undefined),
  proc('PlayTone', () => undefined),
  asyncFn('Record', (t, [s]) => t.session.record(Number(num('Record', s!, 1)))),
  asyncFn('SendEMail', async (t, [from, subject, to, headers, content]) => {
    const req = emailRequest(from!, subject!, to!, headers!, content!);
    try {
      return await t.session.sendEmail(req);
    } catch (e) {
      // The host's budget stopping the program is not SendEMail's error to return.
      if (e instanceof BudgetExceeded) throw e;
      return e instanceof Error ? e.message : String(e);
    }
  }),
  fn('MyEmail', (t) => t.session.myEmail()),
  fn('MyDomain', (t) => t.session.myDomain()),
  // "" or null: every effective preference; "~name/key": another account's
  fn('GetAccountPreferences', (t, [k, account]) => {
    if (account !== undefined)
      fail('GetAccountPreferences with an account name is not supported by the local runtime', 'RUN403');
    return fromJs(t.session.getAccountPreference(k === null ? '' : str('GetAccountPreferences', k!, 1)));
  }),
  proc('SetLanguage', (t, [l]) => t.session.setLanguage(l === null ? null : str('SetLanguage', l!, 1))),
  fn('GetLanguage', (t) => t.session.getLanguage()),
  proc('SysLog', (t, [v]) => t.session.log(typeof v === 'string' ? v : objectToString(v!))),
];
