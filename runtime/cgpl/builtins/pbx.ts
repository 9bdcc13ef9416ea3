// PBX built-ins: each maps onto the Call API (runtime/call/api.ts). What the simulator cannot do
// returns CG/PL's usual error string instead of stopping the program.
import type { EmailPart, EmailRequest, Input } from '../../call/api';
import { BudgetExceeded } from '../../call/budget';
import { fail } from '../errors';
import { fromJs, isTrue, truth, typeName, type Dict, type Value } from '../values';
import { asyncFn, asyncProc, fn, num, optNum, proc, str, type Builtin } from './builtin';
import { toCgString } from './strings';
import { objectToString } from './textFormat';

const NOT_IN_SIMULATOR = 'not supported in the simulator';

export function inputToValue(input: Input): Value {
  if (input === null || typeof input === 'string') return input;
  const d: Dict = new Map();
  d.set('what', input.what);
  if (input.sender !== undefined) d.set('sender', input.sender);
  const p = fromJs(input.parameter);
  if (p !== null) d.set('parameter', p);
  return d;
}

/** The one definition of a hang-up: an event dictionary without a sender, or what == "Disconnect". */
export function isDisconnectEvent(v: Value): boolean {
  return v instanceof Map && (!v.has('sender') || v.get('what') === 'Disconnect');
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
  asyncFn('AcceptCall', 0, 0, (t) => t.session.accept()),
  asyncProc('RejectCall', 0, 1, async (t, [code]) => {
    if (typeof code === 'bigint') await t.session.disconnect(Number(code));
    else await t.session.disconnect(undefined, typeof code === 'string' ? code : undefined);
  }),
  asyncProc('RedirectCall', 1, 1, (t, [u]) => t.session.redirect(uris('RedirectCall', u!))),
  asyncFn('ForkCall', 1, 1, async (t, [u]) => (await t.session.redirect(uris('ForkCall', u!)), null)),
  asyncFn('TransferCall', 1, 1, async (t, [u]) => (await t.session.redirect(uris('TransferCall', u!)), null)),
  fn('ProvisionCall', 0, 2, () => null),
  fn('StartCall', 1, 1, () => 'not supported'),
  fn('StartBridge', 1, 1, () => NOT_IN_SIMULATOR),
  fn('AcceptBridge', 1, 1, () => NOT_IN_SIMULATOR),
  fn('BreakBridge', 0, 1, () => NOT_IN_SIMULATOR),
  asyncProc('Disconnect', 0, 2, (t, [code, text]) =>
    t.session.disconnect(
      optNum('Disconnect', code, 1),
      text === undefined || text === null ? undefined : str('Disconnect', text, 2),
    ),
  ),
  fn('IsConnected', 0, 0, (t) => truth(t.session.isConnected())),
  // the simulator has no provisional (early media) state
  fn('IsHalfConnected', 0, 0, () => null),
  fn('RemoteURI', 0, 0, (t) => t.session.remoteUri()),
  fn('LocalURI', 0, 0, (t) => t.session.localUri()),
  fn('IncomingRequestURI', 0, 0, (t) => t.session.localUri()),
  fn('PendingRequestData', 1, 1, () => null),
  asyncFn('ReadInput', 1, 1, async (t, [s]) =>
    inputToValue(await t.session.readInput(Number(num('ReadInput', s!, 1)))),
  ),
  fn('IsDisconnectEvent', 1, 1, (_t, [v]) => truth(isDisconnectEvent(v!))),
  fn('DTMF', 0, 0, (t) => t.session.dtmf()),
  proc('ClearDTMF', 0, 0, (t) => t.session.clearDtmf()),
  fn('SetInterruptOnDTMF', 1, 1, (t, [flag]) => {
    const before = t.interruptOnDtmf;
    t.interruptOnDtmf = isTrue(flag!);
    t.session.setInterruptOnDtmf(t.interruptOnDtmf);
    return truth(before);
  }),
  asyncProc('PlayFile', 1, 2, (t, [name, msec]) =>
    t.session.playFile(str('PlayFile', name!, 1), optNum('PlayFile', msec, 2)),
  ),
  // the Call API plays environment files only; in-memory audio and tones are accepted and skipped
  proc('Play', 1, 2, () => undefined),
  proc('PlayTone', 2, 4, () => undefined),
  asyncFn('Record', 1, 1, (t, [s]) => t.session.record(Number(num('Record', s!, 1)))),
  asyncFn('SendEMail', 5, 5, async (t, [from, subject, to, headers, content]) => {
    const req = emailRequest(from!, subject!, to!, headers!, content!);
    try {
      return await t.session.sendEmail(req);
    } catch (e) {
      // The host's budget stopping the program is not SendEMail's error to return.
      if (e instanceof BudgetExceeded) throw e;
      return e instanceof Error ? e.message : String(e);
    }
  }),
  fn('MyEmail', 0, 0, (t) => t.session.myEmail()),
  fn('MyDomain', 0, 0, (t) => t.session.myDomain()),
  fn('GetAccountPreferences', 1, 1, (t, [k]) =>
    fromJs(t.session.getAccountPreference(str('GetAccountPreferences', k!, 1))),
  ),
  proc('SetLanguage', 1, 1, (t, [l]) => t.session.setLanguage(l === null ? null : str('SetLanguage', l!, 1))),
  fn('GetLanguage', 0, 0, (t) => t.session.getLanguage()),
  proc('SysLog', 1, 1, (t, [v]) => t.session.log(typeof v === 'string' ? v : objectToString(v!))),
];
