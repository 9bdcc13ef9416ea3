// What `ivr-studio run`'s options change in a call: the clock (--at: office hours judged at that
// time), bad values (one line each, before anything listens).
import { afterEach, describe, expect, it } from 'vitest';
import { offsetClock } from '../../runtime/call/clock';
import { parseRunOpts, type RunOpts } from '../../runtime/cli/commands/run-options';
import { cli } from '../cli/run';
import { startHarness, type Harness } from './helpers';
import { closeRawSockets, RawCall, RtpPeer, SipPeer, sdpOffer } from './raw';

let harness: Harness | null = null;
afterEach(async () => {
  closeRawSockets();
  await harness?.close();
  harness = null;
});

const base: RunOpts = { sip: '127.0.0.1:0', transport: 'udp', outbox: '/tmp/x', maxCalls: '5', target: 'cgpl' };

describe('--at: the calls happen at that time', () => {
  for (const [at, status, what] of [
    ['2026-11-29T23:00:00+03:00', 200, 'Sunday 23:00 Moscow: after hours, #callback answers'],
    ['2026-11-30T12:00:00+03:00', 480, 'Monday noon: within working hours, no rule applies'],
  ] as const)
    it(what, async () => {
      const config = parseRunOpts({ ...base, at });
      expect(Math.abs(config.clock!.now().getTime() - new Date(at).getTime())).toBeLessThan(1000);
      harness = await startHarness({ clock: config.clock! });
      const peer = await SipPeer.open();
      const rtp = await RtpPeer.open();
      const call = new RawCall(peer, { address: '127.0.0.1', port: harness.server.port }, 'ivanov');
      call.invite(sdpOffer('127.0.0.1', rtp.port));
      expect((await call.final()).status).toBe(status);
    });

  it('time runs on from there', async () => {
    const clock = offsetClock(new Date('2026-11-29T23:00:00Z').getTime() - Date.now());
    const first = clock.now().getTime();
    await clock.sleep(30);
    expect(clock.now().getTime() - first).toBeGreaterThanOrEqual(25);
  });
});

describe('bad values are one line each, and nothing starts', () => {
  for (const [args, line] of [
    [['--allow', '10.0.0.0/33'], "ivr-studio: --allow: '10.0.0.0/33': the prefix length must be 0-32"],
    [['--allow', 'lan'], "ivr-studio: --allow: 'lan' is not an address or network (e.g. 192.168.1.0/24, fd00::/8)"],
    [['--advertise', 'a b'], "ivr-studio: --advertise: expected ADDRESS or ADDRESS:PORT (IPv6 in brackets), got 'a b'"],
    [['--advertise', 'pbx.example.com:0'], 'ivr-studio: --advertise: port 0 is not 1-65535'],
    [['--when-full', '404'], "ivr-studio: --when-full: use 486 (Busy Here) or 503 (Service Unavailable), got '404'"],
    [['--max-calls-per-source', '-1'], "ivr-studio: --max-calls-per-source: expected a whole number, got '-1'"],
    [['--at', 'tomorrow'], "ivr-studio: --at: not a date and time: 'tomorrow' (use e.g. 2026-11-29T23:00)"],
    [['--environment', '/nonexistent'], 'ivr-studio: --environment: /nonexistent is not a folder'],
    [
      ['--sip', '0.0.0.0'],
      "ivr-studio: --sip: expected host:port, e.g. 127.0.0.1:5070, 0.0.0.0:5070 or [::]:5070, got '0.0.0.0'",
    ],
  ] as const)
    it(args.join(' '), async () => {
      const r = await cli('run', 'samples/callback/flow.json', '--sip', '127.0.0.1:0', ...args);
      expect(r.code).toBe(1);
      expect(r.errLines).toEqual([line]);
      expect(r.out).toBe('');
    });
});
