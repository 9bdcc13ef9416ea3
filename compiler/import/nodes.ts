// The statement shapes that become flow nodes: what compiler/generate/lowerNodes.ts writes for each
// node type (and the seed article's hand-written forms of the same), read back into node data.
import type { Expr, IfStmt, Stmt } from '../cgpl/ast';
import type { Piece, Walk } from './statements';
import {
  assignOf,
  binOf,
  chainOf,
  eitherWay,
  isCall,
  isNull,
  isStopIf,
  nameOf,
  numOf,
  playRun,
  sameName,
  singleIf,
  stmtCall,
  strOf,
  templateOf,
} from './match';
import { recogniseHours, recogniseTransfer, recogniseEmail } from './nodes2';

export function recognise(walk: Walk, stmts: Stmt[], i: number): Piece | null {
  return (
    collectDigits(walk, stmts, i) ??
    menu(walk, stmts, i) ??
    recordVoicemail(walk, stmts, i) ??
    recogniseEmail(walk, stmts, i) ??
    recogniseHours(walk, stmts, i) ??
    recogniseTransfer(walk, stmts, i) ??
    condition(walk, stmts, i)
  );
}

const eq = (e: Expr, n: string, value: string) => {
  const b = binOf(e, '==');
  return b !== null && sameName(nameOf(b.left), n) && strOf(b.right) === value;
};
/** `D = D + I;` */
const isAppend = (s: Stmt | undefined, d: string, input: string) => {
  const a = assignOf(s);
  const plus = a ? binOf(a.value, '+') : null;
  return !!a && sameName(a.name, d) && !!plus && sameName(nameOf(plus.left), d) && sameName(nameOf(plus.right), input);
};
/** Drops a leading `if <test> then stop; end if;` (the compiler writes it again where it belongs). */
const dropStopIf =
  (test: (c: Expr) => boolean) =>
  (l: Stmt[]): Stmt[] =>
    isStopIf(l[0], test) ? l.slice(1) : l;

/** A piece that makes a play node for `lead` (when not empty) before the node `make` builds. */
function withLead(walk: Walk, lead: string[], make: (next: string | null) => string | null) {
  return (next: string | null) => {
    const entry = make(next);
    if (lead.length === 0) return entry;
    for (const p of lead) walk.b.prompts.add(p);
    const id = walk.b.node('play', { prompts: lead, interruptible: true });
    walk.b.edge(id, 'next', entry);
    return id;
  };
}

function collectDigits(walk: Walk, stmts: Stmt[], i: number): Piece | null {
  const run = playRun(stmts, i);
  const j = i + run.length;
  const init = assignOf(stmts[j]);
  const loop = stmts[j + 1];
  if (!init || strOf(init.value) !== '' || loop?.kind !== 'Loop') return null;
  const d = init.name;
  const body = loop.body;
  const read = assignOf(body[0]);
  if (!read || !isCall(read.value, 'ReadInput', 1)) return null;
  const input = read.name;
  const wait = read.value.args[0];
  let first = numOf(wait);
  let inter = first;
  if (wait.kind === 'Ternary' && eq(wait.cond, d, '')) {
    first = numOf(wait.then);
    inter = numOf(wait.otherwise);
  }
  if (first === null || inter === null || body[1]?.kind !== 'ExitIf') return null;
  const exits = chainOf(body[1].cond, 'or');
  const notString = exits[0];
  if (
    notString.kind !== 'Unary' ||
    notString.op !== 'not' ||
    !isCall(notString.operand, 'IsString', 1) ||
    !sameName(nameOf(notString.operand.args[0]), input) ||
    exits.length > 2
  )
    return null;
  let endKey = '';
  if (exits.length === 2) {
    const e = binOf(exits[1], '==');
    if (!e || !sameName(nameOf(e.left), input) || strOf(e.right) === null) return null;
    endKey = strOf(e.right)!;
  }
  let k = 2;
  let clearKey = '';
  let clearRun: string[] = [];
  let clearKeepsKey = false;
  const c = body[k];
  if (isAppend(c, d, input)) k++;
  else if (singleIf(c) && c.branches[0].cond.kind === 'Binary') {
    const test = binOf(c.branches[0].cond, '==');
    const cleared = c.branches[0].body;
    const reset = assignOf(cleared[0]);
    if (!test || !sameName(nameOf(test.left), input) || strOf(test.right) === null) return null;
    if (!reset || !sameName(reset.name, d) || strOf(reset.value) !== '') return null;
    clearRun = playRun(cleared, 1);
    if (cleared.length !== 1 + clearRun.length) return null;
    clearKey = strOf(test.right)!;
    if (c.elseBody && c.elseBody.length === 1 && isAppend(c.elseBody[0], d, input)) k++;
    else if (!c.elseBody && isAppend(body[k + 1], d, input)) {
      // the seed's form: the key is appended after clearing too
      clearKeepsKey = true;
      k += 2;
    } else return null;
  } else return null;
  let maxDigits = 0;
  if (k < body.length) {
    const limit = body[k]?.kind === 'ExitIf' ? binOf((body[k] as { cond: Expr }).cond, '>=') : null;
    if (!limit || !isCall(limit.left, 'Length', 1) || !sameName(nameOf(limit.left.args[0]), d)) return null;
    maxDigits = numOf(limit.right) ?? -1;
    if (maxDigits < 1) return null;
    k++;
  }
  if (k !== body.length) return null;
  const branch = stmts[j + 2];
  const way = singleIf(branch) ? eitherWay(branch.branches[0].cond, (x) => (eq(x, d, '') ? true : null)) : null;
  if (!way) return null;
  // the prompt after the clear key defaults to the last prompt: fold the announcement in when that reads the same
  const fold = clearKey === '' || clearRun.length > 0 || run.length === 0;
  const prompts = fold ? run : [];
  const clearPrompts = clearRun.length === 1 && prompts.length > 0 && prompts.at(-1) === clearRun[0] ? [] : clearRun;
  const hungUp = dropStopIf((x) => isCall(x, 'IsDisconnectEvent', 1) && sameName(nameOf(x.args[0]), input));
  return {
    end: stmts.length,
    media: true,
    build: withLead(walk, fold ? [] : run, (next) => {
      const { yes, no } = walk.branches(stmts, j + 2, next, way.positive ? { yes: hungUp } : { no: hungUp });
      for (const p of [...prompts, ...clearPrompts]) walk.b.prompts.add(p);
      const id = walk.b.node('collectDigits', {
        prompts,
        endKey,
        clearKey,
        clearPrompts,
        maxDigits,
        firstDigitTimeout: first!,
        interDigitTimeout: inter!,
        variable: d,
        ...(clearKeepsKey ? { clearKeepsKey } : {}),
      });
      walk.b.edge(id, 'empty', way.positive ? yes : no);
      walk.b.edge(id, 'done', way.positive ? no : yes);
      return id;
    }),
  };
}

function recordVoicemail(walk: Walk, stmts: Stmt[], i: number): Piece | null {
  const run = playRun(stmts, i);
  const j = i + run.length;
  const rec = assignOf(stmts[j]);
  const seconds = rec && isCall(rec.value, 'Record', 1) ? numOf(rec.value.args[0]) : null;
  const branch = stmts[j + 1];
  if (!rec || seconds === null || !singleIf(branch)) return null;
  const v = rec.name;
  const way = eitherWay(branch.branches[0].cond, (x) => {
    const b = binOf(x, '==');
    return b && sameName(nameOf(b.left), v) && isNull(b.right) ? true : null;
  });
  if (!way) return null;
  const hungUp = dropStopIf((x) => x.kind === 'Unary' && x.op === 'not' && isCall(x.operand, 'IsConnected', 0));
  return {
    end: stmts.length,
    media: true,
    build(next) {
      const { yes, no } = walk.branches(stmts, j + 1, next, way.positive ? { yes: hungUp } : { no: hungUp });
      for (const p of run) walk.b.prompts.add(p);
      const id = walk.b.node('recordVoicemail', { prompts: run, maxSeconds: seconds, variable: v });
      walk.b.edge(id, 'empty', way.positive ? yes : no);
      walk.b.edge(id, 'recorded', way.positive ? no : yes);
      return id;
    },
  };
}

/** The menu's retry loop: [announcement] choice = ReadInput(t); … tries = tries + 1; exitif tries >= n; */
function menuLoop(body: Stmt[], tries: string) {
  const announce = playRun(body, 0);
  let k = announce.length;
  const read = assignOf(body[k]);
  const timeout = read && isCall(read.value, 'ReadInput', 1) ? numOf(read.value.args[0]) : null;
  if (!read || timeout === null) return null;
  const choice = read.name;
  const isChoice = (x: Expr, v?: string) => {
    const b = binOf(x, '==');
    return (
      !!b && sameName(nameOf(b.left), choice) && strOf(b.right) !== null && (v === undefined || strOf(b.right) === v)
    );
  };
  if (!isStopIf(body[k + 1], (x) => isCall(x, 'IsDisconnectEvent', 1) && sameName(nameOf(x.args[0]), choice)))
    return null;
  const toTimeout = body[k + 2];
  if (!singleIf(toTimeout) || toTimeout.elseBody || toTimeout.branches[0].body.length !== 1) return null;
  k += 3;
  let digits: string[] = [];
  const exit = body[k];
  if (exit?.kind === 'ExitIf') {
    const tests = chainOf(exit.cond, 'or');
    if (!tests.every((t) => isChoice(t))) return null;
    digits = tests.map((t) => strOf(binOf(t, '==')!.right)!);
    k++;
  }
  const wrong = body[k];
  if (!singleIf(wrong)) return null;
  const invalidPart = (l: Stmt[]) => {
    const a = assignOf(l[0]);
    if (!a || !sameName(a.name, choice) || strOf(a.value) !== 'invalid' || !stmtCall(l[1], 'ClearDTMF')) return null;
    const p = playRun(l, 2);
    return p.length === l.length - 2 ? p : null;
  };
  let noInput: string[] | null;
  let invalid: string[] | null;
  const cond = wrong.branches[0].cond;
  if (isChoice(cond, 'timeout') && wrong.elseBody) {
    noInput = playRun(wrong.branches[0].body, 0);
    if (noInput.length !== wrong.branches[0].body.length) return null;
    invalid = invalidPart(wrong.elseBody);
  } else {
    const b = binOf(cond, '!=');
    if (!b || !sameName(nameOf(b.left), choice) || strOf(b.right) !== 'timeout' || wrong.elseBody) return null;
    noInput = [];
    invalid = invalidPart(wrong.branches[0].body);
  }
  const inc = assignOf(body[k + 1]);
  const plus = inc ? binOf(inc.value, '+') : null;
  const limit = body[k + 2]?.kind === 'ExitIf' ? binOf((body[k + 2] as { cond: Expr }).cond, '>=') : null;
  if (invalid === null || !inc || !sameName(inc.name, tries) || !plus || numOf(plus.right) !== 1) return null;
  if (!limit || !sameName(nameOf(limit.left), tries) || k + 3 !== body.length) return null;
  const retries = numOf(limit.right);
  if (retries === null) return null;
  return { announce, timeout, choice, digits, noInput, invalid, retries };
}

function menu(walk: Walk, stmts: Stmt[], i: number): Piece | null {
  const run = playRun(stmts, i);
  const j = i + run.length;
  const start = assignOf(stmts[j]);
  const loop = stmts[j + 1];
  if (!start || numOf(start.value) !== 0 || loop?.kind !== 'Loop') return null;
  const m = menuLoop(loop.body, start.name);
  if (!m) return null;
  const replay = m.announce.length > 0 || run.length === 0;
  const prompts = replay ? m.announce : run;
  const handles = [...m.digits, 'timeout', 'invalid'];
  return {
    end: stmts.length,
    media: true,
    build: withLead(walk, replay ? run : [], (next) => {
      const outs = chooseOutputs(walk, stmts.slice(j + 2), m.choice, handles, next);
      if (!outs) return null;
      for (const p of [...prompts, ...m.noInput, ...m.invalid]) walk.b.prompts.add(p);
      const id = walk.b.node('menu', {
        prompts,
        options: m.digits.map((digit) => ({ digit })),
        timeout: m.timeout,
        retries: m.retries,
        invalidPrompts: m.invalid,
        noInputPrompts: m.noInput,
        replayAnnouncement: replay,
      });
      for (const [h, target] of outs) walk.b.edge(id, h, target);
      return id;
    }),
  };
}

/**
 * Where each menu output leads, from the code after the retry loop: `if choice == "1" then … elif …
 * else … end if;` (the else is the last connected output, or `stop` for the unconnected ones).
 */
function chooseOutputs(walk: Walk, rest: Stmt[], choice: string, handles: string[], cont: string | null) {
  const outs = new Map<string, string | null>();
  const bareStop = (l: Stmt[]) => l.length === 1 && l[0].kind === 'Stop';
  const first = rest[0];
  const tested = (x: Expr, op: '==' | '!=') => {
    const b = binOf(x, op);
    const h = b && sameName(nameOf(b.left), choice) ? strOf(b.right) : null;
    return h !== null && handles.includes(h) ? h : null;
  };
  if (first?.kind === 'If' && first.branches.every((b) => tested(b.cond, '==') !== null)) {
    const after = first.elseBody ? walk.list(rest.slice(1), cont) : null;
    const elsePart = first.elseBody ?? rest.slice(1);
    const fall = first.elseBody ? after : cont;
    const ends = bareStop(elsePart) || (elsePart.length === 0 && fall === walk.b.end);
    const otherwise = ends ? null : walk.list(elsePart, fall);
    const fallTo = first.elseBody ? after : otherwise;
    for (const b of first.branches) {
      const h = tested(b.cond, '==')!;
      if (!outs.has(h)) outs.set(h, walk.list(b.body, fallTo));
    }
    for (const h of handles) if (!outs.has(h)) outs.set(h, otherwise);
    return outs;
  }
  if (singleIf(first) && !first.elseBody && tested(first.branches[0].cond, '!=') !== null) {
    const h = tested(first.branches[0].cond, '!=')!;
    const target = walk.list(rest.slice(1), cont);
    const body = first.branches[0].body;
    const otherwise = bareStop(body) ? null : walk.list(body, target);
    for (const x of handles) outs.set(x, x === h ? target : otherwise);
    return outs;
  }
  // nothing after the loop: the program's end (a menu's outputs that lead nowhere)
  const ends = bareStop(rest) || (rest.length === 0 && cont === walk.b.end);
  const otherwise = ends ? null : walk.list(rest, cont);
  for (const h of handles) outs.set(h, otherwise);
  return outs;
}

const BUILTIN_TESTED: Record<string, string> = { remoteuri: 'caller', myemail: 'account', mydomain: 'domain' };

/** What a condition tests: a variable, or a built-in (`RemoteURI()` is caller). */
function testedVariable(e: Expr): string | null {
  if (e.kind === 'Name') return e.name;
  if (isCall(e, undefined, 0)) return BUILTIN_TESTED[e.callee.toLowerCase()] ?? null;
  return null;
}

function condition(walk: Walk, stmts: Stmt[], i: number): Piece | null {
  const s = stmts[i];
  if (!singleIf(s)) return null;
  type Test = { variable: string; operator: 'equals' | 'matches' | 'empty'; value: string };
  const way = eitherWay(s.branches[0].cond, (x): Test | null => {
    const e = binOf(x, '==');
    if (e && isCall(e.left, 'Length', 1) && numOf(e.right) === 0) {
      const v = testedVariable(e.left.args[0]);
      return v ? { variable: v, operator: 'empty', value: '' } : null;
    }
    if (e) {
      const v = testedVariable(e.left);
      const t = templateOf(e.right);
      return v && t !== null ? { variable: v, operator: 'equals', value: t } : null;
    }
    const m = binOf(x, '!=');
    if (m && isCall(m.left, 'FindRegEx', 2) && isNull(m.right)) {
      const v = testedVariable(m.left.args[0]);
      const p = strOf(m.left.args[1]);
      return v && p !== null ? { variable: v, operator: 'matches', value: p } : null;
    }
    return null;
  });
  if (!way) return null;
  return {
    end: stmts.length,
    media: false,
    build(next) {
      const { yes, no } = walk.branches(stmts, i, next);
      const { variable, operator, value } = way.value;
      if (!(variable in BUILTIN_TESTED_NAMES)) walk.b.reads.add(variable);
      const id = walk.b.node('condition', { variable, operator, value: walk.b.template(value) });
      walk.b.edge(id, 'true', way.positive ? yes : no);
      walk.b.edge(id, 'false', way.positive ? no : yes);
      return id;
    },
  };
}

const BUILTIN_TESTED_NAMES: Record<string, true> = { caller: true, account: true, domain: true };

export type { IfStmt };
