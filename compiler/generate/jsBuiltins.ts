// The CG/PL built-ins the lowering uses, as JS functions over the Call API. Only the ones a program
// uses are written into its module, inside main(call, options), so the module is self-contained.
// Values keep CG/PL's shapes: null is "no", DTMF is a one-character string, events are objects.
import { POSIX_ERE_JS } from '../regex/embedded';

export interface JsBuiltin {
  /** Returns a promise: calls are printed with `await`. */
  async: boolean;
  /** Helpers this one uses (keys of JS_HELPERS). */
  needs?: string[];
  source: string;
}

export const JS_HELPERS: Record<string, string> = {
  // the zone SetTimeZone chose; until then the account's TimeZone preference, else the host's (as CG/PL)
  timeZone: `const knownZone = (z) => { try { new Intl.DateTimeFormat('en-US', { timeZone: z }); return true; } catch { return false; } };
  const serverZone = (() => { const z = call.getAccountPreference('TimeZone'); return typeof z === 'string' && z !== '' && knownZone(z) ? z : undefined; })();
  let timeZone = serverZone;`,
  // WeekDay/TimeOfDay/… read the call's clock in that zone (IANA names).
  vars: 'const vars = { startParameter: call.startParameter() ?? null };',
  zoned: `const zoned = (t) => {
    const opts = { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' };
    const parts = new Intl.DateTimeFormat('en-US', opts).formatToParts(t);
    const get = (type) => parts.find((p) => p.type === type).value;
    return { weekDay: get('weekday'), year: Number(get('year')), month: Number(get('month')), day: Number(get('day')),
      seconds: Number(get('hour')) * 3600 + Number(get('minute')) * 60 + Number(get('second')) };
  };`,
  // CG/PL's '+': strings join, numbers add, a number joined to a string in decimal, anything else fails
  plus: `const plus = (a, b) => {
    const ok = (x) => typeof x === 'string' || typeof x === 'number';
    if (!ok(a) || !ok(b)) throw new Error("'+' needs numbers or strings, got " + (a === null ? 'null' : typeof a) + ' and ' + (b === null ? 'null' : typeof b));
    return typeof a === 'number' && typeof b === 'number' ? a + b : String(a) + String(b);
  };`,
};

const b = (source: string, async = false, needs?: string[]): JsBuiltin => ({ async, source, needs });

/** Keyed by the lower-cased CG/PL name (CG/PL names are case-insensitive). */
export const JS_BUILTINS: Record<string, JsBuiltin> = {
  acceptcall: b('const AcceptCall = () => call.accept();', true),
  void: b('const Void = () => null;'),
  playfile: b('const PlayFile = (name, msec) => call.playFile(name, msec ?? undefined);', true),
  readinput: b('const ReadInput = (seconds) => call.readInput(seconds);', true),
  cleardtmf: b('const ClearDTMF = () => call.clearDtmf();'),
  setinterruptondtmf: b(
    'const SetInterruptOnDTMF = (flag) => call.setInterruptOnDtmf(flag !== null && flag !== false);',
  ),
  isstring: b("const IsString = (x) => typeof x === 'string';"),
  isconnected: b('const IsConnected = () => call.isConnected();'),
  // events are { what, sender, parameter }: the system's have no sender, another task's name it
  isdisconnectevent: b(
    "const IsDisconnectEvent = (x) => x !== null && typeof x === 'object' && x.what === 'Disconnect' && x.sender === undefined;",
  ),
  iscallprovisionevent: b(
    "const IsCallProvisionEvent = (x) => x !== null && typeof x === 'object' && x.what === 'CallProvision' && x.sender === undefined;",
  ),
  iscallcompletedevent: b(
    "const IsCallCompletedEvent = (x) => x !== null && typeof x === 'object' && x.what === 'CallCompleted' && x.sender === undefined;",
  ),
  isstartbridgeevent: b(
    "const IsStartBridgeEvent = (x) => x !== null && typeof x === 'object' && x.what === 'StartBridge' && typeof x.sender === 'object';",
  ),
  isbreakbridgeevent: b(
    "const IsBreakBridgeEvent = (x) => x !== null && typeof x === 'object' && x.what === 'BreakBridge' && typeof x.sender === 'object';",
  ),
  vars: b('const Vars = () => vars;', false, ['vars']),
  startbridge: b('const StartBridge = (task) => call.startBridge(task);', true),
  startbridgedcall: b('const StartBridgedCall = (destination, event) => call.startBridgedCall(destination, event);'),
  rejectbridge: b('const RejectBridge = (event, error) => call.rejectBridge(event, error);'),
  cancelcall: b('const CancelCall = () => call.cancelCall();'),
  transfercall: b('const TransferCall = (destination) => call.transfer(destination);', true),
  length: b(`const Length = (x) => typeof x === 'string' ? new TextEncoder().encode(x).length
    : Array.isArray(x) || x instanceof Uint8Array ? x.length : x !== null && typeof x === 'object' ? Object.keys(x).length : 0;`),
  // the project's one POSIX matcher (compiler/regex), bundled: both targets match alike, in bounded work
  findregex: b(`${POSIX_ERE_JS}
  const FindRegEx = (s, pattern) => PosixEre.findRegEx(s, pattern);`),
  findsubstring: b('const FindSubstring = (s, sub) => String(s).indexOf(String(sub));'),
  newdictionary: b('const NewDictionary = () => ({});'),
  newarray: b('const NewArray = () => [];'),
  // the one place a CG/PL MIME part dictionary becomes an EmailPart
  sendemail: b(
    `const SendEMail = (from, subject, to, headers, content) => {
    // as CG/PL: the addresses and the subject must be strings (RemoteURI() is null without a call)
    [from, subject, to].forEach((v, i) => { if (typeof v !== 'string') throw new Error('SendEMail: argument ' + (i + 1) + ' must be a string, got ' + (v === null ? 'null' : typeof v)); });
    return call.sendEmail({ from, subject, to, headers,
    content: Array.isArray(content)
      ? content.map((p) => typeof p === 'string' ? p : { contentType: p['Content-Type'], fileName: p.fileName, body: p.body ?? '' })
      : content }); };`,
    true,
  ),
  myemail: b('const MyEmail = () => call.myEmail();'),
  mydomain: b('const MyDomain = () => call.myDomain();'),
  remoteuri: b('const RemoteURI = () => call.remoteUri();'),
  redirectcall: b('const RedirectCall = (uri) => call.redirect(uri);', true),
  record: b('const Record = (seconds) => call.record(seconds);', true),
  // CommuniGate's SetTimeZone: an unknown name or a non-string (null) means no zone: the server's
  settimezone: b(
    `const SetTimeZone = (name) => {
    timeZone = typeof name === 'string' && knownZone(name) ? name : serverZone;
    return null;
  };`,
    false,
    ['timeZone'],
  ),
  localtime: b('const LocalTime = () => call.now();'),
  weekday: b('const WeekDay = (t) => zoned(t).weekDay;', false, ['timeZone', 'zoned']),
  timeofday: b('const TimeOfDay = (t) => zoned(t).seconds;', false, ['timeZone', 'zoned']),
  year: b('const Year = (t) => zoned(t).year;', false, ['timeZone', 'zoned']),
  monthnum: b('const MonthNum = (t) => zoned(t).month;', false, ['timeZone', 'zoned']),
  monthday: b('const MonthDay = (t) => zoned(t).day;', false, ['timeZone', 'zoned']),
};

/** Built-ins whose result is always a string: joining them needs no type check. */
export const STRING_BUILTINS = new Set(['myemail', 'mydomain']);
