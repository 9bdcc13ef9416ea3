// The oracle: a direct interpreter of the flow document — each node does what docs/flow-format.md
// says, on the Call API — with no lowering and no CG/PL. The differential tests hold both compiled
// targets (the CG/PL program and the JS module) to what it does.
import { findRegEx } from '../../compiler/regex';
import type { FlowDocument, FlowNode, NodeOf, TimeRange } from '../../compiler/flow/schema';
import type { CallSession, EmailPart, Input } from '../../runtime/call/api';
import { readGraph, type OracleGraph } from './graph';
import {
  clockTime,
  fillTemplate,
  FlowRuntimeError,
  lengthOf,
  readVariable,
  Variables,
  wallClock,
  type Value,
} from './values';

export interface OracleResult {
  ended: 'stop' | 'error';
  error?: string;
}

interface Run {
  call: CallSession;
  /** The call was answered (docs/flow-format.md: it is answered lazily, once). */
  answered: boolean;
  vars: Variables;
  graph: OracleGraph;
  /** The zone a businessHours node with no zone of its own reads the time in. */
  serverZone: string | undefined;
}

/** What a node did: the output it leaves by, or 'stop' (the call ends here). */
type Outcome = string | 'stop';
const STOP = 'stop' as const;

export interface OracleOptions {
  /** Told a runtime error before the call is hung up (a program host traces it there). */
  onError?: (message: string) => void;
}

/** Runs the flow on the call; like a program host, it hangs up when the flow ends. */
export async function runOracle(
  flow: FlowDocument,
  call: CallSession,
  options: OracleOptions = {},
): Promise<OracleResult> {
  const vars = new Variables();
  for (const v of flow.variables) if (v.initial !== undefined) vars.set(v.name, v.initial);
  const pref = call.getAccountPreference('TimeZone');
  const run: Run = {
    call,
    answered: false,
    vars,
    graph: readGraph(flow),
    serverZone: typeof pref === 'string' ? pref : undefined,
  };
  let result: OracleResult = { ended: 'stop' };
  try {
    await walk(run);
  } catch (e) {
    // a flow's own error, or the call failing under it (a program host reports both alike)
    const message = e instanceof FlowRuntimeError ? e.message : `the call failed: ${String(e)}`;
    result = { ended: 'error', error: message };
    options.onError?.(message);
  }
  try {
    if (call.isConnected()) await call.disconnect();
  } catch {
    // the call is gone (or refuses more work): nothing is left to hang up
  }
  return result;
}

async function walk(run: Run): Promise<void> {
  let node = run.graph.start;
  while (node !== undefined) {
    run.call.node(node.id);
    // a node that needs media answers the call first, if it has not been answered yet
    if (needsMedia(node) && !run.answered) {
      if ((await run.call.accept()) !== null) return;
      run.answered = true;
    }
    const out = await step(node, run);
    if (out === STOP) return;
    node = run.graph.next(node, out);
  }
}

function step(node: FlowNode, run: Run): Promise<Outcome> | Outcome {
  switch (node.type) {
    case 'start':
      return 'next';
    case 'play':
      return play(node, run);
    case 'menu':
      return menu(node, run);
    case 'collectDigits':
      return collectDigits(node, run);
    case 'sendEmail':
      return sendEmail(node, run);
    case 'businessHours':
      return businessHours(node, run) ? 'open' : 'closed';
    case 'transfer':
      return transfer(node, run);
    case 'condition':
      return condition(node, run) ? 'true' : 'false';
    case 'setVariable':
      if (node.data.variable !== '') run.vars.set(node.data.variable, text(node.data.value, run));
      return 'next';
    case 'recordVoicemail':
      return recordVoicemail(node, run);
    case 'hangup':
      return STOP;
    case 'code':
    case 'moduleCall':
      // Their meaning is CG/PL itself: an oracle for them would be a second CG/PL interpreter. The
      // compiled block is tested against the interpreter instead (test/generate/code.test.ts).
      throw new Error(`the oracle does not run ${node.type} nodes (node ${node.id})`);
  }
}

const text = (template: string, run: Run): Value => fillTemplate(template, run.vars, run.call);

/** Play, menu, collectDigits, recordVoicemail and a blind transfer need the call answered. */
function needsMedia(node: FlowNode): boolean {
  if (node.type === 'transfer') return node.data.mode === 'blind';
  return ['play', 'menu', 'collectDigits', 'recordVoicemail'].includes(node.type);
}

async function playAll(prompts: string[], run: Run): Promise<void> {
  for (const p of prompts) await run.call.playFile(p);
}

async function play(node: NodeOf<'play'>, run: Run): Promise<Outcome> {
  // not interruptible: keys typed meanwhile stay buffered but do not cut the prompts
  const guard = !node.data.interruptible && node.data.prompts.length > 0;
  if (guard) run.call.setInterruptOnDtmf(false);
  await playAll(node.data.prompts, run);
  if (guard) run.call.setInterruptOnDtmf(true);
  return 'next';
}

const isKey = (input: Input): input is string => typeof input === 'string';
const isHangup = (input: Input) => typeof input === 'object' && input !== null && input.what === 'Disconnect';

async function menu(node: NodeOf<'menu'>, run: Run): Promise<Outcome> {
  const d = node.data;
  const options = new Set(d.options.map((o) => o.digit));
  if (!d.replayAnnouncement) await playAll(d.prompts, run);
  let result: Outcome = 'invalid';
  for (let attempt = 1; ; attempt++) {
    if (d.replayAnnouncement) await playAll(d.prompts, run);
    const input = await run.call.readInput(Math.max(0, d.timeout));
    if (isHangup(input)) return STOP;
    if (isKey(input) && options.has(input)) return input;
    if (isKey(input)) {
      // a wrong key: what was typed after it is thrown away too
      result = 'invalid';
      run.call.clearDtmf();
      await playAll(d.invalidPrompts, run);
    } else {
      result = 'timeout';
      await playAll(d.noInputPrompts, run);
    }
    if (attempt >= Math.max(1, d.retries)) return result;
  }
}

async function collectDigits(node: NodeOf<'collectDigits'>, run: Run): Promise<Outcome> {
  const d = node.data;
  const variable = d.variable || 'digits';
  await playAll(d.prompts, run);
  let digits = '';
  let input: Input;
  for (;;) {
    input = await run.call.readInput(Math.max(0, digits === '' ? d.firstDigitTimeout : d.interDigitTimeout));
    if (!isKey(input) || (d.endKey !== '' && input === d.endKey)) break;
    if (d.clearKey !== '' && input === d.clearKey) {
      digits = '';
      await playAll(d.clearPrompts.length > 0 ? d.clearPrompts : d.prompts.slice(-1), run);
      // the seed article's loop appends the clear key after clearing
      if (d.clearKeepsKey) digits += input;
    } else {
      digits += input;
    }
    if (d.maxDigits > 0 && lengthOf(digits) >= d.maxDigits) break;
  }
  run.vars.set(variable, digits);
  if (digits !== '') return 'done';
  // "nothing typed? ask again" must not ask a caller who has hung up forever
  if (isHangup(input) && leadsBack(node, 'empty', run)) return STOP;
  return 'empty';
}

function leadsBack(node: FlowNode, output: string, run: Run): boolean {
  const to = run.graph.next(node, output);
  return to !== undefined && run.graph.reaches(to, node);
}

async function recordVoicemail(node: NodeOf<'recordVoicemail'>, run: Run): Promise<Outcome> {
  await playAll(node.data.prompts, run);
  const audio = await run.call.record(Math.max(1, node.data.maxSeconds));
  run.vars.set(node.data.variable || 'recording', audio);
  if (audio !== null) return 'recorded';
  if (!run.call.isConnected() && leadsBack(node, 'empty', run)) return STOP;
  return 'empty';
}

async function sendEmail(node: NodeOf<'sendEmail'>, run: Run): Promise<Outcome> {
  const d = node.data;
  const field = (t: string) => {
    const v = text(t, run);
    return typeof v === 'string' ? v : fail('an e-mail field must be text');
  };
  const body = text(d.body, run);
  let content = body as string | Uint8Array | (string | EmailPart)[];
  if (d.attachRecording !== '') {
    if (typeof body !== 'string') fail('an e-mail body must be text');
    const audio = run.vars.get(d.attachRecording);
    content = [body as string, { contentType: 'audio/wav', fileName: 'voicemail.wav', body: audio ?? '' }];
  } else if (body === null) {
    fail('an e-mail body must be text');
  }
  const from = field(d.from);
  const subject = field(d.subject);
  const to = d.to === '' ? run.call.myEmail() : field(d.to);
  const error = await run.call.sendEmail({ from, subject, to, headers: null, content });
  return error === null ? 'sent' : 'failed';
}

function fail(message: string): never {
  throw new FlowRuntimeError(message);
}

function zoneOrServer(zone: string, run: Run): string | undefined {
  if (zone === '') return run.serverZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return run.serverZone;
  }
}

function businessHours(node: NodeOf<'businessHours'>, run: Run): boolean {
  const now = wallClock(run.call.now(), zoneOrServer(node.data.timeZone, run));
  const inRange = (r: TimeRange) => {
    const from = clockTime(r.from);
    const to = clockTime(r.to);
    if (from === null || to === null || from >= to) return false;
    return r.days.includes(now.weekDay as (typeof r.days)[number]) && now.seconds >= from && now.seconds < to;
  };
  const holiday = node.data.holidays.some((h) => {
    const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(h.trim());
    return m !== null && Number(m[1]) === now.year && Number(m[2]) === now.month && Number(m[3]) === now.day;
  });
  return node.data.schedule.some(inRange) && !holiday;
}

async function transfer(node: NodeOf<'transfer'>, run: Run): Promise<Outcome> {
  const target = text(node.data.target, run);
  if (target === '') return 'failed';
  if (typeof target !== 'string') fail('a transfer target must be text');
  const call = run.call;
  if (node.data.mode === 'redirect') {
    await call.redirect(target);
    return STOP;
  }
  if (node.data.mode === 'blind') return (await call.transfer(target)) === null ? STOP : 'failed';
  // connect: a helper task rings the target and bridges the caller; StartBridge says why not
  const request = { to: target, ring: Math.max(1, Math.trunc(node.data.ringSeconds)) };
  const error = await call.startBridge(call.spawn((helper) => ringAndBridge(helper, request), request));
  if (error === null) {
    for (let input = await call.readInput(3600); !isEvent(input, 'Disconnect') && !isEvent(input, 'BreakBridge'); ) {
      input = await call.readInput(3600);
    }
    return STOP;
  }
  if (error.includes('busy')) return 'busy';
  return error === 'no answer' ? 'noAnswer' : 'failed';
}

const isEvent = (input: Input, what: string): input is Exclude<Input, string | null> =>
  input !== null && typeof input === 'object' && input.what === what;

/** The Connect helper as docs/flow-format.md describes it, on the Call API. */
async function ringAndBridge(t: CallSession, request: { to: string; ring: number }): Promise<void> {
  const bridge = await t.readInput(30);
  if (!isEvent(bridge, 'StartBridge')) return;
  if (t.startBridgedCall(request.to, bridge) !== null) return t.rejectBridge(bridge, 'failed');
  let input = await t.readInput(request.ring);
  while (isEvent(input, 'CallProvision')) input = await t.readInput(request.ring);
  if (!isEvent(input, 'CallCompleted')) {
    t.cancelCall();
    return t.rejectBridge(bridge, input === null ? 'no answer' : 'failed');
  }
  if (input.parameter !== undefined && input.parameter !== null) return;
  do input = await t.readInput(3600);
  while (!isEvent(input, 'Disconnect') && !isEvent(input, 'BreakBridge'));
}

function condition(node: NodeOf<'condition'>, run: Run): boolean {
  const { variable, operator, value } = node.data;
  const x: Value = variable === '' ? null : readVariable(variable, run.vars, run.call);
  switch (operator) {
    case 'equals':
      return typeof x === 'string' && x === text(value, run);
    case 'matches':
      return findRegEx(x, value) !== null;
    case 'empty':
      return lengthOf(x) === 0;
  }
}
