// Every call operation in every call mode: inside its documented modes it acts, outside it answers
// what the documentation says (an error string, null, or nothing at all) and the trace says so.
import { describe, expect, it } from 'vitest';
import { CALL_MODES, type CallMode, MODE_RULES, ModeMachine, type CallOperation } from '../../runtime/call/modes';
import { createSimulatedCall, type SimulatedCall } from '../../runtime/call/simulated';
import type { CallSession } from '../../runtime/call/api';
import { directoryEnvironment } from '../../runtime/call/environment';
import { PbxEnvironment } from '../../compiler/flow/pbx';

const env = directoryEnvironment('/nonexistent', {
  pbx: PbxEnvironment.parse({
    accounts: [
      { name: 'ivanov', phone: { status: 'noAnswer' } },
      { name: 'petrov', phone: { status: 'answers', ringSeconds: 1 } },
    ],
  }),
});

/** A run whose first task is in `mode` when `act` runs; `act` may wait (the clock moves on its own). */
async function inMode(mode: CallMode, act: (s: CallSession, call: SimulatedCall) => Promise<unknown>) {
  const call = createSimulatedCall({ environment: env, now: '2026-12-07T10:00:00Z', account: 'pbx' });
  let seen: CallMode | undefined;
  let result: unknown;
  await call.run(async (s) => {
    if (mode === 'provisioned') await s.provision(true);
    if (mode === 'connected') await s.accept();
    if (mode === 'disconnected' || mode === 'dialling') call.hangup();
    if (mode === 'dialling') s.startCall('ivanov');
    seen = s.mode();
    result = await act(s, call);
    if (s.mode() === 'dialling') s.cancelCall();
  });
  expect(seen).toBe(mode);
  return { call, result };
}

/** The operation as a program calls it, returning what the built-in returns (undefined for a procedure). */
const OPERATIONS: Record<CallOperation, (s: CallSession) => Promise<unknown> | unknown> = {
  AcceptCall: (s) => s.accept(),
  RejectCall: (s) => s.reject(486),
  RedirectCall: (s) => s.redirect('sip:petrov@company.com'),
  ForkCall: (s) => s.fork('sip:petrov@company.com'),
  ProvisionCall: (s) => s.provision(true),
  TransferCall: (s) => s.transfer('petrov'),
  TransferSupported: (s) => s.transferSupported(),
  IncomingRequestURI: (s) => s.incomingRequestUri(),
  PendingRequestData: (s) => s.pendingRequestData('Call-ID'),
  RemoteURI: (s) => s.remoteUri(),
  RemoteAuthentication: (s) => s.remoteAuthentication(),
  PlayFile: (s) => s.playFile('Welcome'),
  Record: (s) => s.record(2),
  SendDTMF: () => null,
  Disconnect: (s) => s.disconnect(),
  StartCall: (s) => s.startCall('petrov'),
  StartBridgedCall: (s) => s.startBridgedCall('petrov', { what: 'StartBridge' }),
  CancelCall: (s) => s.cancelCall(),
  StartBridge: (s) => s.startBridge({ taskId: 'nobody' }),
  AcceptBridge: (s) => s.acceptBridge({ what: 'StartBridge' }),
};

const refusals = (call: SimulatedCall, op: string) => call.trace.ofKind('refused').filter((e) => e.op === op);

describe('every call operation in every call mode', () => {
  for (const op of Object.keys(MODE_RULES) as CallOperation[]) {
    if (op === 'SendDTMF') continue; // a SIP-only operation (sip-net); no simulated peer sends keys
    for (const mode of CALL_MODES) {
      const rule = MODE_RULES[op];
      const allowed = (rule.modes as readonly CallMode[]).includes(mode);
      it(`${op} in ${mode} mode ${allowed ? 'acts' : `answers ${rule.outside.kind}`}`, async () => {
        const { call, result } = await inMode(mode, async (s) => OPERATIONS[op](s));
        if (allowed) {
          expect(refusals(call, op)).toEqual([]);
          return;
        }
        const outside = rule.outside as { kind: string; text?: string };
        // Queries answer null quietly; operations that do something say in the trace why they did not.
        if (outside.kind === 'null') return void expect(result === null || result === false).toBe(true);
        const afterHangup = mode === 'disconnected';
        if (op === 'AcceptCall' && afterHangup) return void expect(result).toBe('call is already disconnected');
        if (op === 'PlayFile' && afterHangup) {
          expect(call.trace.ofKind('prompt-skipped').map((e) => e.reason)).toEqual(['hangup']);
          return;
        }
        expect(refusals(call, op)).toHaveLength(1);
        if (outside.kind === 'error') expect(result).toBe(outside.text);
        else expect(result).toBeUndefined();
      });
    }
  }
});

describe('what each operation does in its modes', () => {
  it('AcceptCall connects; IsConnected and IsHalfConnected follow the mode', async () => {
    await inMode('incoming', async (s) => {
      expect([s.isConnected(), s.isHalfConnected()]).toEqual([false, false]);
      await s.provision(true);
      expect([s.isConnected(), s.isHalfConnected()]).toEqual([false, true]);
      expect(await s.accept()).toBeNull();
      expect([s.isConnected(), s.isHalfConnected(), s.mode()]).toEqual([true, true, 'connected']);
    });
  });

  it('PlayFile works while provisioned (early media)', async () => {
    const { call } = await inMode('provisioned', (s) => s.playFile('Welcome'));
    expect(call.trace.ofKind('prompt-started').map((e) => e.name)).toEqual(['Welcome']);
  });

  it('ForkCall leaves the task as it was; RedirectCall disconnects it', async () => {
    await inMode('incoming', async (s) => {
      await s.fork('sip:ivanov@company.com');
      expect(s.mode()).toBe('incoming');
      await s.redirect('sip:petrov@company.com');
      expect(s.mode()).toBe('disconnected');
    });
  });

  it('IncomingRequestURI and PendingRequestData("Call-ID") while the INVITE is pending', async () => {
    await inMode('incoming', async (s) => {
      expect(s.incomingRequestUri()).toBe('sip:pbx@company.com');
      expect(s.pendingRequestData('Call-ID')).toBe(s.id);
      expect(s.pendingRequestData('X-Nothing')).toBeNull();
    });
  });

  it('TransferCall hands a connected caller to an answering phone; a phone that never answers fails', async () => {
    const ok = await inMode('connected', (s) => s.transfer('petrov'));
    expect(ok.result).toBeNull();
    expect(ok.call.transferTarget).toBe('petrov');
    expect(ok.call.endedBy).toBe('transfer');
    const no = await inMode('connected', (s) => s.transfer('ivanov'));
    expect(no.result).toBe('no answer');
    expect(no.call.endedBy).toBe('program');
  });

  it('StartCall from a disconnected task dials; the answer connects the task', async () => {
    const { call } = await inMode('disconnected', async (s) => {
      expect(s.startCall('petrov')).toBeNull();
      expect(s.mode()).toBe('dialling');
      const events: unknown[] = [];
      for (let i = 0; i < 2; i++) events.push(await s.readInput(5));
      expect(events).toEqual([{ what: 'CallProvision' }, { what: 'CallCompleted' }]);
      expect(s.mode()).toBe('connected');
      expect(s.remoteUri()).toBe('sip:petrov@company.com');
    });
    expect(call.trace.ofKind('leg').map((e) => e.state)).toEqual(['dialling', 'ringing', 'answered', 'ended']);
  });

  it('the machine refuses a change no call can make', () => {
    const m = new ModeMachine('connected');
    expect(() => m.to('provisioned', 'x')).toThrow(/cannot go from connected to provisioned/);
  });
});
