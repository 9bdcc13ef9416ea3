// Random patterns and inputs: the engine never throws anything but its two errors, stays within its
// linear bound, agrees with a backtracking reference, and the JS module's bundled copy agrees with it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegex, findRegEx, RegexSyntaxError } from '../../compiler/regex';
import { POSIX_ERE_JS } from '../../compiler/regex/embedded';
import { parseRegex } from '../../compiler/regex/parse';
import { compileProgram } from '../../compiler/regex/program';
import { runProgram } from '../../compiler/regex/vm';
import { hasNullableLoop, referenceMatch, TooManyPaths } from './reference';

/** Patterns built from the grammar, so most are valid. */
const pattern: fc.Arbitrary<string> = fc.letrec<{ alt: string; branch: string; piece: string; atom: string }>(
  (tie) => ({
    alt: fc.array(tie('branch'), { minLength: 1, maxLength: 3 }).map((bs) => bs.join('|')),
    branch: fc.array(tie('piece'), { minLength: 1, maxLength: 3 }).map((ps) => ps.join('')),
    piece: fc.oneof(
      fc
        .tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{0,2}', '{1}', '{2,}', '{1,3}'))
        .map(([a, q]) => a + q),
      fc.constantFrom('^', '$'),
    ),
    atom: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom('a', 'b', '1', '-', '.', '\\.', '\\*', ')'),
      fc.constantFrom('[ab]', '[^a]', '[[:digit:]]', '[a-c]', '[]a]', '[[:alpha:]1]', '[^[:space:]]', '[-a]'),
      tie('alt').map((a) => `(${a})`),
    ),
  }),
).alt;

/** Any text over the metacharacters: mostly refused, never a crash. */
const anyPattern = fc.string({ unit: fc.constantFrom(...'ab1()[]{}^$.*+?|\\-:,=2'.split('')), maxLength: 14 });
const input = fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', ']', '\n', '.', '😀'), maxLength: 8 });

const embedded = new Function(`${POSIX_ERE_JS}\nreturn PosixEre;`)() as { findRegEx: typeof findRegEx };

describe('the regex engine on random patterns', () => {
  it('only ever refuses a pattern with RegexSyntaxError, and never throws while matching', () => {
    fc.assert(
      fc.property(fc.oneof(pattern, anyPattern), input, (p, s) => {
        try {
          compileRegex(p).exec(s);
        } catch (e) {
          if (!(e instanceof RegexSyntaxError)) throw e;
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.offset).toBeLessThanOrEqual(p.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('takes at most 2 × program size × (input length + 1) steps', () => {
    fc.assert(
      fc.property(pattern, fc.string({ unit: fc.constantFrom('a', 'b', '1', '-'), maxLength: 200 }), (p, s) => {
        let parsed: ReturnType<typeof parseRegex>;
        try {
          parsed = parseRegex(p);
        } catch {
          return;
        }
        const prog = compileProgram(parsed.ast, parsed.groups);
        const bound = 2 * (prog.code.length / 3) * (s.length + 1);
        runProgram(prog, s, bound); // throws RegexLimitError past the bound
      }),
      { numRuns: 1000 },
    );
  });

  it('finds the match a backtracking search finds (groups too, unless a loop can match empty)', () => {
    let compared = 0;
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        let parsed: ReturnType<typeof parseRegex>;
        try {
          parsed = parseRegex(p);
        } catch {
          return;
        }
        let expected: number[] | null;
        try {
          expected = referenceMatch(parsed.ast, parsed.groups, s);
        } catch (e) {
          if (e instanceof TooManyPaths) return;
          throw e;
        }
        compared++;
        const got = runProgram(compileProgram(parsed.ast, parsed.groups), s);
        const slots = got === null ? null : Array.from(got);
        if (expected === null || slots === null || hasNullableLoop(parsed.ast)) {
          expect(slots?.slice(0, 2) ?? null, `${p} on ${JSON.stringify(s)}`).toEqual(expected?.slice(0, 2) ?? null);
        } else {
          expect(slots, `${p} on ${JSON.stringify(s)}`).toEqual(expected);
        }
      }),
      { numRuns: 3000 },
    );
    expect(compared).toBeGreaterThan(2000);
  });

  it('the copy bundled into JS modules answers exactly as the engine', () => {
    fc.assert(
      fc.property(fc.oneof(pattern, anyPattern), input, (p, s) => {
        expect(embedded.findRegEx(s, p)).toEqual(findRegEx(s, p));
      }),
      { numRuns: 1000 },
    );
  });
});
