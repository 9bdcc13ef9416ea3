// Interpreter tests on hand-built ASTs (no parser involved).
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../runtime/cgpl';
import {
  add,
  bin,
  call,
  callS,
  entry,
  exitIf,
  func,
  ifS,
  loop,
  name,
  num,
  program,
  ret,
  set,
  stop,
  str,
} from './build';
import { TestCall } from '../helpers/testCall';

describe('interpreter on hand-built ASTs', () => {
  it('counts in a loop and logs the result', async () => {
    const s = new TestCall();
    const p = program(
      entry(
        'Main',
        set('i', num(0)),
        loop(exitIf(bin('>=', name('I'), num(10))), add('i', num(1))),
        callS('SysLog', call('String', name('i'))),
      ),
    );
    const r = await runProgram(p, s);
    expect(r.ended).toBe('end');
    expect(s.logs).toEqual(['10']);
  });

  it('calls a recursive function', async () => {
    const s = new TestCall();
    const fact = func(
      'Fact',
      ['n'],
      ifS(bin('<=', name('n'), num(1)), [ret(num(1))]),
      ret(bin('*', name('n'), call('fact', bin('-', name('n'), num(1))))),
    );
    const r = await runProgram(program(fact, entry('Main', callS('SysLog', call('String', call('Fact', num(20)))))), s);
    expect(r.error).toBeUndefined();
    expect(s.logs).toEqual(['2432902008176640000']);
  });

  it('stops a runaway empty loop with the step budget', async () => {
    const r = await runProgram(program(entry('Main', loop())), new TestCall(), { stepBudget: 1000 });
    expect(r.ended).toBe('error');
    expect(r.error?.message).toBe('step budget exhausted (runaway loop?)');
    expect(r.steps).toBe(1001);
  });

  it('reports an unknown function with its position before running anything', async () => {
    const s = new TestCall();
    const bad = call('PlayFiel', str('x'));
    const r = await runProgram(
      program(entry('Main', callS('SysLog', str('hi')), { kind: 'CallStmt', call: bad, pos: bad.pos })),
      s,
    );
    expect(r).toMatchObject({
      ended: 'error',
      steps: 0,
      error: { code: 'CGPL201', line: bad.pos.line, column: 1, message: "unknown procedure 'PlayFiel'" },
    });
    expect(s.logs).toEqual([]);
  });

  it('ends with stop and hangs up an answered call', async () => {
    const s = new TestCall();
    const r = await runProgram(
      program(entry('Main', callS('Void', call('AcceptCall')), stop(), callS('SysLog', str('never')))),
      s,
    );
    expect(r.ended).toBe('stop');
    expect(s.logs).toEqual([]);
    expect(s.disconnects).toHaveLength(1);
  });

  it('turns a recursion without end into a CG/PL error, not a JS stack overflow', async () => {
    const f = func('F', ['n'], ret(call('F', name('n'))));
    const r = await runProgram(program(f, entry('Main', set('x', call('F', num(1))))), new TestCall());
    expect(r.ended).toBe('error');
    expect(r.error?.message).toMatch(/runaway recursion/);
  });
});
