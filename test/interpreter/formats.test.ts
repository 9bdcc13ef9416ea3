// The text format (ObjectToString/ToObject). FindRegEx's expressions are tested in test/regex.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectToString, parseObject } from '../../runtime/cgpl/builtins/textFormat';
import { valuesEqual, type Value } from '../../runtime/cgpl/values';

const valueArb: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.uint8Array({ maxLength: 8 }),
    fc.integer({ min: 0, max: 4_102_444_800 }).map((s) => new Date(s * 1000)),
    fc.array(fc.oneof(tie('v'), fc.constant(null)), { maxLength: 4 }),
    fc
      .dictionary(fc.string({ maxLength: 5 }), tie('v'), { maxKeys: 4 })
      .map((o) => new Map(Object.entries(o)) as Value),
  ),
})).v;

describe('text format', () => {
  it('reads back what it writes', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        const r = parseObject(objectToString(v));
        expect(r.ok).toBe(true);
        if (r.ok) expect(valuesEqual(r.value, v)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[{}()[\]=;,"#a-z0-9 \\]{0,30}$/)), (s) => {
        const r = parseObject(s);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('reports where bad text goes wrong', () => {
    expect(parseObject('{a=1;b=(x,y)')).toMatchObject({ ok: false });
    expect(parseObject('(a, b) extra')).toEqual({ ok: false, error: 'extra text after the object', at: 7 });
    expect(parseObject('#NULL#')).toEqual({ ok: true, value: null });
    expect(parseObject(' "a\\"b\\065" ')).toEqual({ ok: true, value: 'a"bA' });
  });
});
