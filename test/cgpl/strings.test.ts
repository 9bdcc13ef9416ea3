import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cgplStringLiteral, decodeCgplString, parseCgpl } from '../../compiler/cgpl';

/** The value the parser reads from a literal. */
function readBack(literal: string): string | null {
  const r = parseCgpl(`entry Main is x = ${literal}; end;`);
  const s = r.program?.decls[0];
  if (s?.kind !== 'Entry' || s.body[0]?.kind !== 'Assign' || s.body[0].value.kind !== 'String') return null;
  return s.body[0].value.value;
}

const wellFormed = (s: string) => !/[\uD800-\uDFFF]/u.test(s);

describe('cgplStringLiteral', () => {
  it('escapes quotes, backslashes and control characters and keeps other text', () => {
    expect(cgplStringLiteral('say "hi" \\ now')).toBe('"say \\"hi\\" \\\\ now"');
    expect(cgplStringLiteral('a\r\n\tb')).toBe('"a\\r\\n\\tb"');
    expect(cgplStringLiteral('\u0000\u0007\u001b\u007f')).toBe('"\\000\\007\\027\\127"');
    expect(cgplStringLiteral('\u0085')).toBe('"\\194\\133"'); // C1 control: its two UTF-8 bytes
    expect(cgplStringLiteral('Привет 世界 😀')).toBe('"Привет 世界 😀"');
    expect(cgplStringLiteral('a\uD800b')).toBe('"a\uFFFDb"');
  });
});

describe('decodeCgplString', () => {
  it('reads named escapes, decimal byte escapes and code points', () => {
    expect(decodeCgplString('\\"\\\\\\r\\n\\t\\e')).toEqual({ value: '"\\\r\n\t\n', problems: [] });
    expect(decodeCgplString('\\065\\066')).toEqual({ value: 'AB', problems: [] });
    expect(decodeCgplString("\\u'41'\\u'1F600'")).toEqual({ value: 'A😀', problems: [] });
  });
  it('decodes a multi-byte UTF-8 character spelled as consecutive byte escapes', () => {
    expect(decodeCgplString('\\240\\159\\152\\128!').value).toBe('😀!');
    expect(decodeCgplString('x\\208\\159y').value).toBe('xПy');
  });
  it('reports bad escapes with their offset', () => {
    expect(decodeCgplString('ab\\q').problems).toEqual([
      { offset: 2, severity: 'error', message: "unknown escape '\\q' in a string (write '\\\\' for a backslash)" },
    ]);
    expect(decodeCgplString('\\12').problems[0]).toMatchObject({ offset: 0, severity: 'error' });
    expect(decodeCgplString('\\256').problems[0]).toMatchObject({ offset: 0, severity: 'error' });
    expect(decodeCgplString("\\u'D800'").problems[0]).toMatchObject({ offset: 0, severity: 'error' });
    expect(decodeCgplString("\\u'110000'").problems[0]).toMatchObject({ offset: 0, severity: 'error' });
    expect(decodeCgplString('a\\200').problems).toEqual([
      { offset: 1, severity: 'warning', message: 'the bytes \\200 are not valid UTF-8; they read as U+FFFD' },
    ]);
  });
});

describe('literal round trip (property)', () => {
  it('any grapheme string reads back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(readBack(cgplStringLiteral(s))).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
  it('any well-formed binary string (all code points, controls included) reads back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }).filter(wellFormed), (s) => {
        expect(readBack(cgplStringLiteral(s))).toBe(s);
      }),
      { numRuns: 120 } /* fast-check's binary strings are slow to generate */,
    );
  });
});
