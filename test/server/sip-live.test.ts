// Live SIP from the designer's socket: sip.start runs a saved flow on a real SIP runtime, SIPp calls
// it, and the socket hears the call, its SIP messages, its trace (with nodes) and its end.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { SipServer } from '../../runtime/sip';
import { HAVE_SIPP, infoKeys, killPeers, sipp } from '../sip/helpers';
import { TestSocket, useLiveSession, type Message } from './helpers';
import { SIPP } from '../helpers/tools';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HAVE_BARESIP } from '../sip/helpers';
import { PASSWORDS } from '../sip/pbx';
import { startPhone, toneWav } from '../sip/phone';

const live = useLiveSession();

afterEach(() => killPeers());

const ask = (message: unknown, types: string[]): Promise<Message> => live.socket.ask(message, types);

const portOf = (uri: unknown) => Number(/:(\d+)$/.exec(String(uri))?.[1]);

describe('sip.start / sip.stop', () => {
  it('refuses what is not a saved flow in the workspace, and keeps nothing running', async () => {
    const missing = await ask({ type: 'sip.start', path: 'nowhere/flow.json' }, ['sip.error', 'sip.started']);
    expect(missing).toMatchObject({ type: 'sip.error', error: expect.stringContaining('save the flow first') });
    const outside = await ask({ type: 'sip.start', path: '../outside.json' }, ['sip.error', 'sip.started']);
    expect(outside).toMatchObject({ type: 'sip.error', error: expect.stringContaining('outside the workspace') });
    const bad = await ask({ type: 'sip.start' }, ['error']);
    expect(bad.error).toContain('path');
    expect(await ask({ type: 'sip.stop' }, ['sip.stopped'])).toEqual({ type: 'sip.stopped' });
  });

  it('never crashes on odd paths: each gets sip.error or sip.started', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ minLength: 1 }),
          fc.constantFrom(
            '/etc/passwd',
            'callback',
            'callback/',
            '..\\x.json',
            'a\u0000b.json',
            'callback/flow.json/x',
          ),
        ),
        async (path) => {
          const answer = await ask({ type: 'sip.start', path }, ['sip.error', 'sip.started', 'error']);
          expect(['sip.error', 'error']).toContain(answer.type);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a second sip.start replaces the first; a socket that connects later is told; sip.stop stops it', async () => {
    const first = await ask({ type: 'sip.start', path: 'callback/flow.json' }, ['sip.started', 'sip.error']);
    expect(first.type, String(first.error)).toBe('sip.started');
    const second = await ask({ type: 'sip.start', path: 'callback/flow.json' }, ['sip.started', 'sip.error']);
    expect(second.type).toBe('sip.started');
    expect(portOf(second.uri)).not.toBe(portOf(first.uri));
    expect(live.socket.messages.slice(live.socket.messages.indexOf(first)).some((m) => m.type === 'sip.stopped')).toBe(
      true,
    );

    const late = await TestSocket.open(live.server);
    try {
      const told = await late.waitFor((m) => m.type === 'sip.started', 4000, 'sip.started on connect');
      expect(told.uri).toBe(second.uri);
    } finally {
      late.close();
    }
    expect(await ask({ type: 'sip.stop' }, ['sip.stopped'])).toEqual({ type: 'sip.stopped' });
  });
});

describe.skipIf(!HAVE_SIPP)(`a real call (SIPp) to the live SIP runtime${SIPP.skipped}`, () => {
  it('streams the call, its ladder and trace, and the e-mail lands in the server outbox', async () => {
    const started = await ask({ type: 'sip.start', path: 'callback/flow.json' }, ['sip.started', 'sip.error']);
    expect(started.type, String(started.error)).toBe('sip.started');
    expect(started.uri).toMatch(/^sip:callback@127\.0\.0\.1:\d+$/);
    const port = portOf(started.uri);
    expect(started.accounts).toContain(`sip:ivanov@127.0.0.1:${port}`);

    const before = live.socket.messages.length;
    const run = await sipp({ port } as SipServer, {
      scenario: 'uac-info-digits.xml',
      service: 'callback',
      replace: { '<!--KEYS-->': infoKeys('5551234#') },
      timeoutMs: 25_000,
    });
    expect(run.code, run.errors + run.stderr).toBe(0);

    const ended = await live.socket.waitFor(
      (m) => live.socket.messages.indexOf(m) >= before && m.type === 'sip.ended',
      8000,
      'sip.ended',
    );
    expect(ended.endedBy).toBe('program');
    const callId = ended.callId;
    const ofCall = live.socket.messages.slice(before).filter((m) => m.callId === callId);
    expect(ofCall[0]).toMatchObject({
      type: 'sip.call',
      from: expect.stringContaining('sipp@'),
      to: expect.stringContaining('callback@'),
    });

    // Our BYE's 200 may come after sip.ended: wait for it.
    await live.socket.waitFor(
      (m) =>
        m.type === 'sip.message' &&
        m.callId === callId &&
        (m.entry as { dir: string; firstLine: string }).dir === 'in' &&
        (m.entry as { firstLine: string }).firstLine === 'SIP/2.0 200 OK',
      4000,
      'the 200 to our BYE',
    );
    const ladder = live.socket.messages
      .filter((m) => m.type === 'sip.message' && m.callId === callId)
      .map((m) => m.entry as { dir: string; firstLine: string; text: string; t: number });
    const lines = ladder.map((e) => `${e.dir} ${e.firstLine.replace(/ sip:\S+/, '')}`);
    expect(lines.slice(0, 5)).toEqual([
      'in INVITE SIP/2.0',
      'out SIP/2.0 100 Trying',
      'out SIP/2.0 180 Ringing',
      'out SIP/2.0 200 OK',
      'in ACK SIP/2.0',
    ]);
    expect(lines.filter((l) => l === 'in INFO SIP/2.0')).toHaveLength(8);
    expect(lines).toContain('out BYE SIP/2.0');
    expect(ladder[0]!.text).toContain('m=audio');

    const events = live.socket.messages
      .filter((m) => m.type === 'sip.trace' && m.callId === callId)
      .map((m) => m.event as { kind: string; id?: string; digit?: string; audio?: string | null });
    expect(events[0]!.kind).toBe('call-started');
    const nodes = events.filter((e) => e.kind === 'node').map((e) => e.id);
    expect(nodes).toContain('number');
    expect(
      events
        .filter((e) => e.kind === 'digit')
        .map((e) => e.digit)
        .join(''),
    ).toBe('5551234#');
    expect(events.find((e) => e.kind === 'prompt-started')?.audio).toMatch(/^callback\/(russian\/)?Callback\w+\.wav$/);

    const mail = await live.socket.waitFor(
      (m) => m.type === 'outbox.changed' && String((m.entry as { subject: string }).subject).includes('5551234'),
      8000,
      'outbox.changed',
    );
    expect((mail.entry as { to: string }).to).toContain('ivanov@company.com');
    const { entries } = await (await live.server.api('/api/outbox')).json();
    expect(entries.some((e: { subject: string }) => e.subject === 'Contact phone: 5551234')).toBe(true);
    await ask({ type: 'sip.stop' }, ['sip.stopped']);
  });
});

describe.skipIf(!HAVE_BARESIP)('registrations in the Live SIP panel', () => {
  it('a flow whose pbx.json has passwords: a phone that registers is listed, and told to a socket connecting later', async () => {
    const file = join(live.server.workspace, 'autosecretary', 'pbx.json');
    const pbx = JSON.parse(await readFile(file, 'utf8')) as { accounts: { name: string; password?: string }[] };
    for (const a of pbx.accounts) if (PASSWORDS[a.name]) a.password = PASSWORDS[a.name];
    await writeFile(file, JSON.stringify(pbx, null, 2));
    const started = await ask({ type: 'sip.start', path: 'autosecretary/flow.json' }, ['sip.started', 'sip.error']);
    expect(started.type, String(started.error)).toBe('sip.started');
    const phone = await startPhone({
      aor: `sip:ivanov@127.0.0.1:${portOf(started.uri)}`,
      password: PASSWORDS.ivanov!,
      microphone: toneWav(1, 0),
    });
    try {
      const listed = await live.socket.waitFor(
        (m) => m.type === 'sip.registrations' && (m.registrations as unknown[]).length === 1,
        10_000,
        'sip.registrations with ivanov',
      );
      expect(listed.registrations).toMatchObject([{ account: 'ivanov', source: `udp 127.0.0.1:${phone.sipPort}` }]);
      const later = await TestSocket.open(live.server);
      try {
        const told = await later.waitFor((m) => m.type === 'sip.started');
        expect(told.registrations).toMatchObject([{ account: 'ivanov' }]);
      } finally {
        later.close();
      }
    } finally {
      await phone.close();
      await ask({ type: 'sip.stop' }, ['sip.stopped']);
    }
  });
});
