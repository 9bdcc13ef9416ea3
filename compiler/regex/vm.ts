// The Pike VM: every thread of the program advances in step over the input, one character at a
// time, and two threads on the same instruction at the same place merge (the one with priority
// stays). Work is at most (program size × input length), whatever the pattern: nothing backtracks.
//
// The match is POSIX's leftmost-longest: the earliest start, then the longest run from there. Among
// the ways to make that match, the groups are those of the way a backtracking search finds first
// (alternatives left to right, repetitions greedy) — the rule of Go's and RE2's POSIX mode, not the
// "longest first group" rule of the standard, which needs a far costlier matcher.
import { contains } from './charset';
import { Op, type Program } from './program';

export class RegexLimitError extends Error {
  constructor(readonly steps: number) {
    super(`the regular expression needs more than ${steps} steps on this input`);
    this.name = 'RegexLimitError';
  }
}

/** Steps (instructions visited) one match may take: about 0.1 s, so a call never stalls the server. */
export const MAX_STEPS = 5_000_000;

/** Thread lists kept per program between matches (matching is synchronous: never two at once). */
const lists = new WeakMap<Program, [ThreadList, ThreadList]>();

class ThreadList {
  pcs: Int32Array;
  caps: number[][] = [];
  n = 0;
  private readonly seen: Uint32Array;
  private generation = 1;

  constructor(size: number) {
    this.pcs = new Int32Array(size);
    this.seen = new Uint32Array(size);
  }

  /** Marks pc as visited in this list; false if it already was. */
  visit(pc: number): boolean {
    if (this.seen[pc] === this.generation) return false;
    this.seen[pc] = this.generation;
    return true;
  }

  push(pc: number, caps: number[]): void {
    this.pcs[this.n] = pc;
    this.caps[this.n] = caps;
    this.n++;
  }

  clear(): void {
    this.n = 0;
    this.caps.length = 0;
    if (++this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.generation = 1;
    }
  }
}

/**
 * The capture slots of the leftmost-longest match (-1 = group not taking part), or null.
 * Throws RegexLimitError when the work exceeds `maxSteps`.
 */
export function runProgram(prog: Program, input: string, maxSteps = MAX_STEPS): number[] | null {
  const { code, sets } = prog;
  const size = code.length / 3;
  const cached = lists.get(prog);
  let clist = cached?.[0] ?? new ThreadList(size);
  let nlist = cached?.[1] ?? new ThreadList(size);
  lists.delete(prog);
  clist.clear();
  nlist.clear();
  let steps = 0;
  const stack: number[] = [];
  const stackCaps: number[][] = [];
  const len = input.length;

  // Follows jumps, splits, saves and anchors from pc at pos, adding the threads that wait for a
  // character (or have matched) to `list`, in priority order.
  const add = (list: ThreadList, pc0: number, caps0: number[], pos: number) => {
    stack.push(pc0);
    stackCaps.push(caps0);
    while (stack.length > 0) {
      const pc = stack.pop()!;
      let caps = stackCaps.pop()!;
      if (!list.visit(pc)) continue;
      if (++steps > maxSteps) throw new RegexLimitError(maxSteps);
      const at = pc * 3;
      switch (code[at]) {
        case Op.Jump:
          stack.push(code[at + 1]!);
          stackCaps.push(caps);
          break;
        case Op.Split:
          // the second branch is pushed first so that the first is explored first
          stack.push(code[at + 2]!, code[at + 1]!);
          stackCaps.push(caps, caps);
          break;
        case Op.Save:
          caps = caps.slice();
          caps[code[at + 1]!] = pos;
          stack.push(pc + 1);
          stackCaps.push(caps);
          break;
        case Op.Bol:
          if (pos === 0) {
            stack.push(pc + 1);
            stackCaps.push(caps);
          }
          break;
        case Op.Eol:
          if (pos === len) {
            stack.push(pc + 1);
            stackCaps.push(caps);
          }
          break;
        default:
          list.push(pc, caps);
      }
    }
  };

  let matched: number[] | null = null;
  const fresh: number[] = new Array(prog.slots).fill(-1);
  for (let pos = 0; ; ) {
    // A new attempt starts here with the lowest priority, while no match has been found.
    if (matched === null && (pos === 0 || !prog.anchored)) add(clist, 0, fresh, pos);
    if (clist.n === 0 && (matched !== null || prog.anchored)) break;
    const cp = pos < len ? input.codePointAt(pos)! : -1;
    const next = pos + (cp > 0xffff ? 2 : 1);
    for (let k = 0; k < clist.n; k++) {
      const pc = clist.pcs[k]!;
      const caps = clist.caps[k]!;
      // a thread that started later than the match found cannot beat it
      if (matched !== null && caps[0]! > matched[0]!) continue;
      steps++;
      if (code[pc * 3] === Op.Match) {
        if (matched === null || caps[0]! < matched[0]! || (caps[0] === matched[0] && caps[1]! > matched[1]!)) {
          matched = caps;
        }
      } else if (cp >= 0 && contains(sets[code[pc * 3 + 1]!]!, cp)) {
        add(nlist, pc + 1, caps, next);
      }
    }
    if (steps > maxSteps) throw new RegexLimitError(maxSteps);
    if (pos >= len) break;
    const t = clist;
    clist = nlist;
    nlist = t;
    nlist.clear();
    pos = next;
  }
  lists.set(prog, [clist, nlist]);
  return matched;
}
