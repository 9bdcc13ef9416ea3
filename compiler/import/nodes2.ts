// The importer's other node shapes: SendEMail, business hours and the three kinds of transfer.
import type { Expr, Stmt } from '../cgpl/ast';
import { printExpr } from '../cgpl/printer';
import type { TimeRange } from '../flow/schema';
import type { Piece, Walk } from './statements';
import {
  stopsHere,
  assignOf,
  binOf,
  chainOf,
  eitherWay,
  isCall,
  isNull,
  isStopIf,
  nameOf,
  numOf,
  sameName,
  singleIf,
  stmtCall,
  strOf,
  templateOf,
  printStatements,
} from './match';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** [part, content, recording, body template] of the attachment set-up before SendEMail. */
function attachment(stmts: Stmt[], i: number): { part: string; content: string; recording: string; body: Expr } | null {
  const part = assignOf(stmts[i]);
  const content = assignOf(stmts[i + 4]);
  const body = stmts[i + 5]?.kind === 'Assign' ? (stmts[i + 5] as { value: Expr }).value : null;
  const rec = stmts[i + 3]?.kind === 'Assign' ? nameOf((stmts[i + 3] as { value: Expr }).value) : null;
  if (!part || !content || !body || rec === null || !isCall(part.value, 'NewDictionary', 0)) return null;
  const expected = [
    `${part.name} = NewDictionary();`,
    `${part.name}.("Content-Type") = "audio/wav";`,
    `${part.name}.fileName = "voicemail.wav";`,
    `${part.name}.body = ${rec};`,
    `${content.name} = NewArray();`,
    `${content.name}[0] = ${printExpr(body)};`,
    `${content.name}[1] = ${part.name};`,
  ].join('\n');
  return printStatements(stmts.slice(i, i + 7)) === expected
    ? { part: part.name, content: content.name, recording: rec, body }
    : null;
}

export function recogniseEmail(walk: Walk, stmts: Stmt[], i: number): Piece | null {
  const attached = attachment(stmts, i);
  const j = attached ? i + 7 : i;
  const s = stmts[j];
  if (!singleIf(s)) return null;
  const way = eitherWay(s.branches[0].cond, (x) => {
    const b = binOf(x, '!=');
    return b && isCall(b.left, 'SendEMail', 5) && isNull(b.right) ? b.left : null;
  });
  if (!way) return null;
  const [from, subject, to, cc, content] = way.value.args;
  const t = (e: Expr) => templateOf(e);
  const body = attached ? (sameName(nameOf(content), attached.content) ? t(attached.body) : null) : t(content);
  const toText = isCall(to, 'MyEmail', 0) ? '' : t(to);
  const fromText = t(from);
  const subjectText = t(subject);
  if (!isNull(cc) || body === null || toText === null || fromText === null || subjectText === null) return null;
  return {
    end: stmts.length,
    media: false,
    build(next) {
      const { yes, no } = walk.branches(stmts, j, next);
      const b = walk.b;
      const id = b.node('sendEmail', {
        from: b.template(fromText),
        to: b.template(toText),
        subject: b.template(subjectText),
        body: b.template(body),
        attachRecording: attached?.recording ?? '',
      });
      b.edge(id, 'failed', way.positive ? yes : no);
      b.edge(id, 'sent', way.positive ? no : yes);
      return id;
    },
  };
}

const hhmm = (s: number) =>
  `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String((s % 3600) / 60).padStart(2, '0')}`;

/** One opening range: `FindSubstring("Mon Tue", WeekDay(now)) >= 0 and TimeOfDay(now) >= 32400 and …`. */
function range(e: Expr, now: string): TimeRange | null {
  const out: TimeRange = { days: [...DAYS], from: '00:00', to: '24:00' };
  for (const test of chainOf(e, 'and')) {
    const ge = binOf(test, '>=');
    const lt = binOf(test, '<');
    if (ge && isCall(ge.left, 'FindSubstring', 2) && numOf(ge.right) === 0) {
      const [list, day] = ge.left.args;
      const days = strOf(list)?.split(' ') ?? [];
      if (!isCall(day, 'WeekDay', 1) || !sameName(nameOf(day.args[0]), now)) return null;
      if (days.length === 0 || !days.every((d) => (DAYS as readonly string[]).includes(d))) return null;
      out.days = days as TimeRange['days'];
    } else if ((ge || lt) && isCall((ge ?? lt)!.left, 'TimeOfDay', 1)) {
      const call = (ge ?? lt)!.left as Extract<Expr, { kind: 'Call' }>;
      const s = numOf((ge ?? lt)!.right);
      if (!sameName(nameOf(call.args[0]), now) || s === null || s % 60 !== 0 || s < 0 || s > 86400) return null;
      if (ge) out.from = hhmm(s);
      else out.to = hhmm(s);
    } else return null;
  }
  return out;
}

/** `Year(now) == 2026 and MonthNum(now) == 12 and MonthDay(now) == 31` */
function holiday(e: Expr, now: string): string | null {
  const parts = chainOf(e, 'and');
  const value = (x: Expr | undefined, f: string) => {
    const b = x ? binOf(x, '==') : null;
    return b && isCall(b.left, f, 1) && sameName(nameOf(b.left.args[0]), now) ? numOf(b.right) : null;
  };
  const [y, m, d] = [value(parts[0], 'Year'), value(parts[1], 'MonthNum'), value(parts[2], 'MonthDay')];
  if (parts.length !== 3 || y === null || m === null || d === null) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function schedule(cond: Expr, now: string): { schedule: TimeRange[]; holidays: string[] } | null {
  const holidaysOf = (x: Expr) => {
    if (x.kind !== 'Unary' || x.op !== 'not') return null;
    const days = chainOf(x.operand, 'or').map((h) => holiday(h, now));
    return days.every((d) => d !== null) ? (days as string[]) : null;
  };
  const rangesOf = (x: Expr) => {
    const rs = chainOf(x, 'or').map((r) => range(r, now));
    return rs.every((r) => r !== null) ? (rs as TimeRange[]) : null;
  };
  const only = holidaysOf(cond);
  if (only) return { schedule: [{ days: [...DAYS], from: '00:00', to: '24:00' }], holidays: only };
  const both = binOf(cond, 'and');
  const h = both ? holidaysOf(both.left) : null;
  if (both && h) {
    const rs = rangesOf(both.right);
    return rs ? { schedule: rs, holidays: h } : null;
  }
  const rs = rangesOf(cond);
  return rs ? { schedule: rs, holidays: [] } : null;
}

export function recogniseHours(walk: Walk, stmts: Stmt[], i: number): Piece | null {
  const zone = stmtCall(stmts[i], 'SetTimeZone');
  const j = zone ? i + 1 : i;
  const timeZone = zone ? (strOf(zone.args[0]) ?? (isNull(zone.args[0]) ? '' : null)) : '';
  const now = assignOf(stmts[j]);
  const s = stmts[j + 1];
  if (timeZone === null || !now || !isCall(now.value, 'LocalTime', 0) || !singleIf(s)) return null;
  const way = eitherWay(s.branches[0].cond, (x) => schedule(x, now.name));
  if (!way) return null;
  return {
    end: stmts.length,
    media: false,
    build(next) {
      const { yes, no } = walk.branches(stmts, j + 1, next);
      const id = walk.b.node('businessHours', { timeZone, ...way.value });
      walk.b.edge(id, 'open', way.positive ? yes : no);
      walk.b.edge(id, 'closed', way.positive ? no : yes);
      return id;
    },
  };
}

type Hand =
  | { mode: 'redirect' }
  | { mode: 'blind'; failed: Stmt[] }
  | { mode: 'connect'; ring: number; at: number; stmts: Stmt[] };

/** The hand-over to `target` at stmts[i] (RedirectCall, TransferCall, or the Connect helper). */
function hand(stmts: Stmt[], i: number, target: (e: Expr) => boolean): Hand | null {
  const redirect = stmtCall(stmts[i], 'RedirectCall');
  const ends = i + 1 === stmts.length || stmts[i + 1]?.kind === 'Stop';
  if (redirect && redirect.args.length === 1 && target(redirect.args[0]) && ends) return { mode: 'redirect' };
  const blind = (c: Expr) => {
    const b = binOf(c, '==');
    return !!b && isCall(b.left, 'TransferCall', 1) && target(b.left.args[0]) && isNull(b.right);
  };
  if (isStopIf(stmts[i], blind)) return { mode: 'blind', failed: stmts.slice(i + 1) };
  const dial = assignOf(stmts[i]);
  if (!dial || !isCall(dial.value, 'NewDictionary', 0)) return null;
  const to = stmts[i + 1];
  const ring = stmts[i + 2];
  const start = assignOf(stmts[i + 3]);
  const member = (s: Stmt | undefined, key: string) =>
    s?.kind === 'Assign' &&
    s.target.kind === 'Member' &&
    s.target.key === key &&
    sameName(nameOf(s.target.object), dial.name)
      ? s.value
      : null;
  const toValue = member(to, 'to');
  const seconds = numOf(member(ring, 'ring') ?? undefined);
  if (!toValue || !target(toValue) || seconds === null || !start) return null;
  const bridge = start.value;
  if (!isCall(bridge, 'StartBridge', 1) || bridge.args[0].kind !== 'Spawn') return null;
  if (!sameName(nameOf(bridge.args[0].arg), dial.name)) return null;
  const result = stmts[i + 4];
  if (result?.kind !== 'If' || result.branches.length !== 3) return null;
  const [ok, busy, noAnswer] = result.branches;
  const err = start.name;
  const okTest = binOf(ok.cond, '==');
  const busyTest = binOf(busy.cond, '>=');
  const naTest = binOf(noAnswer.cond, '==');
  if (!okTest || !sameName(nameOf(okTest.left), err) || !isNull(okTest.right)) return null;
  if (!busyTest || !isCall(busyTest.left, 'FindSubstring', 2) || strOf(busyTest.left.args[1]) !== 'busy') return null;
  if (!naTest || !sameName(nameOf(naTest.left), err) || strOf(naTest.right) !== 'no answer') return null;
  // (the `stop;` after the bridge is left out at the program's end)
  if (ok.body[0]?.kind !== 'Loop' || ok.body.length > 2 || (ok.body.length === 2 && ok.body[1].kind !== 'Stop'))
    return null;
  return { mode: 'connect', ring: seconds, at: i + 4, stmts };
}

export function recogniseTransfer(walk: Walk, stmts: Stmt[], i: number): Piece | null {
  // a literal target
  const literal = literalHand(stmts, i);
  if (literal) return transferPiece(walk, literal.target, literal.hand, null);
  // a template: `target = …; if target == "" then <failed> else <hand-over> end if;`
  const set = assignOf(stmts[i]);
  const tpl = set ? templateOf(set.value) : null;
  const s = stmts[i + 1];
  if (!set || tpl === null || !singleIf(s)) return null;
  const way = eitherWay(s.branches[0].cond, (x) => {
    const b = binOf(x, '==');
    return b && sameName(nameOf(b.left), set.name) && strOf(b.right) === '' ? true : null;
  });
  if (!way) return null;
  const rest = stmts.slice(i + 2);
  // `if target == "" then stop; end if;` on one line: the failed output is not connected
  const unconnected = stopsHere(s, !walk.b.shareHangup);
  const thenPart = unconnected ? [] : s.branches[0].body;
  const elsePart = s.elseBody ?? rest;
  const [failedPart, handPart] = way.positive ? [thenPart, elsePart] : [elsePart, thenPart];
  const h = hand(handPart, 0, (e) => sameName(nameOf(e), set.name));
  if (!h) return null;
  // the hand-over's own failure repeats the empty target's: both are the node's `failed` output
  // (a `stop;` at the program's end is left out)
  const ends = (l: Stmt[]) => printStatements(l.length === 1 && l[0].kind === 'Stop' ? [] : l);
  // (or the hand-over falls through to it: the failure is written once, after the `if`)
  const failedText = ends(failedPart);
  const same = (l: Stmt[]) => ends(l) === failedText || (l.length === 0 && !s.elseBody && !way.positive);
  if (h.mode === 'blind' && !same(h.failed)) return null;
  if (h.mode === 'connect' && !same(connectElse(h))) return null;
  const piece = transferPiece(walk, tpl, h, failedPart, unconnected, !s.elseBody && !way.positive);
  if (!s.elseBody || rest.length === 0) return piece;
  // with an else, both ways go on to what follows the `if` (a join written after the node)
  return { ...piece, build: (next, answer) => piece.build!(walk.list(rest, next), answer) };
}

const connectElse = (h: Extract<Hand, { mode: 'connect' }>) =>
  (h.stmts[h.at] as Extract<Stmt, { kind: 'If' }>).elseBody ?? h.stmts.slice(h.at + 1);

function literalHand(stmts: Stmt[], i: number): { target: string; hand: Hand } | null {
  let target: string | null = null;
  const h = hand(stmts, i, (e) => {
    target = templateOf(e);
    return target !== null;
  });
  return h && target !== null ? { target, hand: h } : null;
}

function transferPiece(
  walk: Walk,
  target: string,
  h: Hand,
  failedPart: Stmt[] | null,
  unconnected = false,
  /** The hand-over is the `then` of `if target != "" then … end if;`: falling out of it is the failure. */
  handFallsToFailed = false,
): Piece {
  return {
    end: Number.MAX_SAFE_INTEGER, // takes the rest of the list
    media: h.mode === 'blind',
    build(next) {
      const b = walk.b;
      const data =
        h.mode === 'connect'
          ? { target: b.template(target), mode: h.mode, ringSeconds: h.ring }
          : { target: b.template(target), mode: h.mode, ringSeconds: 20 };
      const failed = failedPart ?? (h.mode === 'blind' ? h.failed : h.mode === 'connect' ? connectElse(h) : []);
      const id = b.node('transfer', data);
      if (h.mode === 'connect') {
        const result = h.stmts[h.at] as Extract<Stmt, { kind: 'If' }>;
        // without an else, what follows the `if` is the failure, and a branch that falls through goes there
        const after = result.elseBody ? walk.list(h.stmts.slice(h.at + 1), next) : null;
        const failedEntry = unconnected ? null : walk.list(failed, result.elseBody ? after : next);
        // (a template's failure is the empty-target branch: the hand-over's branches fall through past it)
        const fall = result.elseBody
          ? after
          : failedPart !== null && !handFallsToFailed
            ? walk.list(h.stmts.slice(h.at + 1), next)
            : failedEntry;
        b.edge(id, 'busy', walk.list(result.branches[1].body, fall));
        b.edge(id, 'noAnswer', walk.list(result.branches[2].body, fall));
        b.edge(id, 'failed', failedEntry);
      } else if (!unconnected && (h.mode === 'blind' || failedPart !== null)) {
        b.edge(id, 'failed', walk.list(failed, next));
      } // a Redirect to a literal target ends the program: its `failed` leads nowhere
      return id;
    },
  };
}
