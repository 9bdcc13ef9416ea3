// The server on a wildcard address, called from "another machine": loopback aliases (127.0.0.2 calls
// 127.0.0.3; all of 127/8 is local on Linux), IPv6 (::1), --advertise, and, where the machine lets
// us, a real second network stack (a network namespace and a veth pair made by the test). The
// answer must name the address the caller used (or the advertised one), and audio and RFC 4733
// keys must flow both ways.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { loadProgram, type Program } from '../../runtime/host';
import { HAVE_SIPP, killPeers, pcapKeys, PCAP_TAIL_MS, runPeer, sipp, startHarness, type Harness } from './helpers';
import { closeRawSockets, RawCall, RtpPeer, SipPeer, sdpOffer } from './raw';
import { waitFor } from '../helpers/waitFor';

let harness: Harness | null = null;
afterEach(async () => {
  killPeers();
  closeRawSockets();
  await harness?.close();
  harness = null;
});

const asRegex = (address: string) => address.replace(/\./g, '\\.');

async function lanProgram(): Promise<Program> {
  const { program, errors } = await loadProgram(path.join(import.meta.dirname, 'fixtures/lan.sppr'), {
    environmentDir: path.join(import.meta.dirname, '../../samples/callback'),
  });
  if (!program) throw new Error(errors.join('\n'));
  return program;
}

/** SIPp's LAN call: keys 7 3 by RFC 2833, # by INFO; the number must reach SMTP. */
async function sippLanCall(h: Harness, o: { from: string; to: string; expect: string; netns?: string }) {
  const run = await sipp(h.server, {
    scenario: 'uac-lan.xml',
    service: 'callback',
    localAddress: o.from,
    remoteHost: o.to,
    replace: { EXPECT_ADDR: asRegex(o.expect), '<!--KEYS-->': pcapKeys('73', 400, PCAP_TAIL_MS) },
    extra: ['-rtp_echo'],
    timeoutMs: 25_000,
    ...(o.netns ? { netns: o.netns } : {}),
  });
  expect(run.code, run.errors + run.stderr).toBe(0);
  await h.endedCalls(1);
  const { call, result } = h.ended[0]!;
  expect(result.digits).toBe('73#');
  expect(call.session.digits.map((d) => d.source)).toEqual(['rfc4733', 'rfc4733', 'info']);
  const mail = await simpleParser((await h.mails(1))[0]!.eml);
  expect(mail.subject).toBe('Contact phone: 73');
  return call;
}

describe.skipIf(!HAVE_SIPP)(
  'a LAN on loopback aliases: SIPp on 127.0.0.2 calls 127.0.0.3, the server on 0.0.0.0',
  () => {
    it('the answer names 127.0.0.3; keys reach the program; our audio reaches the caller (SIPp echoes it)', async () => {
      harness = await startHarness({ host: '0.0.0.0', mediaWorkers: 0 });
      const call = await sippLanCall(harness, { from: '127.0.0.2', to: '127.0.0.3', expect: '127.0.0.3' });
      expect(call.messages.find((m) => m.firstLine === 'SIP/2.0 200 OK')?.text).toMatch(
        /^o=ivr-studio \d+ \d+ IN IP4 127\.0\.0\.3$/m,
      );
      // -rtp_echo sends our packets back: they arrive with our own SSRC, counted (and not heard) as looped.
      expect(call.media!.stats().looped).toBeGreaterThan(20);
      expect(call.trace.ofKind('log')[0]?.text).toMatch(/^SIP udp 127\.0\.0\.2:\d+ → 127\.0\.0\.3;/);
    });

    it('--advertise 127.0.0.3 while SIPp calls 127.0.0.1: the answer names the advertised address (media worker)', async () => {
      harness = await startHarness({ host: '0.0.0.0', advertise: '127.0.0.3', mediaWorkers: 1 });
      await sippLanCall(harness, { from: '127.0.0.2', to: '127.0.0.1', expect: '127.0.0.3' });
    });
  },
);

describe('keys and audio both ways, from another address', () => {
  for (const mediaWorkers of [0, 1])
    it(`SendDTMF reaches the caller as RFC 4733 from 127.0.0.3, the caller's key reaches the program (media workers: ${mediaWorkers})`, async () => {
      harness = await startHarness({ host: '0.0.0.0', programs: await lanProgram(), mediaWorkers });
      const peer = await SipPeer.open('127.0.0.2');
      const rtp = await RtpPeer.open('127.0.0.2');
      const call = new RawCall(peer, { address: '127.0.0.3', port: harness.server.port }, 'lan');
      await call.establish(sdpOffer('127.0.0.2', rtp.port));
      const { contact, sdpAddress, sdpPort } = call.answerAddresses();
      expect(contact).toMatch(/@127\.0\.0\.3:\d+>$/);
      expect(sdpAddress).toBe('127.0.0.3');
      expect(call.answer!.from.address).toBe('127.0.0.3'); // the answer left from the address we called
      const events = () => rtp.seen.filter((p) => p.payloadType === 101);
      await waitFor('telephone-events from the server', () => events().length >= 6);
      await waitFor('audio from the server', () => rtp.seen.filter((p) => p.payloadType === 0).length >= 25);
      expect(rtp.seen.every((p) => p.from.address === '127.0.0.3' && p.from.port === sdpPort)).toBe(true);
      await rtp.sendDigits({ address: sdpAddress, port: sdpPort }, '7', 0x7777);
      await harness.endedCalls(1);
      const ended = harness.ended[0]!.call;
      expect(ended.trace.ofKind('log').map((e) => e.text)).toEqual(
        expect.arrayContaining(['SendDTMF 4', 'SendDTMF 2', 'heard 7']),
      );
    });
});

describe('IPv6', () => {
  it('the server on [::] answers a caller on ::1 with c=IN IP6 ::1 and Contact [::1]; keys arrive', async () => {
    harness = await startHarness({ host: '::', programs: await lanProgram() });
    const peer = await SipPeer.open('::1');
    const rtp = await RtpPeer.open('::1');
    const call = new RawCall(peer, { address: '::1', port: harness.server.port }, 'lan');
    await call.establish(sdpOffer('::1', rtp.port));
    const { contact, sdpAddress, sdpPort } = call.answerAddresses();
    expect(contact).toMatch(/@\[::1\]:\d+>$/);
    expect(sdpAddress).toBe('::1');
    expect(call.answer!.body).toMatch(/^c=IN IP6 ::1$/m);
    await waitFor('RTP over IPv6', () => rtp.seen.length >= 10);
    await rtp.sendDigits({ address: '::1', port: sdpPort }, '7', 0x6666);
    await harness.endedCalls(1);
    expect(harness.ended[0]!.call.trace.ofKind('log').map((e) => e.text)).toContain('heard 7');
  });
});

// ── a second network stack ────────────────────────────────────────────────────────────────────

function tryNetns(): { ns: string; host: string; peer: string; subnet: string } | string {
  if (process.getuid?.() !== 0) return 'not root';
  const id = `${process.pid % 1000}${Math.floor(Math.random() * 100)}`;
  const ns = `ivrt${id}`;
  const octet = 1 + (Number(id) % 250);
  const [host, peer] = [`198.18.${octet}.1`, `198.18.${octet}.2`];
  try {
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
    ip('netns', 'add', ns);
    ip('link', 'add', `vh${id}`, 'type', 'veth', 'peer', 'name', `vn${id}`);
    ip('link', 'set', `vn${id}`, 'netns', ns);
    ip('addr', 'add', `${host}/30`, 'dev', `vh${id}`);
    ip('link', 'set', `vh${id}`, 'up');
    ip('-n', ns, 'addr', 'add', `${peer}/30`, 'dev', `vn${id}`);
    ip('-n', ns, 'link', 'set', `vn${id}`, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    return { ns, host, peer, subnet: `198.18.${octet}.0/30` };
  } catch (err) {
    dropNetns(ns);
    return `cannot make a network namespace: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
}

function dropNetns(ns: string): void {
  try {
    // Deleting the namespace deletes its end of the veth, and with it the pair.
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
  } catch {
    // never made
  }
}

const netns = HAVE_SIPP ? tryNetns() : 'SIPp is missing';
if (typeof netns === 'object') process.once('exit', () => dropNetns(netns.ns));
afterAll(() => {
  if (typeof netns === 'object') dropNetns(netns.ns);
});

describe.skipIf(typeof netns === 'string')(
  `a real second stack (netns + veth)${typeof netns === 'string' ? `: skipped, ${netns}` : ''}`,
  () => {
    const n = netns as Exclude<typeof netns, string>;

    it('the default allow list (this machine) gives the other machine no answer at all', async () => {
      harness = await startHarness({ host: '0.0.0.0' });
      const scenario = path.join(import.meta.dirname, 'scenarios/uac-options.xml');
      const args = [`${n.host}:${harness.server.port}`, '-sf', scenario, '-s', 'callback', '-i', n.peer];
      const run = await runPeer(
        'ip',
        ['netns', 'exec', n.ns, 'sipp', ...args, '-m', '1', '-nostdin', '-timeout', '2s', '-timeout_error'],
        10_000,
      );
      expect(run.code).not.toBe(0);
      expect(harness.started).toHaveLength(0);
    });

    it('with --allow for its network: the answer names our veth address; keys and mail as on a LAN', async () => {
      harness = await startHarness({ host: '0.0.0.0', allow: [n.subnet], mediaWorkers: 1 });
      const call = await sippLanCall(harness, { from: n.peer, to: n.host, expect: n.host, netns: n.ns });
      expect(call.trace.ofKind('log')[0]?.text).toContain(`→ ${n.host};`);
    });
  },
);
