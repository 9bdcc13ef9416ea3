// Each flow node type as CG/PL statements. A node either continues with one output (returned as
// `next`, so long chains are lowered iteratively) or branches, asking `go` for each output's code.
import { NO_POS, type CallExpr, type Expr, type Stmt } from '../cgpl/ast';
import type { FlowNode, NodeOf, TimeRange } from '../flow/schema';
import { needsMedia } from '../flow/model';
import { parseTemplate } from '../flow/templates';
import {
  all,
  assign,
  assignIndex,
  assignKey,
  bin,
  bool,
  callStmt,
  exitIf,
  fn,
  ifStmt,
  loop,
  spawnExpr,
  name,
  not,
  nul,
  num,
  stop,
  str,
  ternary,
} from './build';
import type { Names } from './names';
import { codeExits } from '../flow/model';
import { EXIT_VARIABLE, parseCodeBlock } from '../flow/code';

export interface LowerCtx {
  names: Names;
  /** The code that runs after `handle` of `node`: the next nodes, a jump to a head, or stop. */
  go(node: FlowNode, handle: string): Stmt[];
  /** Whether the output leads anywhere (unconnected = the call ends). */
  connected(node: FlowNode, handle: string): boolean;
  /** Whether the output leads back to the node itself (a loop such as "ask again"). */
  loopsBack(node: FlowNode, handle: string): boolean;
  /** Some businessHours node sets a time zone: the ones without must set the default back. */
  zonedHours: boolean;
  /** Whether the call may still be unanswered / may be answered when the node starts. */
  answerState(node: FlowNode): { unanswered: boolean; answered: boolean };
  /** Some node can be reached both answered and not: answering sites then keep an `answered` flag. */
  answerFlag: boolean;
  /** The flow's CG/PL declarations (a code node's calls are checked against them). */
  declarations?: string;
}

/** The entry a Connect transfer spawns to ring the target (connectEntry.ts). */
export const CONNECT_ENTRY = 'Connect';

export interface NodeCode {
  stmts: Stmt[];
  /** The single output the code continues with; absent when the code already covers every output. */
  next?: string;
}

/** A {{var}} template as a string expression: "Contact phone: " + digits. */
export function templateExpr(template: string, names: Names): Expr {
  const parts = parseTemplate(template).map((p): Expr => {
    if (p.kind === 'text') return str(p.text);
    const b = names.builtin(p.name);
    return b ? fn(b.replace(/\(\)$/, '')) : name(names.variable(p.name));
  });
  if (parts.length === 0) return str('');
  return parts.reduce((acc, e) => bin('+', acc, e));
}

const hasPlaceholders = (t: string) => parseTemplate(t).some((p) => p.kind === 'var');

function playPrompts(id: string, prompts: string[]): Stmt[] {
  return prompts.map((p) => callStmt(id, 'PlayFile', str(p)));
}

/**
 * The node's code, preceded by answering the call when it needs media and the call may still be
 * unanswered here (the compiler answers lazily: a flow that only redirects never answers).
 */
export function lowerNode(node: FlowNode, ctx: LowerCtx): NodeCode {
  const code = lowerNodeBody(node, ctx);
  if (!needsMedia(node)) return code;
  const { unanswered, answered } = ctx.answerState(node);
  if (!unanswered) return code;
  const accept: Stmt[] = [ifStmt(node.id, [{ cond: bin('!=', fn('AcceptCall'), nul()), body: [stop(node.id)] }], null)];
  if (!ctx.answerFlag) return { ...code, stmts: [...accept, ...code.stmts] };
  // "answer the call if it has not been answered yet" — a caller who hung up after the answer is not answered again
  const flag = ctx.names.internal('answered');
  accept.push(assign(node.id, flag, bool(true)));
  const answer = answered ? [ifStmt(node.id, [{ cond: not(name(flag)), body: accept }], null)] : accept;
  return { ...code, stmts: [...answer, ...code.stmts] };
}

function lowerNodeBody(node: FlowNode, ctx: LowerCtx): NodeCode {
  const id = node.id;
  switch (node.type) {
    case 'start':
      return { stmts: [], next: 'next' };
    case 'play': {
      const plays = playPrompts(id, node.data.prompts);
      if (node.data.interruptible || plays.length === 0) return { stmts: plays, next: 'next' };
      return {
        stmts: [
          callStmt(id, 'SetInterruptOnDTMF', bool(false)),
          ...plays,
          callStmt(id, 'SetInterruptOnDTMF', bool(true)),
        ],
        next: 'next',
      };
    }
    case 'setVariable':
      if (!node.data.variable) return { stmts: [], next: 'next' };
      return {
        stmts: [assign(id, ctx.names.variable(node.data.variable), templateExpr(node.data.value, ctx.names))],
        next: 'next',
      };
    case 'hangup':
      return { stmts: [stop(id)] };
    case 'collectDigits':
      return lowerCollectDigits(node, ctx);
    case 'menu':
      return lowerMenu(node, ctx);
    case 'sendEmail':
      return lowerSendEmail(node, ctx);
    case 'businessHours':
      return lowerBusinessHours(node, ctx);
    case 'transfer':
      return lowerTransfer(node, ctx);
    case 'condition':
      return lowerCondition(node, ctx);
    case 'code':
      return lowerCode(node, ctx);
    case 'moduleCall':
      return lowerModuleCall(node, ctx);
    case 'recordVoicemail': {
      const v = ctx.names.variable(node.data.variable || 'recording');
      return {
        stmts: [
          ...playPrompts(id, node.data.prompts),
          assign(id, v, fn('Record', num(Math.max(1, node.data.maxSeconds)))),
          branch(node, bin('==', name(v), nul()), 'empty', 'recorded', ctx, not(fn('IsConnected'))),
        ],
      };
    }
  }
}

/**
 * `if cond then <yes> else <no> end if;` for two outputs of a node. With `hungUp`, a `yes` branch
 * that loops back to the node ("ask again") first stops when the caller has gone: input then returns
 * at once, empty, and the loop would spin forever.
 */
function branch(node: FlowNode, cond: Expr, yes: string, no: string, ctx: LowerCtx, hungUp?: Expr): Stmt {
  let body = ctx.go(node, yes);
  if (hungUp && ctx.loopsBack(node, yes)) {
    body = [ifStmt(node.id, [{ cond: hungUp, body: [stop(node.id)] }], null), ...body];
  }
  return ifStmt(node.id, [{ cond, body }], ctx.go(node, no));
}

// The seed's loop, without its quirk unless clearKeepsKey: after the clear key the key itself is not appended.
function lowerCollectDigits(node: NodeOf<'collectDigits'>, ctx: LowerCtx): NodeCode {
  const { id, data } = node;
  const digits = ctx.names.variable(data.variable || 'digits');
  const input = ctx.names.internal('input');
  const first = Math.max(0, data.firstDigitTimeout);
  const inter = Math.max(0, data.interDigitTimeout);
  const wait = first === inter ? num(first) : ternary(bin('==', name(digits), str('')), num(first), num(inter));
  let exit: Expr = not(fn('IsString', name(input)));
  if (data.endKey) exit = bin('or', exit, bin('==', name(input), str(data.endKey)));
  const append = assign(id, digits, bin('+', name(digits), name(input)));
  const clearPrompts = data.clearPrompts.length > 0 ? data.clearPrompts : data.prompts.slice(-1);
  const clear = [assign(id, digits, str('')), ...playPrompts(id, clearPrompts)];
  const quirk = data.clearKey !== '' && data.clearKeepsKey === true;
  const body: Stmt[] = [
    assign(id, input, fn('ReadInput', wait)),
    exitIf(id, exit),
    ...(quirk ? [ifStmt(id, [{ cond: bin('==', name(input), str(data.clearKey)), body: clear }], null)] : []),
    quirk
      ? append
      : data.clearKey
        ? ifStmt(
            id,
            [
              {
                cond: bin('==', name(input), str(data.clearKey)),
                body: [assign(id, digits, str('')), ...playPrompts(id, clearPrompts)],
              },
            ],
            [append],
          )
        : append,
  ];
  if (data.maxDigits > 0) body.push(exitIf(id, bin('>=', fn('Length', name(digits)), num(data.maxDigits))));
  return {
    stmts: [
      ...playPrompts(id, data.prompts),
      assign(id, digits, str('')),
      loop(id, body),
      branch(node, bin('==', name(digits), str('')), 'empty', 'done', ctx, fn('IsDisconnectEvent', name(input))),
    ],
  };
}

// A retry loop that leaves with `choice` = an option digit, "timeout" or "invalid"; a hang-up stops.
function lowerMenu(node: NodeOf<'menu'>, ctx: LowerCtx): NodeCode {
  const { id, data } = node;
  const choice = ctx.names.internal('choice');
  const tries = ctx.names.internal('tries');
  const digits = [...new Set(data.options.map((o) => o.digit))];
  const isChoice = (d: string) => bin('==', name(choice), str(d));
  const announce = playPrompts(id, data.prompts);
  const body: Stmt[] = [
    ...(data.replayAnnouncement ? announce : []),
    assign(id, choice, fn('ReadInput', num(Math.max(0, data.timeout)))),
    ifStmt(id, [{ cond: fn('IsDisconnectEvent', name(choice)), body: [stop(id)] }], null),
    // from here on `choice` is a string, so comparing it is safe
    ifStmt(id, [{ cond: not(fn('IsString', name(choice))), body: [assign(id, choice, str('timeout'))] }], null),
  ];
  if (digits.length > 0) body.push(exitIf(id, all('or', digits.map(isChoice))));
  body.push(
    ifStmt(
      id,
      [{ cond: isChoice('timeout'), body: playPrompts(id, data.noInputPrompts) }],
      // typed-ahead junk would otherwise fail every retry at once
      [assign(id, choice, str('invalid')), callStmt(id, 'ClearDTMF'), ...playPrompts(id, data.invalidPrompts)],
    ),
    assign(id, tries, bin('+', name(tries), num(1))),
    exitIf(id, bin('>=', name(tries), num(Math.max(1, data.retries)))),
  );
  const handles = [...digits, 'timeout', 'invalid'];
  // Unconnected outputs share the final `else stop;`; with every output connected the last one is the else.
  const connected = handles.filter((h) => ctx.connected(node, h)).map((h) => ({ h, body: ctx.go(node, h) }));
  let elseBody: Stmt[] = [stop(id)];
  if (connected.length === handles.length) elseBody = connected.pop()!.body;
  const choose: Stmt =
    connected.length > 0
      ? ifStmt(
          id,
          connected.map((b) => ({ cond: isChoice(b.h), body: b.body })),
          elseBody,
        )
      : elseBody[0];
  return {
    stmts: [...(data.replayAnnouncement ? [] : announce), assign(id, tries, num(0)), loop(id, body), choose],
  };
}

/** The e-mail content: the body text, or [body, audio/wav part] when a recording is attached. */
function emailContent(id: string, ctx: LowerCtx, body: Expr, recording: string): { setup: Stmt[]; content: Expr } {
  if (!recording) return { setup: [], content: body };
  const part = ctx.names.internal('part');
  const content = ctx.names.internal('content');
  return {
    setup: [
      assign(id, part, fn('NewDictionary')),
      assignKey(id, part, 'Content-Type', str('audio/wav')),
      assignKey(id, part, 'fileName', str('voicemail.wav')),
      assignKey(id, part, 'body', name(ctx.names.variable(recording))),
      assign(id, content, fn('NewArray')),
      assignIndex(id, content, 0, body),
      assignIndex(id, content, 1, name(part)),
    ],
    content: name(content),
  };
}

function lowerSendEmail(node: NodeOf<'sendEmail'>, ctx: LowerCtx): NodeCode {
  const { id, data } = node;
  const t = (s: string) => templateExpr(s, ctx.names);
  const { setup, content } = emailContent(id, ctx, t(data.body), data.attachRecording);
  const send = fn('SendEMail', t(data.from), t(data.subject), data.to ? t(data.to) : fn('MyEmail'), nul(), content);
  return { stmts: [...setup, branch(node, bin('!=', send, nul()), 'failed', 'sent', ctx)] };
}

const seconds = (hhmm: string): number | null => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 : null;
};
const ALL_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The test for one opening range; 'always' when it spans every day, all day; null when it never opens. */
function openDuring(range: TimeRange, now: Expr): Expr | 'always' | null {
  const from = seconds(range.from);
  const to = seconds(range.to);
  const days = ALL_DAYS.filter((d) => range.days.includes(d as TimeRange['days'][number]));
  if (from === null || to === null || from >= to || days.length === 0) return null;
  const tests: Expr[] = [];
  if (days.length < 7) tests.push(bin('>=', fn('FindSubstring', str(days.join(' ')), fn('WeekDay', now)), num(0)));
  if (from > 0) tests.push(bin('>=', fn('TimeOfDay', now), num(from)));
  if (to < 86400) tests.push(bin('<', fn('TimeOfDay', now), num(to)));
  return tests.length > 0 ? all('and', tests) : 'always';
}

function lowerBusinessHours(node: NodeOf<'businessHours'>, ctx: LowerCtx): NodeCode {
  const { id, data } = node;
  const now = name(ctx.names.internal('now'));
  const ranges = data.schedule.map((r) => openDuring(r, now));
  const always = ranges.includes('always');
  const open = ranges.filter((e): e is Expr => e !== null && e !== 'always');
  if (!always && open.length === 0) return { stmts: ctx.go(node, 'closed') };
  const holidays = data.holidays.flatMap((h) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(h.trim());
    if (!m) return [];
    return [
      all('and', [
        bin('==', fn('Year', now), num(Number(m[1]))),
        bin('==', fn('MonthNum', now), num(Number(m[2]))),
        bin('==', fn('MonthDay', now), num(Number(m[3]))),
      ]),
    ];
  });
  if (always && holidays.length === 0) return { stmts: ctx.go(node, 'open') };
  const notHoliday = holidays.length > 0 ? not(all('or', holidays)) : null;
  const cond = always ? notHoliday! : notHoliday ? bin('and', notHoliday, all('or', open)) : all('or', open);
  return {
    stmts: [
      // the zone stays set for the rest of the call: "" (the server's) must undo another node's zone
      ...(data.timeZone
        ? [callStmt(id, 'SetTimeZone', str(data.timeZone))]
        : ctx.zonedHours
          ? [callStmt(id, 'SetTimeZone', nul())]
          : []),
      assign(id, ctx.names.internal('now'), fn('LocalTime')),
      branch(node, cond, 'open', 'closed', ctx),
    ],
  };
}

function lowerTransfer(node: NodeOf<'transfer'>, ctx: LowerCtx): NodeCode {
  const { id, data } = node;
  if (!data.target) return { stmts: ctx.go(node, 'failed') };
  const literal = !hasPlaceholders(data.target);
  // still a template when literal: "{{{{" is a literal "{{"
  const target = literal ? templateExpr(data.target, ctx.names) : name(ctx.names.internal('target'));
  const setup = literal ? [] : [assign(id, ctx.names.internal('target'), templateExpr(data.target, ctx.names))];
  const hand = transferCode(node, target, ctx);
  if (literal) return { stmts: hand };
  return {
    stmts: [...setup, ifStmt(id, [{ cond: bin('==', target, str('')), body: ctx.go(node, 'failed') }], hand)],
  };
}

/** The hand-over itself, by mode: RedirectCall (before the answer), TransferCall, or a bridged call. */
function transferCode(node: NodeOf<'transfer'>, target: Expr, ctx: LowerCtx): Stmt[] {
  const { id, data } = node;
  if (data.mode === 'redirect') return [callStmt(id, 'RedirectCall', target), stop(id)];
  if (data.mode === 'blind') {
    return [
      ifStmt(id, [{ cond: bin('==', fn('TransferCall', target), nul()), body: [stop(id)] }], null),
      ...ctx.go(node, 'failed'),
    ];
  }
  // Connect: a helper task rings the target and bridges this task's caller when it answers
  // (StartBridge / StartBridgedCall); StartBridge answers with the reason when it does not.
  const request = ctx.names.internal('dial');
  const error = ctx.names.internal('dialError');
  const input = ctx.names.internal('input');
  const bridged: Stmt[] = [
    loop(id, [
      assign(id, input, fn('ReadInput', num(3600))),
      exitIf(id, bin('or', fn('IsDisconnectEvent', name(input)), fn('IsBreakBridgeEvent', name(input)))),
    ]),
    stop(id),
  ];
  return [
    assign(id, request, fn('NewDictionary')),
    assignKey(id, request, 'to', target),
    assignKey(id, request, 'ring', num(Math.max(1, data.ringSeconds))),
    assign(id, error, fn('StartBridge', spawnExpr(CONNECT_ENTRY, name(request)))),
    ifStmt(
      id,
      [
        { cond: bin('==', name(error), nul()), body: bridged },
        { cond: bin('>=', fn('FindSubstring', name(error), str('busy')), num(0)), body: ctx.go(node, 'busy') },
        { cond: bin('==', name(error), str('no answer')), body: ctx.go(node, 'noAnswer') },
      ],
      ctx.go(node, 'failed'),
    ),
  ];
}

function lowerCondition(node: NodeOf<'condition'>, ctx: LowerCtx): NodeCode {
  const { data } = node;
  // the built-ins (caller, account, domain) are variables a condition can test, as in templates
  const builtin = ctx.names.builtin(data.variable);
  const x = builtin
    ? fn(builtin.replace(/\(\)$/, ''))
    : data.variable
      ? name(ctx.names.variable(data.variable))
      : nul();
  let cond: Expr;
  switch (data.operator) {
    case 'equals':
      cond = bin('==', x, templateExpr(data.value, ctx.names));
      break;
    case 'matches':
      cond = bin('!=', fn('FindRegEx', x, str(data.value)), nul());
      break;
    case 'empty':
      cond = bin('==', fn('Length', x), num(0));
      break;
  }
  return { stmts: [branch(node, cond, 'true', 'false', ctx)] };
}

/**
 * A code node: its statements as written (an invalid block, which validation reports, as none), then
 * the exit it chose: `exit` holds an exit's name, anything else leaves by the first exit.
 */
function lowerCode(node: NodeOf<'code'>, ctx: LowerCtx): NodeCode {
  const { id } = node;
  const stmts = (parseCodeBlock(node.data.code, 'unresolved', ctx.declarations).stmts ?? []).map((s) => ({
    ...s,
    nodeId: id,
  }));
  const exits = codeExits(node.data.exits);
  if (exits.length === 1) return { stmts, next: exits[0] };
  const choose = ifStmt(
    id,
    exits.slice(1).map((e) => ({ cond: bin('==', name(EXIT_VARIABLE), str(e)), body: ctx.go(node, e) })),
    ctx.go(node, exits[0]),
  );
  // a block run again (in a loop of the flow) starts without the exit it chose last time
  return { stmts: [assign(id, EXIT_VARIABLE, nul()), ...stmts, choose] };
}

/** `m::r(args)` — the program declares `procedure m::r(p1, …) external;` (lowerFlow). */
function lowerModuleCall(node: NodeOf<'moduleCall'>, ctx: LowerCtx): NodeCode {
  const { id, data } = node;
  const call: Expr = {
    kind: 'Call',
    callee: data.routine,
    module: data.module,
    args: data.args.map((a) => templateExpr(a, ctx.names)),
    method: false,
    pos: NO_POS,
  };
  if (data.kind === 'procedure') return { stmts: [{ kind: 'CallStmt', call, pos: NO_POS, nodeId: id }], next: 'next' };
  if (data.result) return { stmts: [assign(id, ctx.names.variable(data.result), call)], next: 'next' };
  const dropped: Expr = { kind: 'Call', callee: 'Void', module: null, args: [call], method: false, pos: NO_POS };
  return { stmts: [{ kind: 'CallStmt', call: dropped as CallExpr, pos: NO_POS, nodeId: id }], next: 'next' };
}
