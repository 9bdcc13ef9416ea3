// The registrar: phones REGISTER as the environment's accounts with digest authentication (the
// password from pbx.json); bindings expire and refresh; one account may have several devices.
// baresip is the real client; raw REGISTERs cover what a phone would not send.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { digestResponse, parseDigest, type RegistrationChange } from '../../runtime/sip';
import { HAVE_BARESIP, startHarness, type Harness } from './helpers';
import { request, SipPeer, type RawMessage } from './raw';
import { autosecretaryPbx, closePbxTest, PASSWORDS, type PbxCopy } from './pbx';
import { startPhone, toneWav, type Phone } from './phone';
import { waitFor } from '../helpers/waitFor';

let harness: Harness | null = null;
let pbx: PbxCopy | null = null;
const phones: Phone[] = [];
afterEach(async () => {
  await closePbxTest(phones, harness, pbx);
  harness = null;
  pbx = null;
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

async function start(registrar: { minExpires?: number } = {}): Promise<Harness> {
  pbx = await autosecretaryPbx();
  const changes: RegistrationChange[] = [];
  harness = await startHarness({
    programs: pbx.program,
    registrar: { ...registrar, onChange: (c: RegistrationChange) => changes.push(c) },
  });
  (harness as Harness & { changes: RegistrationChange[] }).changes = changes;
  return harness;
}
const changesOf = (h: Harness) => (h as Harness & { changes: RegistrationChange[] }).changes;

let seq = 0;
/** One REGISTER; with a password, answers the 401's challenge (qop=auth) and returns the final answer. */
async function register(
  peer: SipPeer,
  h: Harness,
  o: { user: string; password?: string; expires?: number; contact?: string; callId?: string; authUser?: string },
): Promise<RawMessage> {
  const server = { address: '127.0.0.1', port: h.server.port };
  const callId = o.callId ?? `reg-${++seq}-${Date.now()}`;
  const uri = `sip:127.0.0.1:${h.server.port}`;
  const contact = o.contact ?? `sip:${o.user}@${peer.hostport}`;
  const send = (cseq: number, extra: string[]) =>
    peer.send(
      request({
        method: 'REGISTER',
        uri,
        to: `sip:${o.user}@company.com`,
        hostport: peer.hostport,
        callId,
        cseq,
        headers: [`Expires: ${o.expires ?? 3600}`, ...extra],
      }).replace(/^Contact: .*$/m, `Contact: <${contact}>`),
      server,
    );
  send(1, []);
  const first = await peer.finalResponse(callId, 'REGISTER');
  if (first.status !== 401 || o.password === undefined) return first;
  const challenge = parseDigest(first.header('www-authenticate') ?? '')!;
  const username = o.authUser ?? o.user;
  const [nc, cnonce] = ['00000001', 'c0ffee'];
  const ha1 = md5(`${username}:${challenge.realm}:${o.password}`);
  const ha2 = md5(`REGISTER:${uri}`);
  const response = md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  send(2, [
    `Authorization: Digest username="${username}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"`,
  ]);
  return peer.waitFor(
    (m) => m.status !== null && m.status >= 200 && m.header('call-id') === callId && m.header('cseq') === '2 REGISTER',
    `the answer to the authenticated REGISTER ${callId}`,
  );
}

describe('digest (RFC 2617)', () => {
  it('the response of the RFC 2617 §3.5 example', () => {
    const c = {
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    };
    expect(digestResponse(c, 'GET', 'Circle Of Life')).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('parseDigest reads quoted and token values, refuses what is not Digest, never throws', () => {
    expect(parseDigest('Digest username="a\\"b", nc=00000001 ,qop=auth')).toEqual({
      username: 'a"b',
      nc: '00000001',
      qop: 'auth',
    });
    expect(parseDigest('Basic abc')).toBeNull();
    expect(parseDigest('Digest username="open')).toBeNull();
    expect(parseDigest('Digest a=1, a=2')).toBeNull();
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseDigest(`Digest ${s}`);
        return r === null || typeof r === 'object';
      }),
    );
  });
});

describe('registrar', () => {
  it('no credentials → 401 with a Digest challenge; the right password → 200 listing the binding; the list shows it', async () => {
    const h = await start();
    const peer = await SipPeer.open();
    const challenged = await register(peer, h, { user: 'ivanov' });
    expect(challenged.status).toBe(401);
    expect(challenged.header('www-authenticate')).toMatch(/^Digest realm="company.com", nonce="[^"]+", .*qop="auth"/);
    const ok = await register(peer, h, { user: 'ivanov', password: PASSWORDS.ivanov!, expires: 120 });
    expect(ok.status).toBe(200);
    expect(ok.header('contact')).toMatch(new RegExp(`<sip:ivanov@${peer.hostport}>;expires=1[12]\\d`));
    expect(h.server.registrations()).toMatchObject([
      {
        account: 'ivanov',
        aor: 'ivanov@company.com',
        contact: `sip:ivanov@${peer.hostport}`,
        source: `udp ${peer.hostport}`,
      },
    ]);
    expect(changesOf(h).map((c) => c.kind)).toEqual(['registered']);
  });

  it('a wrong password → 403; another account’s credentials → 403; an unknown user → 404; nothing is bound', async () => {
    const h = await start();
    const peer = await SipPeer.open();
    expect((await register(peer, h, { user: 'ivanov', password: 'guess' })).status).toBe(403);
    expect((await register(peer, h, { user: 'ivanov', password: PASSWORDS.petrov!, authUser: 'petrov' })).status).toBe(
      403,
    );
    const unknown = await register(peer, h, { user: 'sidorov', password: 'x' });
    expect(unknown.status).toBe(404);
    // An account without a password in pbx.json cannot register at all.
    expect((await register(peer, h, { user: 'operator', password: '' })).status).toBe(403);
    expect(h.server.registrations()).toEqual([]);
  });

  it('two devices of one account are both bound; Expires: 0 removes one; a binding expires on its own', async () => {
    const h = await start({ minExpires: 1 });
    const [a, b] = [await SipPeer.open(), await SipPeer.open()];
    expect((await register(a, h, { user: 'ivanov', password: PASSWORDS.ivanov!, expires: 3600 })).status).toBe(200);
    const second = await register(b, h, { user: 'ivanov', password: PASSWORDS.ivanov!, expires: 3600 });
    expect(second.status).toBe(200);
    expect(second.text.match(/^Contact:/gim)).toHaveLength(2);
    expect(
      h.server
        .registrar!.bindings('ivanov')
        .map((x) => x.contact)
        .sort(),
    ).toEqual([`sip:ivanov@${a.hostport}`, `sip:ivanov@${b.hostport}`].sort());
    // the alias 101 is the same account
    expect(h.server.registrar!.bindings('101')).toHaveLength(2);
    expect((await register(b, h, { user: 'ivanov', password: PASSWORDS.ivanov!, expires: 0 })).status).toBe(200);
    expect(h.server.registrar!.bindings('ivanov').map((x) => x.contact)).toEqual([`sip:ivanov@${a.hostport}`]);
    // refresh with a short expiry: gone by itself
    expect((await register(a, h, { user: 'ivanov', password: PASSWORDS.ivanov!, expires: 1 })).status).toBe(200);
    await waitFor('the binding to expire', () => h.server.registrations().length === 0, { timeoutMs: 5000 });
    expect(
      changesOf(h)
        .filter((c) => c.kind !== 'refused')
        .map((c) => c.kind),
    ).toEqual(['registered', 'registered', 'unregistered', 'refreshed', 'expired']);
  });

  it('an expiry below Min-Expires → 423 with Min-Expires', async () => {
    const h = await start();
    const peer = await SipPeer.open();
    const r = await register(peer, h, { user: 'ivanov', password: PASSWORDS.ivanov!, expires: 5 });
    expect(r.status).toBe(423);
    expect(r.header('min-expires')).toBe('60');
  });
});

describe.skipIf(!HAVE_BARESIP)('baresip registers', () => {
  it('as ivanov with the right password (listed); with a wrong one it is refused (403) and not listed; quitting unregisters', async () => {
    const h = await start();
    const aor = `sip:ivanov@127.0.0.1:${h.server.port}`;
    // (baresip registers before its ctrl_tcp connects: the server's side is what is watched)
    const good = await startPhone({ aor, password: PASSWORDS.ivanov!, microphone: toneWav(1, 0) });
    phones.push(good);
    await waitFor('ivanov registered', () => h.server.registrations().length === 1, { timeoutMs: 8000 });
    expect(h.server.registrations()).toMatchObject([{ account: 'ivanov', source: `udp 127.0.0.1:${good.sipPort}` }]);
    const bad = await startPhone({ aor, password: 'wrong', microphone: toneWav(1, 0) });
    phones.push(bad);
    await waitFor('the wrong password refused', () => changesOf(h).some((c) => c.kind === 'refused'), {
      timeoutMs: 8000,
    });
    expect(changesOf(h).find((c) => c.kind === 'refused')).toMatchObject({
      user: 'ivanov',
      status: 403,
      source: `udp 127.0.0.1:${bad.sipPort}`,
      why: 'wrong password for ivanov',
    });
    expect(h.server.registrations()).toHaveLength(1);
    await good.close();
    phones.splice(phones.indexOf(good), 1);
    // quitting unregisters (Expires: 0)
    await waitFor('ivanov unregistered', () => h.server.registrations().length === 0, { timeoutMs: 8000 });
  }, 30_000);
});
