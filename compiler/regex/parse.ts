// The POSIX extended regular expression (ERE) grammar, as FindRegEx documents it. Strict where the
// standard leaves a form undefined (a `\d`, a lazy `+?`, an empty alternative): such a pattern is
// refused with where and why, because a CommuniGate server may read it differently or refuse it.
import { ANY, CLASSES, charSet, complement, type CharSet } from './charset';

export type Ast =
  | { kind: 'set'; set: CharSet }
  | { kind: 'bol' }
  | { kind: 'eol' }
  | { kind: 'concat'; items: Ast[] }
  | { kind: 'alt'; items: Ast[] }
  | { kind: 'group'; index: number; body: Ast }
  /** max -1: no upper limit */
  | { kind: 'repeat'; min: number; max: number; body: Ast };

/** A remark on a valid pattern that probably does not mean what its author meant. */
export interface RegexNote {
  message: string;
  /** 0-based offset in the pattern (UTF-16 units). */
  offset: number;
}

export class RegexSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the pattern (UTF-16 units) where the problem is. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

export interface ParsedRegex {
  ast: Ast;
  /** Number of parenthesised groups. */
  groups: number;
  notes: RegexNote[];
}

/** POSIX's smallest allowed RE_DUP_MAX: counts above it are not portable. */
export const MAX_REPEAT = 255;
/** Nested groups; deeper is refused rather than risking the stack. */
export const MAX_DEPTH = 100;
/** Instructions of the compiled program (repetitions are copied out): keeps every match cheap. */
export const MAX_PROGRAM = 5000;

const ESCAPABLE = '^.[$()|*+?{\\]}';
const SUGGEST: Record<string, string> = {
  d: '[[:digit:]]',
  D: '[^[:digit:]]',
  w: '[[:alnum:]_]',
  W: '[^[:alnum:]_]',
  s: '[[:space:]]',
  S: '[^[:space:]]',
};

/** Parses a pattern; throws RegexSyntaxError. */
export function parseRegex(pattern: string): ParsedRegex {
  return new Parser(pattern).parse();
}

/** Size of the compiled program of a node (see program.ts), to refuse huge expansions early. */
function sizeOf(ast: Ast): number {
  switch (ast.kind) {
    case 'set':
    case 'bol':
    case 'eol':
      return 1;
    case 'concat':
      return ast.items.reduce((n, a) => n + sizeOf(a), 0);
    case 'alt':
      return ast.items.reduce((n, a) => n + sizeOf(a) + 2, 0);
    case 'group':
      return sizeOf(ast.body) + 2;
    case 'repeat': {
      const body = sizeOf(ast.body);
      return ast.max < 0 ? body * Math.max(1, ast.min) + 2 : body * ast.max + 2 * (ast.max - ast.min);
    }
  }
}

class Parser {
  private i = 0;
  private groups = 0;
  private depth = 0;
  private readonly notes: RegexNote[] = [];
  private readonly sizes = new WeakMap<Ast, number>();

  constructor(private readonly p: string) {}

  parse(): ParsedRegex {
    if (this.p === '') throw new RegexSyntaxError('the expression is empty', 0);
    const ast = this.alternation();
    // alternation() stops only at the end or at a ')' closing a group; at depth 0 there is none
    if (this.i < this.p.length) throw new RegexSyntaxError(`unexpected '${this.p[this.i]}'`, this.i);
    const size = this.size(ast);
    if (size > MAX_PROGRAM) {
      throw new RegexSyntaxError(`the expression is too large (${size} steps, at most ${MAX_PROGRAM})`, 0);
    }
    return { ast, groups: this.groups, notes: this.notes };
  }

  private size(ast: Ast): number {
    let n = this.sizes.get(ast);
    if (n === undefined) {
      n = sizeOf(ast);
      this.sizes.set(ast, n);
    }
    return n;
  }

  private alternation(): Ast {
    const items: Ast[] = [this.branch()];
    while (this.p[this.i] === '|') {
      this.i++;
      items.push(this.branch());
    }
    return items.length === 1 ? items[0]! : { kind: 'alt', items };
  }

  private atBranchEnd(): boolean {
    const c = this.p[this.i];
    return c === undefined || c === '|' || (c === ')' && this.depth > 0);
  }

  private branch(): Ast {
    if (this.atBranchEnd()) {
      const what = this.p[this.i] === ')' && this.p[this.i - 1] === '(' ? 'empty group ()' : 'empty alternative';
      throw new RegexSyntaxError(`${what}: POSIX needs something on each side of '|' and inside (…)`, this.i);
    }
    const items: Ast[] = [];
    while (!this.atBranchEnd()) items.push(this.piece());
    return items.length === 1 ? items[0]! : { kind: 'concat', items };
  }

  private piece(): Ast {
    const at = this.i;
    const atom = this.atom();
    const dup = this.duplication(atom, at);
    if (dup === null) return atom;
    const c = this.p[this.i];
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      throw new RegexSyntaxError(
        `'${c}' right after a repetition: lazy (+?) and doubled repetitions are not POSIX; use one of * + ? {m,n}`,
        this.i,
      );
    }
    const size = this.size(dup);
    if (size > MAX_PROGRAM) {
      throw new RegexSyntaxError(
        `this repetition makes the expression too large (${size} steps, at most ${MAX_PROGRAM})`,
        at,
      );
    }
    return dup;
  }

  private duplication(atom: Ast, atomAt: number): Ast | null {
    const c = this.p[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, -1];
    else if (c === '+') [min, max] = [1, -1];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') [min, max] = this.interval();
    else return null;
    if (atom.kind === 'bol' || atom.kind === 'eol') {
      throw new RegexSyntaxError(`'${c}' cannot repeat the anchor '${this.p[atomAt]}'`, this.i);
    }
    if (c !== '{') this.i++;
    return { kind: 'repeat', min, max, body: atom };
  }

  /** `{m}`, `{m,}` or `{m,n}` at this.i; leaves this.i after the `}`. */
  private interval(): [number, number] {
    const at = this.i;
    const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.p.slice(at, at + 16));
    if (!m) {
      throw new RegexSyntaxError(
        "'{' starts a repetition count such as {3} or {2,5}; write \\{ for the character itself",
        at,
      );
    }
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT) {
      throw new RegexSyntaxError(`a repetition count is at most ${MAX_REPEAT}`, at);
    }
    if (max >= 0 && max < min) throw new RegexSyntaxError(`{${min},${max}}: the larger count comes second`, at);
    this.i += m[0].length;
    return [min, max];
  }

  private atom(): Ast {
    const at = this.i;
    const c = this.p[at]!;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return { kind: 'set', set: this.bracket() };
      case '.':
        this.i++;
        return { kind: 'set', set: ANY };
      case '^':
        this.i++;
        return { kind: 'bol' };
      case '$':
        this.i++;
        return { kind: 'eol' };
      case '\\':
        return { kind: 'set', set: this.escape() };
      case '*':
      case '+':
      case '?':
      case '{':
        throw new RegexSyntaxError(`'${c}' has nothing before it to repeat; write \\${c} for the character`, at);
      default:
        return { kind: 'set', set: this.literal() };
    }
  }

  private literal(): CharSet {
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return [cp, cp];
  }

  private group(): Ast {
    const at = this.i;
    if (this.p[at + 1] === '?') {
      throw new RegexSyntaxError("'(?' is not POSIX: groups are plain (…), and every group is captured", at);
    }
    if (this.depth >= MAX_DEPTH) throw new RegexSyntaxError(`groups nest deeper than ${MAX_DEPTH}`, at);
    this.i++;
    this.depth++;
    const index = ++this.groups;
    const body = this.alternation();
    this.depth--;
    if (this.p[this.i] !== ')') throw new RegexSyntaxError("'(' is never closed", at);
    this.i++;
    return { kind: 'group', index, body };
  }

  private escape(): CharSet {
    const at = this.i;
    const n = this.p[at + 1];
    if (n === undefined) throw new RegexSyntaxError('the expression ends with a lone backslash', at);
    if (ESCAPABLE.includes(n)) {
      this.i += 2;
      return [n.charCodeAt(0), n.charCodeAt(0)];
    }
    const suggestion = SUGGEST[n];
    if (suggestion) throw new RegexSyntaxError(`\\${n} is not POSIX; write ${suggestion}`, at);
    if ('bB<>'.includes(n)) throw new RegexSyntaxError(`\\${n} (a word boundary) is not POSIX`, at);
    if (n >= '1' && n <= '9') {
      throw new RegexSyntaxError(`\\${n}: back-references are not part of POSIX extended expressions`, at);
    }
    if ('ntrfv'.includes(n)) {
      throw new RegexSyntaxError(`\\${n} is not a POSIX escape; put the character itself in the expression`, at);
    }
    throw new RegexSyntaxError(`\\${n} is undefined in POSIX; write ${n} alone (or [${n}])`, at);
  }

  /** A bracket expression `[…]` from this.i; leaves this.i after the closing `]`. */
  private bracket(): CharSet {
    const open = this.i;
    const p = this.p;
    let i = open + 1;
    const negate = p[i] === '^';
    if (negate) i++;
    const first = i;
    const pairs: number[] = [];
    let warnedBackslash = false;
    for (;;) {
      if (i >= p.length) throw new RegexSyntaxError("'[' is never closed with ']'", open);
      if (p[i] === ']' && i > first) break;
      if (p[i] === '-' && i > first && p[i + 1] !== ']') {
        throw new RegexSyntaxError("a '-' inside […] makes a range; put a literal '-' first or last", i);
      }
      const from = this.element(i);
      if (p[from.next] === '-' && p[from.next + 1] !== ']' && from.next + 1 < p.length) {
        const to = this.element(from.next + 1);
        if (from.kind === 'class' || from.equivalence || to.kind === 'class' || to.equivalence) {
          throw new RegexSyntaxError('a range runs between two characters, not classes [:…:] or [=…=]', i);
        }
        if (to.cp < from.cp) {
          const text = p.slice(i, to.next);
          throw new RegexSyntaxError(`the range ${text} runs backwards`, i);
        }
        pairs.push(from.cp, to.cp);
        i = to.next;
        continue;
      }
      if (from.kind === 'class') pairs.push(...from.set);
      else {
        if (from.cp === 0x5c && !warnedBackslash) {
          warnedBackslash = true;
          this.notes.push({
            message:
              "a backslash inside […] is an ordinary character in POSIX ([\\d] is '\\' or 'd'; write [[:digit:]])",
            offset: i,
          });
        }
        pairs.push(from.cp, from.cp);
      }
      i = from.next;
    }
    const body = p.slice(first, i);
    if (/^:[a-z]+:$/.test(body)) {
      this.notes.push({
        message: `[${body}] is a set of the characters '${body.slice(1, -1)}:'; the class is written [[${body}]]`,
        offset: open,
      });
    }
    this.i = i + 1;
    const set = charSet(pairs);
    return negate ? complement(set) : set;
  }

  /** One element of a bracket expression at i: a character, [.c.], [=c=] or [:class:]. */
  private element(
    i: number,
  ): { kind: 'char'; cp: number; next: number; equivalence?: true } | { kind: 'class'; set: CharSet; next: number } {
    const p = this.p;
    const kind = p[i + 1];
    if (p[i] === '[' && (kind === ':' || kind === '.' || kind === '=')) {
      const end = p.indexOf(`${kind}]`, i + 2);
      if (end < 0) throw new RegexSyntaxError(`'[${kind}' is never closed with '${kind}]'`, i);
      const name = p.slice(i + 2, end);
      if (kind === ':') {
        const set = CLASSES[name];
        if (!set) {
          throw new RegexSyntaxError(
            `unknown character class [:${name}:] (there are ${Object.keys(CLASSES).join(', ')})`,
            i,
          );
        }
        return { kind: 'class', set, next: end + 2 };
      }
      const cp = name.codePointAt(0);
      if (cp === undefined || name.length !== (cp > 0xffff ? 2 : 1)) {
        const what = kind === '.' ? 'collating element' : 'equivalence class';
        throw new RegexSyntaxError(`[${kind}${name}${kind}]: only single characters are known as a ${what}`, i);
      }
      return kind === '='
        ? { kind: 'char', cp, next: end + 2, equivalence: true }
        : { kind: 'char', cp, next: end + 2 };
    }
    const cp = p.codePointAt(i)!;
    return { kind: 'char', cp, next: i + (cp > 0xffff ? 2 : 1) };
  }
}
