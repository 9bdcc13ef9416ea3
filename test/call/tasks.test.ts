// Tasks on the Call API: spawn, events with their sender, StartBridge answered by AcceptBridge or
// RejectBridge, a bridge broken by a hang-up, and a bridged call placed by a helper task.
import { describe, expect, it } from 'vitest';
import { PbxEnvironment } from '../../compiler/flow/pbx';
import type { CallSession, InputEvent } from '../../runtime/call/api';
import { directoryEnvironment } from '../../runtime/call/environment';
import { createSimulatedCall } from '../../runtime/call/simulated';

const env = directoryEnvironment('/nonexistent', {
  pbx: PbxEnvironment.parse({
    accounts: [
      { name: 'ivanov', phone: { status: 'answers', ringSeconds: 2, talkSeconds: 10 } },
      { name: 'petrov', phone: { status: 'busy' } },
    ],
  }),
});

const call = (caller: Parameters<typeof createSimulatedCall>[0] = {}) =>
  createSimulatedCall({ environment: env, now: '2026-12-07T10:00:00Z', account: 'pbx', ...caller });

describe('tasks', () => {
  it('a spawned task starts disconnected with its parameter, and its events name it as sender', async () => {
    const c = call();
    let got: unknown;
    let childMode: string | undefined;
    await c.run(async (s) => {
      const child = s.spawn(
        async (t) => {
          childMode = t.mode();
          expect(t.startParameter()).toEqual({ n: 1 });
          expect(t.sendEvent(s.task(), 'Hello', 'there')).toBeNull();
        },
        { n: 1 },
      );
      got = await s.readInput(5);
      expect((got as InputEvent).sender).toEqual(child);
    });
    expect(childMode).toBe('disconnected');
    expect(got).toMatchObject({ what: 'Hello', parameter: 'there' });
    expect(c.trace.ofKind('task').map((e) => `${e.id} ${e.state}`)).toEqual(['t2 started', 't2 ended']);
  });

  it('StartBridge waits for AcceptBridge (null) or RejectBridge (its error)', async () => {
    const c = call({ caller: [{ wait: 30_000 }, { hangup: true }] });
    const results: (string | null)[] = [];
    await c.run(async (s) => {
      await s.accept();
      const agent = (answer: 'accept' | 'reject') => async (t: CallSession) => {
        t.startCall('ivanov');
        // the StartBridge came first, then the call's progress
        let event: InputEvent | null = null;
        for (
          let e = (await t.readInput(5)) as InputEvent | null;
          e !== null;
          e = (await t.readInput(5)) as InputEvent | null
        ) {
          if (e.what === 'StartBridge') event = e;
          if (e.what === 'CallCompleted') break;
        }
        if (!event) throw new Error('no StartBridge event');
        if (answer === 'reject') return t.rejectBridge(event, 'not now');
        results.push(await t.acceptBridge(event));
        await t.readInput(60); // until the bridge breaks
      };
      results.push(await s.startBridge(s.spawn(agent('reject'))));
      results.push(await s.startBridge(s.spawn(agent('accept'))));
      const after = (await s.readInput(60)) as InputEvent;
      results.push(after.what);
    });
    // ivanov hangs up after 10 s of talk: the bridge breaks and the caller's task hears BreakBridge
    expect(results).toEqual(['not now', null, null, 'BreakBridge']);
    expect(
      c.trace
        .ofKind('bridge')
        .filter((e) => e.task === undefined)
        .map((e) => e.state),
    ).toEqual(['started', 'broken']);
  });

  it("StartBridgedCall: the answer bridges the ingress task, answering its call; busy is StartBridge's error", async () => {
    const helper = (to: string) => async (t: CallSession) => {
      const event = (await t.readInput(5)) as InputEvent;
      expect(t.startBridgedCall(to, event)).toBeNull();
      for (
        let e = await t.readInput(10);
        e !== null && (e as InputEvent).what !== 'BreakBridge';
        e = await t.readInput(10)
      );
    };
    const busy = call();
    let error: string | null = 'unset';
    await busy.run(async (s) => {
      error = await s.startBridge(s.spawn(helper('petrov')));
      expect(s.mode()).toBe('incoming');
    });
    expect(error).toBe('busy');

    const ok = call({ caller: [{ wait: 5000 }, { hangup: true }] });
    await ok.run(async (s) => {
      expect(await s.startBridge(s.spawn(helper('ivanov')))).toBeNull();
      expect(s.mode()).toBe('connected');
      await s.readInput(60);
    });
    expect(ok.trace.ofKind('answered')).toHaveLength(1);
    expect(ok.endedBy).toBe('caller');
  });
});
