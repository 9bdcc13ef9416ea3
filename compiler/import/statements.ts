// The importer's walk over a statement list: it cuts the list into pieces (a recognised node, or
// statements kept as a code node) and builds them from the last to the first, so each piece knows
// where the call goes next. A branching piece takes the rest of the list: its outputs lead there.
import type { Expr, IfStmt, Stmt } from '../cgpl/ast';
import type { FlowBuilder } from './builder';
import {
  stopsHere,
  assignOf,
  numOf,
  isCall,
  isNull,
  isStopIf,
  nameOf,
  sameName,
  singleIf,
  stmtCall,
  strOf,
  templateOf,
  playRun,
} from './match';
import { recognise } from './nodes';

/** A recognised run of statements. */
export interface Piece {
  /** Index after the piece's last statement (the list's length for a piece that branches). */
  end: number;
  /** The node plays, reads keys or records: the call is answered before it (a guard before it is dropped). */
  media: boolean;
  /** Statements kept as written (merged with neighbours into one code node). */
  code?: Stmt[];
  /** The call is answered here (`if AcceptCall() != null then stop; end if;`). */
  guard?: Stmt[];
  /** Creates the piece's nodes; `next` is where the call goes after it. Returns the piece's first node. */
  build?(next: string | null, answer: boolean): string | null;
}

export interface Walk {
  b: FlowBuilder;
  /** The first node of a statement list, ending in `cont` (null: the call ends). */
  list(stmts: Stmt[], cont: string | null): string | null;
  /**
   * Both ways out of the `if` at stmts[i] (one branch): with an else, both lead on to the list after
   * it; without, the list after it is the `no` way (and where `yes` falls through to). `clean` trims a
   * side before it is built (a guard the compiler writes again).
   */
  branches(
    stmts: Stmt[],
    i: number,
    cont: string | null,
    clean?: { yes?: Clean; no?: Clean },
  ): { yes: string | null; no: string | null };
}

export type Clean = (stmts: Stmt[]) => Stmt[];

export function makeWalk(b: FlowBuilder): Walk {
  const walk: Walk = {
    b,
    list: (stmts, cont) => buildList(walk, stmts, cont),
    branches(stmts, i, cont, clean = {}) {
      const s = stmts[i] as IfStmt;
      const yes = clean.yes ?? ((l) => l);
      const no = clean.no ?? ((l) => l);
      if (s.elseBody) {
        const after = walk.list(stmts.slice(i + 1), cont);
        return { yes: walk.list(yes(s.branches[0].body), after), no: walk.list(no(s.elseBody), after) };
      }
      const rest = walk.list(no(stmts.slice(i + 1)), cont);
      return { yes: stopsHere(s, !b.shareHangup) ? null : walk.list(yes(s.branches[0].body), rest), no: rest };
    },
  };
  return walk;
}

function buildList(walk: Walk, stmts: Stmt[], cont: string | null): string | null {
  const pieces: Piece[] = [];
  for (let i = 0; i < stmts.length; ) {
    const p = piece(walk, stmts, i);
    pieces.push(p);
    i = p.end;
  }
  let next = cont;
  for (let k = pieces.length - 1; k >= 0; k--) {
    const p = pieces[k];
    if (p.guard) {
      // answered right before a node that needs media: that node answers (the compiler writes the guard)
      if (k + 1 < pieces.length && pieces[k + 1].media) continue;
      // else an empty play node: it only answers (the flow answers before the first node needing media)
      const id = walk.b.node('play', { label: 'Answer', prompts: [], interruptible: true });
      walk.b.edge(id, 'next', next);
      next = id;
      continue;
    }
    const answer = k > 0 && pieces[k - 1].guard !== undefined;
    if (p.code) {
      const run = [...p.code];
      while (k > 0 && pieces[k - 1].code) run.unshift(...pieces[--k].code!);
      const guarded = k > 0 && pieces[k - 1].guard !== undefined;
      next = walk.b.code(run, next, guarded);
      continue;
    }
    next = p.build!(next, answer);
  }
  return next;
}

const isAccept = (c: Expr) =>
  c.kind === 'Binary' && c.op === '!=' && isCall(c.left, 'AcceptCall', 0) && isNull(c.right);

/** `if AcceptCall() != null then stop; end if;` [`answered = true;`], or the flagged form. */
function guardAt(stmts: Stmt[], i: number): number {
  if (isStopIf(stmts[i], isAccept)) {
    const flag = assignOf(stmts[i + 1]);
    return flag && flag.value.kind === 'Bool' && flag.value.value ? 2 : 1;
  }
  const s = stmts[i];
  if (singleIf(s) && s.elseBody === null) {
    const c = s.branches[0].cond;
    const body = s.branches[0].body;
    if (c.kind === 'Unary' && c.operand.kind === 'Name' && body.length === 2 && guardAt(body, 0) === 2) return 1;
  }
  return 0;
}

function piece(walk: Walk, stmts: Stmt[], i: number): Piece {
  const s = stmts[i];
  const guard = guardAt(stmts, i);
  if (guard > 0) return { end: i + guard, media: false, guard: stmts.slice(i, i + guard) };
  // `null;` does nothing (the compiler writes it where a node's branches all go on to a join)
  if (s.kind === 'Null') return { end: i + 1, media: false, build: (next) => next };
  if (s.kind === 'Stop') {
    return { end: stmts.length, media: false, build: () => walk.b.hangup() };
  }
  const jump = assignOf(s);
  const n = jump ? numOf(jump.value) : null;
  const label = jump ? (strOf(jump.value) ?? (n !== null ? String(n) : null)) : null;
  const target = label !== null ? walk.b.labels.get(label) : undefined;
  if (jump && target !== undefined && sameName(jump.name, walk.b.dispatch)) {
    return { end: stmts.length, media: false, build: () => target };
  }
  const found = recognise(walk, stmts, i);
  if (found) return found;
  const run = playRun(stmts, i);
  if (run.length > 0) return playPiece(walk, run, i, true);
  const quiet = playQuiet(stmts, i);
  if (quiet) return playPiece(walk, quiet, i, false);
  const set = assignOf(s);
  const value = set ? templateOf(set.value) : null;
  if (set && value !== null) {
    return {
      end: i + 1,
      media: false,
      build(next) {
        const id = walk.b.node('setVariable', { variable: set.name, value: walk.b.template(value) });
        walk.b.edge(id, 'next', next);
        return id;
      },
    };
  }
  // media: a guard right before kept code is the node's own "answer the call first"
  return { end: i + 1, media: true, code: [s] };
}

/** `SetInterruptOnDTMF(false); PlayFile(…)…; SetInterruptOnDTMF(true);` */
function playQuiet(stmts: Stmt[], i: number): string[] | null {
  const off = stmtCall(stmts[i], 'SetInterruptOnDTMF');
  if (off?.args[0]?.kind !== 'Bool' || off.args[0].value) return null;
  const run = playRun(stmts, i + 1);
  const on = stmtCall(stmts[i + 1 + run.length], 'SetInterruptOnDTMF');
  if (run.length === 0 || !on || on.args[0]?.kind !== 'Bool' || !on.args[0].value) return null;
  return run;
}

function playPiece(walk: Walk, prompts: string[], i: number, interruptible: boolean): Piece {
  return {
    end: i + prompts.length + (interruptible ? 0 : 2),
    media: true,
    build(next) {
      for (const p of prompts) walk.b.prompts.add(p);
      const id = walk.b.node('play', { prompts, interruptible });
      walk.b.edge(id, 'next', next);
      return id;
    },
  };
}

export { nameOf };
