// A plain backtracking matcher over the parsed expression, for small inputs only: it tries every
// way, in the order a backtracking search takes them, and picks the leftmost-longest match, the
// first way to it giving the groups. It shares nothing with the VM but the parser's tree.
import { contains } from '../../compiler/regex/charset';
import type { Ast } from '../../compiler/regex/parse';

export class TooManyPaths extends Error {}

type Caps = readonly number[];
type Cont = (pos: number, caps: Caps) => void;

export function referenceMatch(ast: Ast, groups: number, input: string, maxPaths = 200_000): number[] | null {
  // Characters as code points with their offsets, so '.' takes a whole surrogate pair.
  const starts: number[] = [];
  for (let i = 0; i < input.length; i += input.codePointAt(i)! > 0xffff ? 2 : 1) starts.push(i);
  const len = input.length;
  const nextOf = (pos: number) => pos + (input.codePointAt(pos)! > 0xffff ? 2 : 1);
  let paths = 0;

  const m = (node: Ast, pos: number, caps: Caps, k: Cont): void => {
    if (++paths > maxPaths) throw new TooManyPaths();
    switch (node.kind) {
      case 'set':
        if (pos < len && contains(node.set, input.codePointAt(pos)!)) k(nextOf(pos), caps);
        return;
      case 'bol':
        if (pos === 0) k(pos, caps);
        return;
      case 'eol':
        if (pos === len) k(pos, caps);
        return;
      case 'concat': {
        const step = (i: number, p: number, c: Caps): void => {
          if (i === node.items.length) k(p, c);
          else m(node.items[i]!, p, c, (p2, c2) => step(i + 1, p2, c2));
        };
        step(0, pos, caps);
        return;
      }
      case 'alt':
        for (const item of node.items) m(item, pos, caps, k);
        return;
      case 'group': {
        const open = [...caps];
        open[2 * node.index] = pos;
        m(node.body, pos, open, (p, c) => {
          const closed = [...c];
          closed[2 * node.index + 1] = p;
          k(p, closed);
        });
        return;
      }
      case 'repeat': {
        const { min, max, body } = node;
        const rep = (count: number, p: number, c: Caps): void => {
          if (count < min) {
            m(body, p, c, (p2, c2) => rep(count + 1, p2, c2));
            return;
          }
          if (max < 0 || count < max) {
            // greedy: one more first; past the required count, an unbounded repetition must move on
            m(body, p, c, (p2, c2) => {
              if (max < 0 && p2 === p) return;
              rep(count + 1, p2, c2);
            });
          }
          k(p, c);
        };
        rep(0, pos, caps);
        return;
      }
    }
  };

  const empty: Caps = new Array(2 * (groups + 1)).fill(-1);
  for (const start of [...starts, len]) {
    let best: number[] | null = null;
    m(ast, start, empty, (end, caps) => {
      if (best === null || end > best[1]!) {
        best = [...caps];
        best[0] = start;
        best[1] = end;
      }
    });
    if (best) return best;
  }
  return null;
}

/** Whether some unbounded repetition's body can match the empty string (the two matchers may then pick different groups). */
export function hasNullableLoop(ast: Ast): boolean {
  switch (ast.kind) {
    case 'concat':
    case 'alt':
      return ast.items.some(hasNullableLoop);
    case 'group':
      return hasNullableLoop(ast.body);
    case 'repeat':
      return (ast.max < 0 && nullable(ast.body)) || hasNullableLoop(ast.body);
    default:
      return false;
  }
}

function nullable(ast: Ast): boolean {
  switch (ast.kind) {
    case 'set':
      return false;
    case 'bol':
    case 'eol':
      return true;
    case 'concat':
      return ast.items.every(nullable);
    case 'alt':
      return ast.items.some(nullable);
    case 'group':
      return nullable(ast.body);
    case 'repeat':
      return ast.min === 0 || nullable(ast.body);
  }
}
