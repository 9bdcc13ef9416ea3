// The CPU budget's rules, on a real simulated call: what counts as waiting for the caller, how often
// an ended call may still be asked, how many e-mails a loop may send, and how node events thin out.
import { describe, expect, it } from 'vitest';
import { BudgetExceeded, CallBudget } from '../../runtime/call/budget';
import { VirtualClock } from '../../runtime/call/clock';
import { createSimulatedCall } from '../../runtime/call/simulated';
import { Trace } from '../../runtime/call/trace';

/** Real time as the budget sees it: moved by hand, so the rules are tested without racing the machine. */
let realMs = 0;
let cpuMs = 0;
/** Computing: real time and CPU time pass alike (`share` < 1: the machine is busy with others too). */
const spin = (ms: number, share = 1) => {
  realMs += ms;
  cpuMs += ms * share;
};

function setup(options: ConstructorParameters<typeof CallBudget>[0] = {}) {
  const call = createSimulatedCall({ clock: new VirtualClock(new Date('2026-01-01T00:00:00Z')) });
  const budget = new CallBudget({ now: () => realMs, cpu: () => cpuMs, ...options });
  return { call, budget, session: budget.wrap(call) };
}

describe('CallBudget', () => {
  it('stops a program that computes past runawayMs without waiting, naming its node', () => {
    const { budget, session } = setup({ runawayMs: 50 });
    session.node('loop');
    spin(20);
    budget.check();
    spin(60);
    expect(() => budget.check()).toThrow(BudgetExceeded);
    expect(() => budget.check()).toThrow(
      /^the program ran 0\.\d s without waiting for the caller in node loop; it was stopped/,
    );
  });

  it('counts CPU time: on a busy machine a program gets more real time, but never more than 1.8 times its budget', () => {
    const { budget, session } = setup({ runawayMs: 100 });
    session.node('busy');
    spin(150, 0.5); // 75 ms of CPU in 150 ms
    budget.check();
    spin(20, 0.5);
    budget.check();
    spin(20, 0.5); // 190 ms of real time: past 1.8 times the budget
    expect(() => budget.check()).toThrow(/^the program ran 0\.1 s without waiting for the caller in node busy/);
    const unknown = setup({ runawayMs: 100, cpu: () => null });
    spin(120);
    expect(() => unknown.budget.check()).toThrow(BudgetExceeded);
  });

  it('a wait that takes time on the call’s clock starts the count again; ReadInput(0) does not', async () => {
    const { budget, session } = setup({ runawayMs: 50 });
    await session.accept();
    spin(40);
    await session.readInput(1); // a second of (virtual) waiting
    spin(40);
    budget.check();
    await session.readInput(0); // only polls: no time passes on the call
    spin(20);
    expect(() => budget.check()).toThrow(BudgetExceeded);
  });

  it('an ended call may be asked a bounded number of times', async () => {
    const { call, session } = setup({ afterEndOps: 5 });
    await session.accept();
    call.hangup();
    for (let i = 0; i < 5; i++) await session.playFile('Hello');
    await expect(session.playFile('Hello')).rejects.toThrow(/kept using the call after it ended \(5 PBX operations\)/);
  });

  it('a loop may send only so many e-mails without waiting for the caller', async () => {
    const { session } = setup({ emailsPerRun: 3 });
    await session.accept();
    const req = { from: 'a@x.ru', to: 'b@x.ru', subject: 's', headers: null, content: 'c' };
    for (let i = 0; i < 3; i++) expect(await session.sendEmail(req)).toBeNull();
    await expect(session.sendEmail(req)).rejects.toThrow(/sent 3 e-mails without waiting/);
    await session.readInput(2);
    expect(await session.sendEmail(req)).toBeNull();
  });

  it('passes on a bounded number of node events between waits, and keeps the last node', async () => {
    const { call, budget, session } = setup({ nodeEventsPerRun: 10 });
    for (let i = 0; i < 100; i++) session.node(`n${i % 3}`);
    expect(call.trace.ofKind('node')).toHaveLength(10);
    expect(budget.node).toBe('n0');
    await session.readInput(1);
    session.node('after');
    expect(call.trace.ofKind('node').at(-1)?.id).toBe('after');
  });
});

describe('Trace', () => {
  it('keeps the newest events past its limit, behind one marker counting the dropped ones', () => {
    const trace = new Trace(new VirtualClock(0), { maxEvents: 100 });
    for (let i = 0; i < 1000; i++) trace.add({ kind: 'log', text: `#${i}` });
    const list = trace.list();
    expect(list.length).toBeLessThanOrEqual(100);
    expect(list[0]).toMatchObject({ kind: 'dropped' });
    const dropped = (list[0] as { count: number }).count;
    expect(dropped + list.length - 1).toBe(1000);
    expect(list.at(-1)).toMatchObject({ kind: 'log', text: '#999' });
    expect(list[1]).toMatchObject({ kind: 'log', text: `#${dropped}` });
    expect(trace.toText()).toMatch(/^00:00\.000 {2}dropped {1}\d+ earlier events/);
  });
});
