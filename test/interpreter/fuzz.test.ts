// Random programs never throw out of runProgram, never hang, never hit an internal error.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCgpl, type BinaryOp, type Decl, type Expr, type Program, type Stmt } from '../../compiler/cgpl';
import { runProgram, type RunResult } from '../../runtime/cgpl';
import { TestCall, type ScriptStep } from '../helpers/testCall';

const BUDGET = 400;
const pos = { line: 1, col: 1 };
const NAMES = ['a', 'b', 'C', 'input'];
/** Callees with the argument count they accept, so most programs get past the link checks. */
const CALLEES: [string, number][] = [
  ['Length', 1],
  ['Substring', 3],
  ['String', 1],
  ['Number', 1],
  ['IsString', 1],
  ['FindRegEx', 2],
  ['ToObject', 1],
  ['ObjectToString', 1],
  ['NewArray', 0],
  ['NewDictionary', 0],
  ['ReadInput', 1],
  ['SendEMail', 5],
  ['AcceptCall', 0],
  ['IsDisconnectEvent', 1],
  ['DTMF', 0],
  ['WeekDay', 1],
  ['LocalTime', 0],
  ['TimeOfDay', 1],
  ['JSONToObject', 1],
  ['ObjectToJSON', 1],
  ['FindSubstring', 2],
  ['F', 1],
  ['Vars', 0],
  ['Nope', 1],
  ['Length', 2],
];
const OPS: BinaryOp[] = ['+', '-', '*', '/', '%', '==', '!=', '<', '>=', 'and', 'or', 'xor', '&', '|', '&&', '||'];

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 6 }).map((value): Expr => ({ kind: 'String', value, pos })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): Expr => ({ kind: 'Number', value, pos })),
    fc.integer({ min: -3, max: 12 }).map((n): Expr => ({ kind: 'Number', value: BigInt(n), pos })),
    fc.constant<Expr>({ kind: 'NullLit', pos }),
    fc.boolean().map((value): Expr => ({ kind: 'Bool', value, pos })),
    fc.constantFrom(...NAMES).map((name): Expr => ({ kind: 'Name', name, pos })),
    fc
      .record({
        callee: fc.constantFrom(...CALLEES),
        args: fc.array(tie('e'), { minLength: 5, maxLength: 5 }),
        method: fc.boolean(),
      })
      .map(
        ({ callee: [callee, n], args, method }): Expr => ({
          kind: 'Call',
          callee,
          module: null,
          args: args.slice(0, n),
          method: method && n > 0,
          pos,
        }),
      ),
    fc
      .record({ op: fc.constantFrom(...OPS), left: tie('e'), right: tie('e') })
      .map((r): Expr => ({ kind: 'Binary', ...r, pos })),
    fc
      .record({ op: fc.constantFrom('-' as const, 'not' as const), operand: tie('e') })
      .map((r): Expr => ({ kind: 'Unary', ...r, pos })),
    fc
      .record({ object: tie('e'), key: fc.oneof(fc.constantFrom('k', 'what'), tie('e')) })
      .map((r): Expr => ({ kind: 'Member', ...r, pos })),
    fc.record({ object: tie('e'), index: tie('e') }).map((r): Expr => ({ kind: 'Index', ...r, pos })),
    fc
      .record({ cond: tie('e'), then: tie('e'), otherwise: tie('e') })
      .map((r): Expr => ({ kind: 'Ternary', ...r, pos })),
    fc.constantFrom('Worker').map((entry): Expr => ({ kind: 'Spawn', entry, arg: null, pos })),
  ),
})).e;

const target = fc.oneof(
  fc.constantFrom(...NAMES).map((name) => ({ kind: 'Name' as const, name, pos })),
  fc
    .record({ name: fc.constantFrom(...NAMES), key: fc.constantFrom('k', 'x') })
    .map(({ name, key }) => ({ kind: 'Member' as const, object: { kind: 'Name' as const, name, pos }, key, pos })),
  fc
    .record({ name: fc.constantFrom(...NAMES), index: exprArb })
    .map(({ name, index }) => ({ kind: 'Index' as const, object: { kind: 'Name' as const, name, pos }, index, pos })),
);

/** Statements valid anywhere; `inLoop` ones may also be exitif. Returns carry no value (F adds its own). */
function statements(tie: (k: 's' | 'ls') => fc.Arbitrary<unknown>, inLoop: boolean): fc.Arbitrary<Stmt> {
  const self = tie(inLoop ? 'ls' : 's') as fc.Arbitrary<Stmt>;
  const loopBody = fc.array(tie('ls') as fc.Arbitrary<Stmt>, { maxLength: 4 });
  const common: fc.Arbitrary<Stmt>[] = [
    fc
      .record({ target, op: fc.constantFrom('=' as const, '+=' as const, '*=' as const), value: exprArb })
      .map((r): Stmt => ({ kind: 'Assign', ...r, pos })),
    fc.record({ callee: fc.constantFrom('PlayFile', 'SysLog', 'P', 'Void'), arg: exprArb }).map(
      ({ callee, arg }): Stmt => ({
        kind: 'CallStmt',
        call: { kind: 'Call', callee, module: null, args: [arg], method: false, pos },
        pos,
      }),
    ),
    fc
      .record({
        cond: exprArb,
        body: fc.array(self, { maxLength: 3 }),
        elseBody: fc.option(fc.array(self, { maxLength: 2 })),
      })
      .map(({ cond, body, elseBody }): Stmt => ({ kind: 'If', branches: [{ cond, body }], elseBody, pos })),
    loopBody.map((body): Stmt => ({ kind: 'Loop', body, pos })),
    fc.record({ cond: exprArb, body: loopBody }).map((r): Stmt => ({ kind: 'While', ...r, pos })),
    fc.constant<Stmt>({ kind: 'Return', value: null, pos }),
    fc.constant<Stmt>({ kind: 'Stop', pos }),
  ];
  if (inLoop)
    common.push(
      exprArb.map((cond): Stmt => ({ kind: 'ExitIf', cond, pos })),
      exprArb.map((cond): Stmt => ({ kind: 'ExitIf', cond, pos })),
    );
  return fc.oneof({ depthSize: 'small', withCrossShrink: true }, ...common);
}

const stmtArb = fc.letrec<{ s: Stmt; ls: Stmt }>((tie) => ({
  s: statements(tie as (k: 's' | 'ls') => fc.Arbitrary<unknown>, false),
  ls: statements(tie as (k: 's' | 'ls') => fc.Arbitrary<unknown>, true),
})).s;

const programArb: fc.Arbitrary<Program> = fc
  .record({
    main: fc.array(stmtArb, { maxLength: 6 }),
    f: fc.array(stmtArb, { maxLength: 4 }),
    result: exprArb,
    p: fc.array(stmtArb, { maxLength: 3 }),
  })
  .map(({ main, f, result, p }) => {
    const decls: Decl[] = [
      {
        kind: 'Function',
        name: 'F',
        params: ['a'],
        body: [...f, { kind: 'Return', value: result, pos }],
        linkage: 'local',
        style: 'basic',
        pos,
      },
      { kind: 'Procedure', name: 'P', params: ['b'], body: p, linkage: 'local', style: 'basic', pos },
      { kind: 'Entry', name: 'Main', body: main, style: 'basic', pos },
      { kind: 'Entry', name: 'Worker', body: [], style: 'basic', pos },
    ];
    return { kind: 'Program', decls };
  });

const scriptArb = fc.array(
  fc.oneof(
    fc.constantFrom<ScriptStep>(null, 'hangup', '1', '#', '12*'),
    fc.constant<ScriptStep>({ event: { what: 'Ping', sender: 'x' } }),
  ),
  { maxLength: 4 },
);

function checkResult(r: RunResult): void {
  expect(['stop', 'end', 'error']).toContain(r.ended);
  expect(r.steps).toBeLessThanOrEqual(BUDGET + 1);
  if (r.error) {
    expect(typeof r.error.message).toBe('string');
    expect(r.error.message).not.toMatch(/internal error/);
  }
}

describe('fuzz', () => {
  it('random ASTs run to a result within the budget', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, scriptArb, async (program, script) => {
        const session = new TestCall({ script });
        const r = await runProgram(program, session, { stepBudget: BUDGET, wallClockMs: 5000, timeZone: 'UTC' });
        checkResult(r);
        expect(session.isConnected()).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated test programs parse or not, and run to a result', async () => {
    const root = join(import.meta.dirname, 'programs');
    const sources = readdirSync(root).flatMap((d) =>
      readdirSync(join(root, d)).map((f) => readFileSync(join(root, d, f), 'utf8')),
    );
    const mutation = fc.record({
      src: fc.constantFrom(...sources),
      at: fc.nat(),
      len: fc.integer({ min: 0, max: 12 }),
      insert: fc.constantFrom(
        '',
        ';',
        'loop ',
        'end loop;',
        '(',
        ')',
        'x',
        '"',
        'return 1;',
        'stop;',
        '+',
        'exitif true;',
        '1/0',
      ),
    });
    await fc.assert(
      fc.asyncProperty(mutation, scriptArb, async ({ src, at, len, insert }, script) => {
        const i = at % (src.length + 1);
        const text = src.slice(0, i) + insert + src.slice(i + len);
        const parsed = parseCgpl(text, 'fuzz.sppr');
        if (!parsed.program) return;
        const r = await runProgram(parsed.program, new TestCall({ script }), {
          stepBudget: BUDGET,
          wallClockMs: 5000,
          timeZone: 'UTC',
        });
        checkResult(r);
      }),
      { numRuns: 500 },
    );
  });
});
