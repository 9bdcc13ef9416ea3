// A parsed expression as a program for the Pike VM (vm.ts): a flat list of instructions, every
// repetition count written out, so matching never needs counters or backtracking.
import type { CharSet } from './charset';
import type { Ast } from './parse';

export const Op = {
  /** Consume one character in sets[a]. */
  Char: 0,
  /** Try a, then b (a has priority: the order a backtracking search would take). */
  Split: 1,
  Jump: 2,
  /** Record the position in capture slot a. */
  Save: 3,
  Bol: 4,
  Eol: 5,
  Match: 6,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

export interface Program {
  /** Three numbers per instruction: op, a, b. */
  code: Int32Array;
  sets: CharSet[];
  /** Capture slots: 2 per group, and 2 for the whole match. */
  slots: number;
  /** Every match starts at the start of the input (the expression begins with ^). */
  anchored: boolean;
}

function anchoredStart(ast: Ast): boolean {
  switch (ast.kind) {
    case 'bol':
      return true;
    case 'concat':
      return anchoredStart(ast.items[0]!);
    case 'alt':
      return ast.items.every(anchoredStart);
    case 'group':
      return anchoredStart(ast.body);
    case 'repeat':
      return ast.min > 0 && anchoredStart(ast.body);
    default:
      return false;
  }
}

export function compileProgram(ast: Ast, groups: number): Program {
  const code: number[] = [];
  const sets: CharSet[] = [];
  const emit = (op: Op, a = 0, b = 0): number => {
    code.push(op, a, b);
    return code.length / 3 - 1;
  };
  const patch = (at: number, a: number, b?: number) => {
    code[at * 3 + 1] = a;
    if (b !== undefined) code[at * 3 + 2] = b;
  };
  const here = () => code.length / 3;

  const gen = (node: Ast): void => {
    switch (node.kind) {
      case 'set':
        emit(Op.Char, sets.push(node.set) - 1);
        return;
      case 'bol':
        emit(Op.Bol);
        return;
      case 'eol':
        emit(Op.Eol);
        return;
      case 'concat':
        for (const item of node.items) gen(item);
        return;
      case 'group':
        emit(Op.Save, 2 * node.index);
        gen(node.body);
        emit(Op.Save, 2 * node.index + 1);
        return;
      case 'alt': {
        const jumps: number[] = [];
        const last = node.items.length - 1;
        for (const item of node.items.slice(0, last)) {
          const split = emit(Op.Split);
          gen(item);
          jumps.push(emit(Op.Jump));
          patch(split, split + 1, here());
        }
        gen(node.items[last]!);
        for (const j of jumps) patch(j, here());
        return;
      }
      case 'repeat':
        repeat(node.min, node.max, node.body);
        return;
    }
  };

  const repeat = (min: number, max: number, body: Ast): void => {
    if (max < 0) {
      for (let k = 1; k < min; k++) gen(body);
      if (min > 0) {
        // the last required copy loops: x+
        const top = here();
        gen(body);
        emit(Op.Split, top, here() + 1);
      } else {
        const split = emit(Op.Split);
        gen(body);
        emit(Op.Jump, split);
        patch(split, split + 1, here());
      }
      return;
    }
    for (let k = 0; k < min; k++) gen(body);
    const skips: number[] = [];
    for (let k = min; k < max; k++) {
      const split = emit(Op.Split);
      skips.push(split);
      patch(split, split + 1);
      gen(body);
    }
    for (const s of skips) code[s * 3 + 2] = here();
  };

  emit(Op.Save, 0);
  gen(ast);
  emit(Op.Save, 1);
  emit(Op.Match);
  return { code: Int32Array.from(code), sets, slots: 2 * (groups + 1), anchored: anchoredStart(ast) };
}
