// The debugger hook's variables: the innermost routine's, named as first written, as JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCgpl, type Program } from '../../compiler/cgpl';
import { runProgram, toJsonSafe, type StepPos, type StepFrame } from '../../runtime/cgpl';
import { MAX_DEPTH, MAX_ITEMS, MAX_VALUES } from '../../runtime/cgpl/debug';
import { TaskHandle, type Value } from '../../runtime/cgpl/values';
import { TestCall } from '../helpers/testCall';

function parse(source: string): Program {
  const r = parseCgpl(source, 'test.sppr');
  expect(r.diagnostics).toEqual([]);
  return r.program!;
}

/** Runs `source`, taking a snapshot of the variables before each statement on one of `lines`. */
async function snapshots(
  source: string,
  lines: number[],
  script: string[] = [],
): Promise<Map<number, Record<string, unknown>[]>> {
  const seen = new Map<number, Record<string, unknown>[]>();
  const result = await runProgram(parse(source), new TestCall({ script }), {
    onStep: (pos: StepPos, frame: StepFrame) => {
      if (!lines.includes(pos.line)) return;
      seen.set(pos.line, [
        ...(seen.get(pos.line) ?? []),
        JSON.parse(JSON.stringify(frame.variables())) as Record<string, unknown>,
      ]);
    },
  });
  expect(result.error).toBeUndefined();
  return seen;
}

describe('variables in the debugger hook', () => {
  it('shows the running routine’s variables, named as first written, null until assigned', async () => {
    const source = [
      'entry Main is',
      '  Digits = "";',
      '  input = ReadInput(5);',
      '  digits = DIGITS + input;',
      '  n = 12;',
      '  stop;',
      'end;',
    ].join('\n');
    const seen = await snapshots(source, [2, 6], ['7']);
    expect(seen.get(2)).toEqual([{ Digits: null, input: null, n: null }]);
    expect(seen.get(6)).toEqual([{ Digits: '7', input: '7', n: 12 }]);
  });

  it('shows the innermost frame: a function’s parameters and locals, then the caller’s again', async () => {
    const source = [
      'function Twice(x) forward;',
      'entry Main is',
      '  a = 5;',
      '  b = Twice(a);',
      '  SysLog(b);',
      'end;',
      'function Twice(x) is',
      '  y = x * 2;',
      '  return y;',
      'end;',
    ].join('\n');
    const seen = await snapshots(source, [5, 8, 9]);
    expect(seen.get(8)).toEqual([{ x: 5, y: null }]);
    expect(seen.get(9)).toEqual([{ x: 5, y: 10 }]);
    expect(seen.get(5)).toEqual([{ a: 5, b: 10 }]);
  });

  it('converts every kind of value', async () => {
    const source = [
      'entry Main is',
      '  big = 9007199254740993;',
      '  list = NewArray();',
      '  list[0] = "x";',
      '  list[1] = 3;',
      '  d = NewDictionary();',
      '  d.key = list;',
      '  blob = ToObject("[YWJj]");',
      '  when = GMTTime();',
      '  stop;',
      'end;',
    ].join('\n');
    const seen = await snapshots(source, [10]);
    const vars = seen.get(10)![0]!;
    expect(vars.big).toBe('9007199254740993');
    expect(vars.list).toEqual(['x', 3]);
    expect(vars.d).toEqual({ key: ['x', 3] });
    expect(vars.blob).toBe('<datablock 3 bytes>');
    expect(vars.when).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('is computed only when asked, and sees the frame as it is when asked', async () => {
    const p = parse('entry Main is\n  x = 1;\n  x = 2;\n  stop;\nend;');
    const frames: StepFrame[] = [];
    await runProgram(p, new TestCall(), {
      onStep: (_pos, frame) => {
        frames.push(frame);
      },
    });
    expect(frames).toHaveLength(3);
    // The program has ended: each accessor reads the one frame as the program left it.
    expect(frames[0]!.variables()).toEqual({ x: 2 });
  });
});

describe('toJsonSafe', () => {
  it('summarises deep, wide and self-containing structures', () => {
    const self = new Map<string, Value>();
    self.set('me', self);
    expect(JSON.stringify(toJsonSafe(self))).toBe(
      `${'{"me":'.repeat(MAX_DEPTH)}"<dictionary of 1>"${'}'.repeat(MAX_DEPTH)}`,
    );
    // 50 × 50 × 50 numbers would be 125 000 values: the snapshot lists at most MAX_VALUES of them.
    const cube: Value = Array.from({ length: 50 }, () =>
      Array.from({ length: 50 }, () => Array.from({ length: 50 }, () => 1n)),
    );
    const listed = JSON.stringify(toJsonSafe(cube)).match(/\b1\b/g)?.length ?? 0;
    expect(listed).toBeGreaterThan(MAX_VALUES / 2);
    expect(listed).toBeLessThanOrEqual(MAX_VALUES);
    const wide = Array.from({ length: MAX_ITEMS + 7 }, (_, i) => BigInt(i));
    const shown = toJsonSafe(wide) as unknown[];
    expect(shown).toHaveLength(MAX_ITEMS + 1);
    expect(shown.at(-1)).toBe('… 7 more');
    expect(toJsonSafe(new TaskHandle('t1'))).toBe('<task t1>');
    expect(toJsonSafe(new Date(Number.NaN))).toBe('<timestamp invalid>');
    const proto = new Map<string, Value>([['__proto__', 'x']]);
    expect(JSON.stringify(toJsonSafe(proto))).toBe('{"__proto__":"x"}');
  });

  it('always gives JSON that survives a round trip, within the size cap', () => {
    const leaf: fc.Arbitrary<Value> = fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.uint8Array({ maxLength: 8 }),
      fc.date({ noInvalidDate: false }),
    );
    const { value } = fc.letrec<{ value: Value }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('value'), { maxLength: 60 }),
        fc.array(fc.tuple(fc.string({ maxLength: 5 }), tie('value')), { maxLength: 60 }).map((es) => new Map(es)),
      ),
    }));
    fc.assert(
      fc.property(value, (v) => {
        const json = JSON.stringify(toJsonSafe(v));
        expect(JSON.stringify(JSON.parse(json))).toBe(json);
        // Every listed value costs at least a few characters; the cap keeps the text bounded.
        expect(json.length).toBeLessThan(MAX_VALUES * 200 + 10_000);
      }),
      { numRuns: 200 },
    );
  });
});
