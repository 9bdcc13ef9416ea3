import { describe, it, expect } from 'vitest';
import { createSimulatedCall, type SimulatedCall, type CallerStep } from '../../runtime/call/simulated';
import type { CallEnvironment } from '../../runtime/call/environment';
import type { TraceEvent } from '../../runtime/call/trace';

/** An environment where every prompt plays `ms` (default 2 s) without touching the disk. */
function fakeEnv(lengths: Record<string, number> = {}): CallEnvironment {
  return {
    defaultLanguage: 'english',
    account: () => ({
      name: 'ivanov',
      email: 'ivanov@company.com',
      domain: 'company.com',
      language: 'english',
      preferences: { Language: 'english' },
    }),
    resolvePrompt: async (name, language) => ({
      name,
      language,
      path: `${name}.wav`,
      durationMs: lengths[name] ?? 2000,
    }),
  };
}

function call(caller: CallerStep[] = [], extra: Parameters<typeof createSimulatedCall>[0] = {}): SimulatedCall {
  return createSimulatedCall({ environment: fakeEnv(), now: '2024-03-04T10:00:00Z', caller, ...extra });
}

const brief = (events: readonly TraceEvent[]) =>
  events
    .filter((e) => e.kind !== 'node' && e.kind !== 'mode')
    .map((e) => {
      const { t, wall: _wall, kind, ...rest } = e;
      const detail = Object.values(rest).join(' ');
      return `${t} ${kind}${detail ? ' ' + detail : ''}`;
    });

describe('PlayFile', () => {
  it('plays for the WAV length on the clock', async () => {
    const c = call();
    await c.run(async (s) => {
      await s.accept();
      await s.playFile('Welcome');
    });
    expect(brief(c.trace.list())).toEqual([
      '0 call-started ivanov@company.com english sip:caller@example.net sip:ivanov@company.com',
      '0 answered',
      '0 prompt-started Welcome english Welcome.wav',
      '2000 prompt-finished Welcome',
      '2000 hangup program',
    ]);
  });

  it('digits typed ahead skip the remaining prompts and stay buffered for ReadInput', async () => {
    const c = call([{ wait: 500 }, { dtmf: '12' }]);
    const inputs: unknown[] = [];
    await c.run(async (s) => {
      await s.accept();
      await s.playFile('A');
      await s.playFile('B');
      inputs.push(await s.readInput(5), await s.readInput(5), s.dtmf());
    });
    expect(brief(c.trace.list())).toEqual([
      expect.stringContaining('call-started'),
      '0 answered',
      '0 prompt-started A english A.wav',
      '500 digit 1 caller',
      '500 digit 2 caller',
      '500 prompt-cut A dtmf 500',
      '500 prompt-skipped B dtmf',
      '500 hangup program',
    ]);
    expect(inputs).toEqual(['1', '2', '']);
  });

  it('keeps playing through digits when SetInterruptOnDTMF is off', async () => {
    const c = call([{ wait: 100 }, { dtmf: '7' }]);
    let got: unknown;
    await c.run(async (s) => {
      await s.accept();
      s.setInterruptOnDtmf(false);
      await s.playFile('A');
      got = await s.readInput(1);
    });
    expect(c.trace.ofKind('prompt-finished').map((e) => [e.name, e.t])).toEqual([['A', 2000]]);
    expect(got).toBe('7');
  });

  it('a queued event cuts the prompt; msec < 0 loops until then', async () => {
    const c = call([{ wait: 3000 }, { event: 'Ping', sender: 'task-2' }]);
    let got: unknown;
    await c.run(async (s) => {
      await s.accept();
      await s.playFile('Music', -1);
      got = await s.readInput(0);
    });
    expect(c.trace.ofKind('prompt-cut')[0]).toMatchObject({ name: 'Music', reason: 'event', afterMs: 3000 });
    expect(got).toEqual({ what: 'Ping', sender: 'task-2' });
  });

  it('msec > 0 plays that long', async () => {
    const c = call();
    await c.run(async (s) => {
      await s.accept();
      await s.playFile('Blank', 500);
    });
    expect(c.trace.ofKind('prompt-finished')[0]?.t).toBe(500);
  });
});

describe('ReadInput', () => {
  it('times out on the virtual clock: 20 s take no real time', async () => {
    const c = call();
    const t0 = Date.now();
    let got: unknown = 'unset';
    await c.run(async (s) => {
      await s.accept();
      got = await s.readInput(20);
    });
    expect(got).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(brief(c.trace.list()).slice(2)).toEqual(['0 waiting 20', '20000 input-timeout 20', '20000 hangup program']);
    expect(c.now().toISOString()).toBe('2024-03-04T10:00:20.000Z');
  });

  it('wakes as soon as a digit comes', async () => {
    const c = call([{ wait: 1500 }, { dtmf: '9' }]);
    let got: unknown;
    await c.run(async (s) => {
      await s.accept();
      got = await s.readInput(20);
    });
    expect(got).toBe('9');
    expect(c.trace.ofKind('hangup')[0]?.t).toBe(1500);
  });

  it('ReadInput(0) only polls', async () => {
    const c = call();
    let got: unknown = 'unset';
    await c.run(async (s) => {
      await s.accept();
      got = await s.readInput(0);
    });
    expect(got).toBeNull();
    expect(c.trace.ofKind('waiting')).toEqual([]);
  });
});

describe('the caller hangs up', () => {
  it('mid-prompt: the prompt is cut, then ReadInput returns Disconnect, repeatedly', async () => {
    const c = call([{ wait: 800 }, { hangup: true }]);
    const inputs: unknown[] = [];
    let connected: boolean | undefined;
    await c.run(async (s) => {
      await s.accept();
      await s.playFile('Welcome');
      await s.playFile('Menu');
      for (let i = 0; i < 3; i++) inputs.push(await s.readInput(20));
      connected = s.isConnected();
    });
    expect(brief(c.trace.list()).slice(1)).toEqual([
      '0 answered',
      '0 prompt-started Welcome english Welcome.wav',
      '800 hangup caller',
      '800 prompt-cut Welcome hangup 800',
      '800 prompt-skipped Menu hangup',
    ]);
    expect(inputs).toEqual([{ what: 'Disconnect' }, { what: 'Disconnect' }, { what: 'Disconnect' }]);
    expect(inputs[0]).not.toHaveProperty('sender');
    expect(connected).toBe(false);
    expect(c.endedBy).toBe('caller');
  });

  it('buffered digits still come first, then Disconnect', async () => {
    const c = call([{ dtmf: '4' }, { hangup: true }]);
    const inputs: unknown[] = [];
    await c.run(async (s) => {
      await s.accept();
      inputs.push(await s.readInput(5), await s.readInput(5));
    });
    expect(inputs).toEqual(['4', { what: 'Disconnect' }]);
  });

  it('an endless menu ends when the caller gives up (maxCallMs)', async () => {
    const c = call([], { maxCallMs: 60_000 });
    let rounds = 0;
    await c.run(async (s) => {
      await s.accept();
      for (;;) {
        const input = await s.readInput(5);
        if (input !== null) break;
        rounds++;
      }
    });
    expect(rounds).toBe(11);
    expect(c.endedBy).toBe('caller');
    expect(c.trace.ofKind('hangup')[0]?.t).toBe(60_000);
  });
});

describe('the other built-ins', () => {
  it('RedirectCall before the answer traces the transfer and ends the call', async () => {
    const c = call();
    let after: unknown;
    const result = await c.run(async (s) => {
      await s.redirect('sip:petrov@company.com');
      after = await s.readInput(5);
    });
    expect(result.endedBy).toBe('transfer');
    expect(result.transfer).toBe('sip:petrov@company.com');
    expect(after).toEqual({ what: 'Disconnect' });
    expect(c.trace.ofKind('hangup')).toHaveLength(1);
  });

  it('RedirectCall after the answer does nothing, as on the server: the call stays connected', async () => {
    const c = call();
    let connected: boolean | undefined;
    const result = await c.run(async (s) => {
      await s.accept();
      await s.redirect('sip:petrov@company.com');
      connected = s.isConnected();
    });
    expect(connected).toBe(true);
    expect(result.transfer).toBeNull();
    expect(result.endedBy).toBe('program');
    expect(c.trace.ofKind('refused')[0]?.detail).toMatch(/RedirectCall in connected mode/);
  });

  it('SendEMail goes to the mailer and is traced either way', async () => {
    const sent: string[] = [];
    const mailer = {
      send: async (req: { subject: string }, meta: { account: string }) => {
        sent.push(`${meta.account}: ${req.subject}`);
        return req.subject.includes('bad') ? 'relay refused' : null;
      },
    };
    const c = call([], { mailer });
    const results: unknown[] = [];
    await c.run(async (s) => {
      const req = { from: 'a@company.com', to: 'ivanov@company.com', headers: null, content: '' };
      results.push(await s.sendEmail({ ...req, subject: 'good' }), await s.sendEmail({ ...req, subject: 'bad' }));
    });
    expect(results).toEqual([null, 'relay refused']);
    expect(sent).toEqual(['ivanov@company.com: good', 'ivanov@company.com: bad']);
    expect(c.trace.ofKind('email-queued').map((e) => e.subject)).toEqual(['good']);
    expect(c.trace.ofKind('email-failed')[0]).toMatchObject({ subject: 'bad', error: 'relay refused' });
  });

  it('Record returns silence of the recorded length, ended early by a key; null when nothing was recorded', async () => {
    const c = call([{ wait: 3000 }, { dtmf: '#' }]);
    const got: (Uint8Array | null)[] = [];
    await c.run(async (s) => {
      await s.accept();
      got.push(await s.record(60));
      s.clearDtmf();
      await s.disconnect();
      got.push(await s.record(60));
    });
    expect(got[0]?.length).toBe(44 + 3 * 16000);
    expect(got[1]).toBeNull();
    expect(c.trace.ofKind('record')[0]).toMatchObject({ seconds: 3, bytes: 48044, t: 3000 });
  });

  it('Record gives the scripted audio, or null when the caller says nothing', async () => {
    for (const recording of [new Uint8Array([1, 2, 3]), null]) {
      const c = call([{ wait: 1000 }, { hangup: true }], { recording });
      let got: Uint8Array | null | undefined;
      await c.run(async (s) => {
        await s.accept();
        got = await s.record(10);
      });
      expect(got).toEqual(recording);
    }
  });

  it('account, language and preferences come from the environment', async () => {
    const c = call([], { language: 'russian' });
    expect(c.myEmail()).toBe('ivanov@company.com');
    expect(c.myDomain()).toBe('company.com');
    expect(c.getLanguage()).toBe('russian');
    c.setLanguage(null);
    expect(c.getLanguage()).toBe('english');
    expect(c.getAccountPreference('language')).toBe('english');
    expect(c.getAccountPreference('Nothing')).toBeNull();
  });

  it('AcceptCall after the caller hung up returns an error string', async () => {
    const c = call();
    c.hangup();
    expect(await c.accept()).toMatch(/disconnected/);
  });

  it('the same script gives the same trace, timestamps and all', async () => {
    const once = async () => {
      const c = call([{ wait: 700 }, { dtmf: '1' }, { wait: 3000 }, { dtmf: '2#' }]);
      await c.run(async (s) => {
        await s.accept();
        await s.playFile('A');
        for (let i = 0; i < 4; i++) {
          await s.readInput(2);
          await s.playFile('B');
        }
      });
      return c.trace.toJSONLines();
    };
    expect(await once()).toBe(await once());
  });
});
