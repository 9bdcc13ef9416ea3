// The pure pieces of the SIP layer: SDP offer/answer, INFO bodies, request checks, routing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { answerDirection, buildAnswer, parseOffer, dtmfFromInfo, routeCall, pbxOf, sipUri } from '../../runtime/sip';
import { checkRequest, parseDatagram, type SipRequest } from '../../runtime/sip/message';
import { callbackProgram } from './helpers';

const offer = (m: string, extra = '') =>
  `v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP ${m}\r\n${extra}`;

describe('SDP', () => {
  it("takes static PCMU/PCMA without rtpmap lines, in the offerer's order, and the offered telephone-event type", () => {
    const r = parseOffer(offer('8 0 96', 'a=rtpmap:96 telephone-event/8000\r\n'));
    expect(r).toEqual({
      ok: true,
      offer: {
        codec: 'PCMA',
        payloadType: 8,
        dtmfPayloadType: 96,
        remote: { address: '10.0.0.5', port: 4000 },
        direction: 'sendrecv',
      },
    });
    const answer = buildAnswer({
      offer: (r as Extract<typeof r, { ok: true }>).offer,
      address: '127.0.0.1',
      port: 30000,
      sessionId: 7,
      version: 0,
    });
    expect(answer).toContain('m=audio 30000 RTP/AVP 8 96');
    expect(answer).toContain('a=rtpmap:96 telephone-event/8000');
    expect(answer).toContain('c=IN IP4 127.0.0.1');
  });

  it('488 without G.711, hold with c=0.0.0.0, sendonly answered recvonly', () => {
    expect(parseOffer(offer('18', 'a=rtpmap:18 G729/8000\r\n'))).toMatchObject({ ok: false, status: 488 });
    const held = parseOffer(offer('0', 'a=sendonly\r\n').replace('c=IN IP4 10.0.0.5', 'c=IN IP4 0.0.0.0'));
    expect(held).toMatchObject({ ok: true, offer: { remote: null, direction: 'sendonly' } });
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('inactive')).toBe('inactive');
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseOffer(text);
        return r.ok ? r.offer.payloadType >= 0 : r.status === 400 || r.status === 488;
      }),
      { seed: 3264, numRuns: 500 },
    );
  });
});

describe('INFO DTMF', () => {
  it('reads dtmf-relay and dtmf bodies, event numbers 10/11 as * and #', () => {
    expect(dtmfFromInfo('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toBe('5');
    expect(dtmfFromInfo('Application/DTMF-Relay; x=y', 'signal= #\nDuration=100')).toBe('#');
    expect(dtmfFromInfo('application/dtmf', '11')).toBe('#');
    expect(dtmfFromInfo('application/dtmf', '*')).toBe('*');
    expect(dtmfFromInfo('text/plain', '5')).toBeNull();
    expect(dtmfFromInfo('application/dtmf-relay', 'Duration=160')).toBeNull();
  });

  it('never throws and returns a key or null', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (t, b) => {
        const d = dtmfFromInfo(t, b);
        return d === null || /^[0-9*#A-D]$/.test(d);
      }),
      { seed: 2976, numRuns: 500 },
    );
  });
});

describe('request checks', () => {
  const rq = (text: string) => parseDatagram(Buffer.from(text))!.message as SipRequest;
  const base =
    'INVITE sip:a@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:b@h>;tag=1\r\nTo: <sip:a@h>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n\r\n';
  it('passes a good request and refuses bad ones with the right status', () => {
    expect(checkRequest(rq(base))).toMatchObject({
      ok: true,
      core: { callId: 'c', cseq: { seq: 1, method: 'INVITE' } },
    });
    expect(checkRequest(rq(base.replace('CSeq: 1 INVITE', 'CSeq: 1 BYE')))).toMatchObject({ status: 400 });
    expect(checkRequest(rq(base.replace('Max-Forwards: 70', 'Max-Forwards: 0')))).toMatchObject({ status: 483 });
    expect(checkRequest(rq(base.replace('SIP/2.0\r\nVia', 'SIP/7.0\r\nVia')))).toMatchObject({ status: 505 });
    expect(checkRequest(rq(base.replace('Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n', '')))).toMatchObject({
      drop: 'no Via',
    });
  });
});

describe('routing', () => {
  it('app, account rules by working hours (PBX time zone), app#account, unknown → 404', async () => {
    const program = await callbackProgram();
    const pbx = pbxOf([program]);
    const sundayNight = new Date('2026-11-29T23:00:00+03:00');
    const mondayNoon = new Date('2026-11-30T12:00:00+03:00');
    const at = (user: string) => ({ user, host: 'company.com' });
    expect(routeCall(at('callback'), [program], pbx, mondayNoon)).toMatchObject({ ok: true, account: undefined });
    expect(routeCall(at('ivanov'), [program], pbx, sundayNight)).toMatchObject({
      ok: true,
      account: 'ivanov',
      why: 'ivanov: afterhours → #callback',
    });
    expect(routeCall(at('ivanov'), [program], pbx, mondayNoon)).toMatchObject({ ok: false, status: 480 });
    expect(routeCall(at('callback#petrov'), [program], pbx, mondayNoon)).toMatchObject({ ok: true, account: 'petrov' });
    expect(routeCall(at('pbx'), [program], pbx, mondayNoon)).toMatchObject({ ok: false, status: 404 }); // #autosecretary is not loaded
    expect(routeCall(at('nobody'), [program], pbx, mondayNoon)).toMatchObject({ ok: false, status: 404 });
  });

  it("only CommuniGate's forms and the environment's accounts and domain", async () => {
    const program = await callbackProgram();
    const pbx = pbxOf([program]);
    const now = new Date('2026-11-30T12:00:00+03:00');
    const route = (user: string, host = 'company.com') =>
      routeCall({ user, host }, [program], pbx, now, (h) => h === '10.0.0.5');
    expect(route('callback{a,b}#ivanov')).toMatchObject({ ok: true, account: 'ivanov', startParameter: ['a', 'b'] });
    expect(route('callback{}#ivanov')).toMatchObject({ ok: true, startParameter: [] });
    expect(route('callback#ivanov', '10.0.0.5')).toMatchObject({ ok: true });
    expect(route('callback#ivanov', 'evil.example')).toMatchObject({ ok: false, status: 404 });
    for (const user of [
      'callback#victim@evil.example',
      'callback#nobody',
      'callback#',
      '#callback',
      'callback{x}',
      'callback{a}{b}#ivanov',
      'callback%23ivanov',
    ])
      expect(route(user), user).toMatchObject({ ok: false, status: 404 });
  });

  it('transfer targets become SIP URIs', () => {
    expect(sipUri('operator', 'company.com')).toBe('sip:operator@company.com');
    expect(sipUri('1001@pbx.local', 'x')).toBe('sip:1001@pbx.local');
    expect(sipUri('<sip:a@b>', 'x')).toBe('sip:a@b');
  });
});
