// The parser must never throw or hang, whatever it is given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexCgpl, parseCgpl, type Diagnostic } from '../../compiler/cgpl';
import { errorFixtures, fixture, validFixtures } from './helpers';

function check(src: string): void {
  let r: ReturnType<typeof parseCgpl> | undefined;
  expect(() => {
    r = parseCgpl(src);
  }).not.toThrow();
  const { program, diagnostics } = r!;
  expect(diagnostics.length).toBeLessThanOrEqual(51);
  for (const d of diagnostics as Diagnostic[]) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.code).toMatch(/^CGPL1\d\d$/);
    expect(d.message).not.toMatch(/internal parser error/);
  }
  if (diagnostics.some((d) => d.severity === 'error')) expect(program).toBeNull();
  else expect(program).not.toBeNull();
}

const sources = [...validFixtures(), ...errorFixtures()].map(fixture);

/** Token texts of a fixture, so mutations work on whole tokens. */
function tokenTexts(src: string): string[] {
  const lines = src.split(/\r\n|\r|\n/);
  return lexCgpl(src)
    .tokens.filter((t) => t.kind !== 'eof')
    .map((t) =>
      t.kind === 'string'
        ? t.text
        : t.kind === 'keyword'
          ? lines[t.line - 1].slice(t.col - 1, t.col - 1 + t.text.length)
          : t.text,
    );
}

const pieces = [
  'if',
  'then',
  'end',
  'end if;',
  'loop',
  'exitif',
  '{',
  '}',
  '(',
  ')',
  ';',
  '"',
  '/*',
  '\\',
  '=',
  'and then',
  'x',
  '1',
  '.',
  '::',
  '\uFEFF',
  '\n',
];

describe('fuzz', () => {
  it('random text: never throws, always finishes', () => {
    const alphabet = fc.constantFrom(
      ...'entryMainis()[]{};.,:=+-*/%!&|^?<>"\\ \n\t0123456789xyz#@_é\uFEFF\u0000'.split(''),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: alphabet, maxLength: 400 }),
          fc.array(fc.constantFrom(...pieces), { maxLength: 200 }).map((a) => a.join(' ')),
          fc.string({ unit: 'binary', maxLength: 300 }),
        ),
        (s) => check(s),
      ),
      { numRuns: 800 },
    );
  });

  it('mutated fixtures (delete, insert, swap tokens, truncate): never throw, always finish', () => {
    const tokenised = sources.map(tokenTexts);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...pieces) }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 5 }), (which, mutations) => {
        const toks = [...tokenised[which % tokenised.length]];
        for (const m of mutations) {
          const at = m.at % (toks.length + 1);
          if (m.kind === 'delete') toks.splice(at, m.len);
          else if (m.kind === 'insert') toks.splice(at, 0, m.piece);
          else if (m.kind === 'swap' && toks.length > 0) {
            const a = at % toks.length;
            const b = m.other % toks.length;
            [toks[a], toks[b]] = [toks[b], toks[a]];
          } else if (m.kind === 'truncate') toks.length = at;
        }
        check(toks.join(' '));
      }),
      { numRuns: 1000 },
    );
  });

  it('character-level truncations of every fixture never throw', () => {
    for (const src of sources) for (let k = 0; k < src.length; k += 7) check(src.slice(0, k));
  });

  it('deep nesting is refused quickly instead of overflowing the stack', () => {
    const cases = [
      '('.repeat(10_000),
      `entry Main is x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}; end;`,
      `entry Main is x = ${'-'.repeat(10_000)}1; end;`,
      `entry Main is x = ${'not '.repeat(10_000)}1; end;`,
      `entry Main is ${'if x then '.repeat(5_000)} end;`,
      `entry Main { ${'{'.repeat(10_000)} }`,
      `entry Main is x = a${'.b'.repeat(10_000)}; end;`,
      `entry Main is x = 1${' + 1'.repeat(10_000)}; end;`,
      `entry Main is x = ${'a ? '.repeat(10_000)}; end;`,
    ];
    for (const src of cases) {
      const t = performance.now();
      const r = parseCgpl(src);
      expect(performance.now() - t).toBeLessThan(1000);
      expect(r.program).toBeNull();
      expect(r.diagnostics.some((d) => /too deep/.test(d.message))).toBe(src.startsWith('entry'));
    }
  });

  it('reads string literals of 12 MB, plain and full of escapes, without overflowing the stack', () => {
    const size = 12 * 1024 * 1024;
    for (const [body, value] of [
      ['a'.repeat(size), 'a'.repeat(size)],
      ['\\"'.repeat(size / 2), '"'.repeat(size / 2)],
      [`${'x'.repeat(size)}\\\\`, `${'x'.repeat(size)}\\`],
    ]) {
      const { tokens, diagnostics } = lexCgpl(`entry Main is x = "${body}"; end;`);
      expect(diagnostics).toEqual([]);
      const literal = tokens.find((t) => t.kind === 'string');
      expect(literal?.str?.length).toBe(value!.length);
      expect(literal?.str === value).toBe(true);
    }
    // still one line: an unterminated huge literal is reported where it starts
    const open = parseCgpl(`entry Main is x = "${'a'.repeat(size)}\nend;`).diagnostics;
    expect(open[0]).toMatchObject({ code: 'CGPL102', line: 1, column: 19 });
  });

  it('accepts nesting up to a realistic depth', () => {
    const r = parseCgpl(
      `entry Main is x = ${'('.repeat(100)}1${')'.repeat(100)}; ${'if x then '.repeat(100)}stop;${' end if;'.repeat(100)} end;`,
    );
    expect(r.diagnostics).toEqual([]);
  });
});
