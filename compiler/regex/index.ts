// One regular-expression semantics for the whole product: CommuniGate's FindRegEx (POSIX extended
// expressions), matched in bounded work. The CG/PL interpreter, the compiled JS module (through
// POSIX_ERE_JS, this module bundled) and the flow validator all use it. See docs/regex.md.
import { parseRegex, RegexSyntaxError, type RegexNote } from './parse';
import { compileProgram, type Program } from './program';
import { runProgram, RegexLimitError, MAX_STEPS } from './vm';

export { RegexSyntaxError, RegexLimitError, MAX_STEPS, type RegexNote };
export { MAX_REPEAT, MAX_DEPTH, MAX_PROGRAM } from './parse';

export interface Regex {
  readonly pattern: string;
  /** Parenthesised groups. */
  readonly groups: number;
  /**
   * The leftmost-longest match as [whole, group 1, …] (a group that took no part is ""), or null.
   * Throws RegexLimitError when the input needs more than maxSteps.
   */
  exec(input: string, maxSteps?: number): string[] | null;
}

class CompiledRegex implements Regex {
  constructor(
    readonly pattern: string,
    readonly groups: number,
    private readonly program: Program,
  ) {}

  exec(input: string, maxSteps = MAX_STEPS): string[] | null {
    const slots = runProgram(this.program, input, maxSteps);
    if (slots === null) return null;
    const out: string[] = [];
    for (let g = 0; g <= this.groups; g++) {
      const from = slots[2 * g]!;
      const to = slots[2 * g + 1]!;
      out.push(from >= 0 && to >= from ? input.slice(from, to) : '');
    }
    return out;
  }
}

const cache = new Map<string, Regex | RegexSyntaxError>();
const CACHE_SIZE = 256;

/** Compiles a POSIX ERE; throws RegexSyntaxError (with the offset) when it is not one. */
export function compileRegex(pattern: string): Regex {
  let r = cache.get(pattern);
  if (r === undefined) {
    try {
      const parsed = parseRegex(pattern);
      r = new CompiledRegex(pattern, parsed.groups, compileProgram(parsed.ast, parsed.groups));
    } catch (e) {
      if (!(e instanceof RegexSyntaxError)) throw e;
      r = e;
    }
    // drop the oldest entry (Maps keep insertion order)
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(pattern, r);
  }
  if (r instanceof RegexSyntaxError) throw r;
  return r;
}

/**
 * FindRegEx(str, picture) as CommuniGate documents it: null when either is not a string, when the
 * picture is not a regular expression, or when there is no match; else [whole, group 1, …].
 * Throws RegexLimitError (a runtime error of the program) when matching needs too much work.
 */
export function findRegEx(input: unknown, pattern: unknown): string[] | null {
  if (typeof input !== 'string' || typeof pattern !== 'string') return null;
  let re: Regex;
  try {
    re = compileRegex(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError) return null;
    throw e;
  }
  return re.exec(input);
}

export interface RegexCheck {
  /** Why the engine refuses the pattern (FindRegEx would answer null every time). */
  error?: { message: string; offset: number };
  /** Valid, but probably not what was meant. */
  notes: RegexNote[];
}

/** What the validator says about a pattern: refused (and where), or remarks on a valid one. */
export function checkRegex(pattern: string): RegexCheck {
  try {
    return { notes: parseRegex(pattern).notes };
  } catch (e) {
    if (e instanceof RegexSyntaxError) return { error: { message: e.message, offset: e.offset }, notes: [] };
    throw e;
  }
}
