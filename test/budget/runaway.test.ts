// A program that loops without waiting for the caller — forced past validation, which refuses such
// flows — is stopped by its budget on either target, its error naming the flow node it was looping
// in, and the call ends. In the server it runs on a call worker: the server keeps answering and other
// calls go on meanwhile.
import { beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../runtime/call/clock';
import { createSimulatedCall } from '../../runtime/call/simulated';
import { callWorkers, runIsolated, simulateCall } from '../../runtime/host';
import { LiveCall } from '../../runtime/server/ws/calls';
import { waitFor } from '../helpers/waitFor';
import { isTrace, useLiveSession } from '../server/helpers';
import { flowOf, forcedProgram, SHAPES } from './forced';

const LOOPING_NODE: Record<keyof typeof SHAPES, string[]> = {
  'intro.next → intro': ['intro'],
  'mail.failed → mail': ['mail'],
  'a 3-node setVariable cycle': ['a', 'b', 'c'],
};
const SHAPE_NAMES = Object.keys(SHAPES) as (keyof typeof SHAPES)[];
/**
 * The budget: 2.5 s of CPU, and never more than 5 s of real time however busy the machine is; the
 * slack is for the call's own start on a loaded machine. `npm run bench` prints the real stop times.
 */
const WITHIN_MS = 6500;

beforeAll(() => callWorkers().warm());
const TARGETS = ['cgpl', 'js'] as const;

describe('a runaway program, simulated (the CLI and scenarios)', () => {
  for (const shape of SHAPE_NAMES)
    for (const target of TARGETS)
      it(`${shape} on ${target}: stopped within 5 s, the error names the node, the call ends`, async () => {
        const started = Date.now();
        const result = await simulateCall(forcedProgram(SHAPES[shape]), { target, refuseEmail: true });
        expect(Date.now() - started).toBeLessThan(WITHIN_MS);
        const [error, ...more] = result.trace.ofKind('error');
        expect(more).toEqual([]);
        expect(LOOPING_NODE[shape]).toContain(error!.nodeId);
        expect(error!.message).toContain(`in node ${error!.nodeId}`);
        expect(result.endedBy).toBe('program');
        expect(result.trace.ofKind('hangup')).toEqual([expect.objectContaining({ by: 'program' })]);
        // Node events are thinned out between waits: the trace stays small.
        expect(result.trace.list().length).toBeLessThan(300);
      });

  it('a prompt wired to itself after the caller hung up: stopped after a bounded number of PlayFile calls', async () => {
    const flow = flowOf(
      [
        { id: 's', type: 'start' },
        { id: 'intro', type: 'play', data: { prompts: ['Hello'] } },
      ],
      [
        ['s', 'next', 'intro'],
        ['intro', 'next', 'intro'],
      ],
    );
    for (const target of TARGETS) {
      const result = await simulateCall(forcedProgram(flow), { target, caller: [{ wait: 3000 }, { hangup: true }] });
      expect(result.endedBy).toBe('caller');
      const [error] = result.trace.ofKind('error');
      expect(error).toMatchObject({ nodeId: 'intro' });
      expect(error!.message).toMatch(
        /^the program kept using the call after it ended \(1000 PBX operations\) in node intro/,
      );
      expect(result.trace.ofKind('prompt-skipped').length).toBeLessThanOrEqual(1001);
    }
  });
});

describe('a runaway program on a call worker', () => {
  it('is stopped there; this thread is never held up', async () => {
    for (const target of TARGETS) {
      const program = forcedProgram(SHAPES['a 3-node setVariable cycle']);
      const call = createSimulatedCall({ environment: program.environment, clock: realClock() });
      let worst = 0;
      let last = performance.now();
      const beat = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }, 10);
      try {
        const started = Date.now();
        const result = await call.run((s) => runIsolated(program, s, { target }).result);
        expect(Date.now() - started).toBeLessThan(WITHIN_MS);
        const [error] = result.trace.ofKind('error');
        expect(['a', 'b', 'c']).toContain(error!.nodeId);
        expect(result.endedBy).toBe('program');
      } finally {
        clearInterval(beat);
      }
      // Far below the seconds the program ran: this thread kept its timers.
      expect(worst).toBeLessThan(2000);
    }
  });

  it('a program stuck where its budget is never checked has its thread stopped from outside', async () => {
    // The budget is checked every 1024 steps; checking never (a stuck native call) looks the same from here.
    const program = forcedProgram(SHAPES['a 3-node setVariable cycle']);
    const call = createSimulatedCall({ environment: program.environment, clock: realClock() });
    const started = Date.now();
    const result = await call.run(
      (s) => runIsolated(program, s, { target: 'js', budget: { runawayMs: 60_000 }, hardStopMs: 1500 }).result,
    );
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
    const [error] = result.trace.ofKind('error');
    expect(error!.message).toMatch(/did not stop; its thread was stopped$/);
    expect(['a', 'b', 'c']).toContain(error!.nodeId);
  });
});

describe('a runaway test call in the designer server', () => {
  const live = useLiveSession();

  for (const target of TARGETS)
    it(`on ${target}: ends within 5 s naming the node; /api/info keeps answering and another call completes`, async () => {
      const messages: Record<string, unknown>[] = [];
      const runaway = new LiveCall({
        id: `call-runaway-${target}`,
        program: forcedProgram(SHAPES['a 3-node setVariable cycle']),
        target,
        mailer: { send: async () => null },
        workspace: live.server.workspace,
        send: (m) => messages.push(m),
      });
      const started = Date.now();
      const ended = runaway.start();
      // Meanwhile: the server answers, and a real test call runs from start to end.
      let slowest = 0;
      const probing = (async () => {
        while (!messages.some((m) => m.type === 'call.ended')) {
          const t = performance.now();
          expect((await live.server.api('/api/info')).status).toBe(200);
          slowest = Math.max(slowest, performance.now() - t);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const other = await live.startCall({ target });
      await live.socket.waitFor(isTrace(other.callId, 'waiting'), 8000, 'the other call waiting');
      live.socket.send({ type: 'call.dtmf', callId: other.callId, digits: '5551234#' });
      const otherEnd = await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === other.callId);
      expect(otherEnd).toMatchObject({ endedBy: 'program' });
      expect(otherEnd.error).toBeUndefined();

      await ended;
      await probing;
      expect(Date.now() - started).toBeLessThan(WITHIN_MS);
      const end = await waitFor('call.ended', () => messages.find((m) => m.type === 'call.ended'));
      expect(end).toMatchObject({ endedBy: 'program' });
      expect(String(end.error)).toMatch(
        /without waiting for the caller in node [abc]|step budget exhausted .* in node [abc]/,
      );
      // The server answered all along (a held-up server would take seconds); npm run bench measures it.
      expect(slowest).toBeLessThan(2000);
    });
});
