// The differential harness: the same flow, the same scripted caller, the same start time, run by the
// CG/PL interpreter, as the compiled JS module and by the oracle (test/oracle: the flow document read
// directly, no lowering); what the caller experienced must match.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowDocument } from '../../compiler/flow';
import { parseCgpl } from '../../compiler/cgpl';
import { formatDiagnostic } from '../../compiler/diagnostics';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import {
  VirtualClock,
  createSimulatedCall,
  flowEnvironment,
  type EmailRequest,
  type MailSender,
  type CallerStep,
  type TraceEvent,
  type SimulatedCall,
} from '../../runtime/call';
import { loadProgram, runCgplHost, runJsHost, type HostResult, type Program, type Target } from '../../runtime/host';
import { runOracle } from '../oracle';

/** Who runs the call: a compiled target, or the oracle. */
export type Runner = Target | 'oracle';

/** What the relay says: up (every message accepted) or down (every message refused). */
export function memoryMailer(up: boolean): MailSender & { sent: EmailRequest[] } {
  const sent: EmailRequest[] = [];
  return {
    sent,
    async send(req) {
      sent.push(req);
      return up ? null : 'SMTP relay is down';
    },
  };
}

export interface CallPlan {
  caller: CallerStep[];
  smtpUp: boolean;
  account?: string;
  language?: string;
  /** When the call comes (default CALL_AT). */
  at?: string;
}

/** Calls happen at one fixed moment unless a test says otherwise (a Sunday night in Moscow). */
export const CALL_AT = '2026-11-29T23:00:00+03:00';

/**
 * The comparable part of a call: every trace event except `node`, without wall times; an error keeps
 * only that it happened (the CG/PL and JS messages and positions legitimately differ), and e-mails
 * with their status.
 */
export interface CallOutcome {
  /** The guard stopped it (see RUNAWAY_OPERATIONS): both targets must then have run away alike. */
  runaway: boolean;
  events: Record<string, unknown>[];
  emails: { from: string; to: string; subject: string; content: unknown; status: string }[];
  endedBy: string | null;
  transfer: string | null;
  /** Where the call's outgoing calls rang (a Connect transfer dials its target). */
  dialled: string[];
  /** Keys pressed but never read: with the digit events, this says which keys the program consumed. */
  unread: string;
  /** The runtime error messages (shown on a mismatch, not compared: each target words them its own way). */
  errorText: string[];
  /** 'error' or 'ok': a CG/PL `stop` and a JS `return` both just end the program. */
  hostEnded: 'error' | 'ok';
}

/** PBX operations after which a run counts as a runaway: a program looping without time passing. */
export const RUNAWAY_OPERATIONS = 5000;
/** …or after the call has ended (a loop that keeps reading Disconnect). */
export const RUNAWAY_AFTER_HANGUP = 500;

// The operations both targets perform one for one (node/log reports differ in how often they come).
const OPERATIONS = new Set(['accept', 'playFile', 'readInput', 'record', 'sendEmail', 'redirect', 'disconnect']);

/**
 * The session a program sees, stopping a runaway at its next PBX operation. The interpreter's own
 * step budget (10 000 000) would take minutes, and the JS module has none; counting operations
 * trips both targets at the same point, so even a runaway's call must be identical.
 */
function guarded(call: SimulatedCall, tripped: { runaway: boolean }): SimulatedCall {
  let all = 0;
  let afterHangup = 0;
  return new Proxy(call, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || !OPERATIONS.has(String(key)))
        return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        all++;
        if (target.endedBy !== null) afterHangup++;
        // SendEMail reports trouble as its result, never by throwing (the interpreter turns a throw
        // into an error text, the JS module does not): the guard stops the run at the next operation
        if (key !== 'sendEmail' && (all > RUNAWAY_OPERATIONS || afterHangup > RUNAWAY_AFTER_HANGUP)) {
          tripped.runaway = true;
          throw new Error('runaway: the program keeps calling the PBX without time passing');
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * simulateCall (runtime/host/simulate.ts) step by step, with the runaway guard between the call and
 * the program host.
 */
export async function runOn(
  program: Program,
  target: Runner,
  plan: CallPlan,
  at: string = CALL_AT,
): Promise<CallOutcome> {
  const tripped = { runaway: false };
  const call = createSimulatedCall({
    environment: program.environment,
    clock: new VirtualClock(new Date(plan.at ?? at)),
    caller: plan.caller,
    mailer: memoryMailer(plan.smtpUp),
    // Fixed, so two runs never differ by a random call id.
    id: 'differential',
    // An endless menu must end well within the test's time.
    maxCallMs: 10 * 60_000,
    ...(plan.account !== undefined ? { account: plan.account } : {}),
    ...(plan.language !== undefined ? { language: plan.language } : {}),
  });
  let host: HostResult = { ended: 'stop' };
  const result = await call.run(async (session) => {
    const s = guarded(session, tripped);
    if (target === 'oracle') host = await oracleHost(program, s, call);
    else host = target === 'js' ? await runJsHost(program, s) : await runCgplHost(program, s);
  });
  return {
    runaway: tripped.runaway,
    errorText: result.trace.ofKind('error').map((e) => formatDiagnostic(e)),
    // Each task's events in order; how two tasks interleave within one instant is scheduling, not behaviour.
    events: result.trace
      .list()
      .filter((e) => e.kind !== 'node')
      .map(comparable)
      .sort((a, b) => String(a.task ?? '').localeCompare(String(b.task ?? ''))),
    emails: result.emails.map((m) => ({
      from: m.request.from,
      to: m.request.to,
      subject: m.request.subject,
      content: comparableContent(m.request.content),
      status: m.error === null ? 'queued' : `failed: ${m.error}`,
    })),
    endedBy: result.endedBy,
    transfer: result.transfer,
    dialled: result.legs.map((l) => l.to),
    unread: call.dtmf(),
    hostEnded: host.ended === 'error' ? 'error' : 'ok',
  };
}

async function oracleHost(program: Program, session: SimulatedCall, call: SimulatedCall): Promise<HostResult> {
  if (!program.flow) throw new Error('the oracle runs flows only');
  const result = await runOracle(program.flow, session, {
    onError: (message) =>
      call.trace.add({ kind: 'error', severity: 'error', code: 'RUN401', line: 1, column: 1, message, file: 'oracle' }),
  });
  return { ended: result.ended };
}

/**
 * E-mail content with each byte array (a recording: up to a megabyte of WAV) as its length and
 * SHA-256: comparing and printing it stays cheap, and any differing byte still shows.
 */
function comparableContent(content: EmailRequest['content']): unknown {
  const bytes = (b: Uint8Array) => ({ bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') });
  if (content instanceof Uint8Array) return bytes(content);
  if (!Array.isArray(content)) return content;
  return content.map((p) =>
    typeof p === 'string' || !(p.body instanceof Uint8Array) ? p : { ...p, body: bytes(p.body) },
  );
}

function comparable(e: TraceEvent): Record<string, unknown> {
  const { wall: _wall, ...rest } = e;
  if (rest.kind === 'error') return { kind: 'error', t: rest.t };
  return rest;
}

/** Counts what the calls did (event kinds, who ended them), to check the random calls were varied. */
export class Variety {
  readonly seen = new Map<string, number>();

  add(o: CallOutcome): void {
    const count = (what: string) => this.seen.set(what, (this.seen.get(what) ?? 0) + 1);
    for (const kind of new Set(o.events.map((e) => String(e.kind)))) count(kind);
    count(`ended by ${o.endedBy}`);
    if (o.runaway) count('runaway');
  }

  /** A comparison is only worth something if the random calls did the interesting things. */
  missing(kinds: string[]): string[] {
    return kinds.filter((k) => !this.seen.has(k));
  }
}

/** Same call: everything but the wording of runtime errors. */
export function sameCall(a: CallOutcome, b: CallOutcome): boolean {
  const { errorText: _a, ...left } = a;
  const { errorText: _b, ...right } = b;
  return JSON.stringify(left) === JSON.stringify(right);
}

export async function runBoth(
  program: Program,
  plan: CallPlan,
  at?: string,
): Promise<{ cgpl: CallOutcome; js: CallOutcome }> {
  return { cgpl: await runOn(program, 'cgpl', plan, at), js: await runOn(program, 'js', plan, at) };
}

export type ThreeCalls = { oracle: CallOutcome; cgpl: CallOutcome; js: CallOutcome };

/** The call as the oracle runs it and as both compiled targets run it. */
export async function runAll(program: Program, plan: CallPlan, at?: string): Promise<ThreeCalls> {
  return { oracle: await runOn(program, 'oracle', plan, at), ...(await runBoth(program, plan, at)) };
}

/** Which targets differ from the oracle ([] = all three agree). */
export function disagreeing(calls: ThreeCalls): ('cgpl' | 'js')[] {
  return (['cgpl', 'js'] as const).filter((t) => !sameCall(calls.oracle, calls[t]));
}

/** The message shown on a mismatch: the flow, the plan and the traces, so the case can be replayed. */
export function mismatchReport(
  flow: unknown,
  plan: CallPlan,
  both: { cgpl: CallOutcome; js: CallOutcome; oracle?: CallOutcome },
): string {
  // long runs (a runaway makes thousands of events) show their first 40 and last 10 lines
  const clip = (items: string[]) =>
    items.length <= 60 ? items : [...items.slice(0, 40), `    … ${items.length - 50} more …`, ...items.slice(-10)];
  const lines = (o: CallOutcome) =>
    [
      ...clip(o.events.map((e) => `    ${JSON.stringify(e)}`)),
      ...clip(o.emails.map((m) => `    e-mail ${JSON.stringify(m)}`)),
      ...o.errorText.map((e) => `    error ${e}`),
      `    ended by ${o.endedBy}, transfer ${o.transfer}, unread keys "${o.unread}", runaway ${o.runaway}`,
      `    ${o.events.length} events, ${o.emails.length} e-mails`,
    ].join('\n');
  const oracle = both.oracle;
  const who = oracle
    ? `${disagreeing({ ...both, oracle }).join(' and ') || 'nobody'} disagree(s) with the oracle`
    : 'the CG/PL interpreter and the JS module disagree';
  return [
    who,
    `flow: ${typeof flow === 'string' ? flow : JSON.stringify(flow)}`,
    `plan: ${JSON.stringify(plan)}`,
    ...(oracle ? [`oracle (ended ${oracle.hostEnded}):`, lines(oracle)] : []),
    `cgpl (ended ${both.cgpl.hostEnded}):`,
    lines(both.cgpl),
    `js (ended ${both.js.hostEnded}):`,
    lines(both.js),
  ].join('\n');
}

/** Loads a flow document the way the CLI does: from a file (so validation and compilation run as shipped). */
export async function programOf(
  flow: FlowDocument,
  dir?: string,
): Promise<{ program: Program | null; errors: string[] }> {
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'ivr-diff-')));
  const file = join(folder, 'flow.json');
  await writeFile(file, JSON.stringify(flow));
  return loadProgram(file);
}

/**
 * A flow compiled as loadProgram does, without the validator's verdict: most of what arbitraryFlow
 * makes has validation errors (prompts not in the library, undefined variables), yet both targets
 * must still compile it and agree on what it does.
 */
export function compiledProgram(flow: FlowDocument, dir: string): Program {
  const compiled = compileToCgpl(flow);
  const file = `${flow.name}.sppr`;
  const parsed = parseCgpl(compiled.text, file);
  if (!parsed.program || parsed.diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(`the generated program does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  }
  return {
    kind: 'flow',
    file: join(dir, 'flow.json'),
    name: flow.name,
    cgpl: { text: compiled.text, ast: parsed.program, file, lineToNode: compiled.sourceMap.lines },
    js: { text: compileToJs(flow).text },
    flow,
    environment: flowEnvironment(flow, dir),
    warnings: [],
  };
}

const keys = fc.string({ unit: fc.constantFrom(...'0123456789*#'), minLength: 1, maxLength: 8 });

/** A caller's steps: keys, pauses (some longer than a ReadInput timeout), listening; maybe a hang-up. */
export function arbitraryCaller(options: { events?: boolean } = {}): fc.Arbitrary<CallerStep[]> {
  const steps: fc.Arbitrary<CallerStep>[] = [
    keys.map((dtmf) => ({ dtmf })),
    // short pauses land inside prompts (cutting them), long ones outlast a ReadInput timeout
    fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 25_000 })).map((wait) => ({ wait })),
    fc.constant({ listen: true as const }),
  ];
  // an event another task sends (it has a sender, so it is no Disconnect): it cuts prompts, ends input
  if (options.events) steps.push(fc.constant({ event: 'Wake', sender: 'operator#ivanov@company.com' }));
  const step = fc.oneof(...steps);
  return fc
    .tuple(fc.array(step, { maxLength: 8 }), fc.option(fc.nat(), { nil: undefined }))
    .map(([steps, hangAt]) =>
      hangAt === undefined ? steps : [...steps.slice(0, hangAt % (steps.length + 1)), { hangup: true as const }],
    );
}

export function arbitraryPlan(
  extra: Partial<Record<'account' | 'language' | 'at', fc.Arbitrary<string>>> & { events?: boolean } = {},
): fc.Arbitrary<CallPlan> {
  return fc.record({
    caller: arbitraryCaller({ events: extra.events }),
    smtpUp: fc.boolean(),
    ...(extra.account ? { account: extra.account } : {}),
    ...(extra.language ? { language: extra.language } : {}),
    ...(extra.at ? { at: extra.at } : {}),
  });
}

/**
 * Moments on the edges of opening hours (NASTY's times of day): Sunday 23:00 in Moscow, Monday 09:00
 * and 18:00 there, the second before, midnight in Tokyo, the last minute of a year.
 */
export const BOUNDARY_MOMENTS = fc.constantFrom(
  CALL_AT,
  '2026-11-30T09:00:00+03:00',
  '2026-11-30T17:59:59+03:00',
  '2026-11-30T18:00:00+03:00',
  '2026-11-29T23:00:00-05:00',
  '2026-11-30T00:00:00+09:00',
  '2025-12-31T23:59:30Z',
);

// Every variable name arbitraryFlow uses in templates and conditions.
const RANDOM_VARIABLES = ['digits', 'choice', 'next', 'Digits', 'caller_id', 'input', 'x'];

/**
 * Makes more of arbitraryFlow's flows valid: every prompt it names goes into the library (all
 * pointing at one real WAV) and every variable it may use is declared. What is left invalid
 * (empty menus, bad addresses, opening hours that end before they start) is filtered out.
 */
export function repairFlow(flow: FlowDocument, wav: string): FlowDocument {
  const names = new Set<string>();
  // A variable a node sets is declared by that node; declaring it again is an error.
  // CG/PL names are case-insensitive: "Digits" is "digits".
  const declared = new Set(flow.variables.map((v) => v.name.toLowerCase()));
  for (const node of flow.nodes) {
    const d = node.data as Record<string, unknown>;
    if (node.type !== 'condition' && typeof d.variable === 'string') declared.add(d.variable.toLowerCase());
    for (const key of ['prompts', 'invalidPrompts', 'noInputPrompts', 'clearPrompts']) {
      if (Array.isArray(d[key])) for (const n of d[key] as string[]) names.add(n);
    }
  }
  const prompts = { ...flow.prompts };
  for (const n of names) prompts[n] = { files: { [flow.defaultLanguage]: wav }, text: {} };
  const variables = [...flow.variables];
  for (const name of RANDOM_VARIABLES) {
    if (declared.has(name.toLowerCase())) continue;
    declared.add(name.toLowerCase());
    variables.push({ name, initial: '', description: '' });
  }
  return { ...flow, prompts, variables };
}
