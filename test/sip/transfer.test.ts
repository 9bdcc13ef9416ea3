// TransferCall on the wire (RFC 3515 REFER, RFC 5589 blind transfer): a program answers baresip and
// transfers it to ivanov; baresip calls ivanov's registered phone (another baresip) itself, its NOTIFY
// (sipfrag 200) tells us it worked, and our call ends. A REFER the caller refuses is the error string.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProgram } from '../../runtime/host';
import { HAVE_BARESIP, startHarness, type Harness } from './helpers';
import { RawCall, RtpPeer, SipPeer, sdpOffer } from './raw';
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

const TRANSFER = `entry Main is
  if AcceptCall() != null then
    stop;
  end if;
  PlayFile("welcome");
  result = TransferCall("ivanov");
  if result != null then
    PlayFile("Failure");
  end if;
end;
`;

async function start(): Promise<Harness> {
  pbx = await autosecretaryPbx();
  const file = path.join(pbx.dir, 'transfer.sppr');
  await writeFile(file, TRANSFER);
  const { program, errors } = await loadProgram(file, { environmentDir: pbx.dir });
  if (!program) throw new Error(errors.join('\n'));
  harness = await startHarness({ programs: [pbx.program, program], registrar: true });
  return harness;
}

const logs = (h: Harness) => h.started[0]!.trace.ofKind('log').map((e) => (e as { text: string }).text);

describe.skipIf(!HAVE_BARESIP)('TransferCall → REFER', () => {
  it('baresip is transferred to ivanov’s registered baresip: it calls him, NOTIFY 200, our call ends', async () => {
    const h = await start();
    const ivanov = await startPhone({
      aor: `sip:ivanov@127.0.0.1:${h.server.port}`,
      password: PASSWORDS.ivanov!,
      autoAnswer: true,
      microphone: toneWav(20, 0),
    });
    phones.push(ivanov);
    await waitFor('ivanov registered', () => h.server.registrations().length === 1, { timeoutMs: 10_000 });
    const caller = await startPhone({ aor: 'sip:alice@127.0.0.1', microphone: toneWav(20, 0) });
    phones.push(caller);
    caller.command('dial', `sip:transfer@127.0.0.1:${h.server.port}`);
    await h.endedCalls(1, 30_000);
    expect(h.ended[0]!.result.endedBy).toBe('transfer');
    expect(logs(h)).toContain(`REFER ${h.server.registrations()[0]!.contact}`);
    expect(logs(h).some((t) => /^NOTIFY: the transfer ended \(200 /.test(t))).toBe(true);
    // ivanov's phone got the call from the caller itself (not through us)
    await ivanov.waitEvent('CALL_ESTABLISHED', 10_000);
    expect(h.started).toHaveLength(1);
  }, 60_000);

  it('a caller that refuses the REFER (501): TransferCall returns the error, the program goes on', async () => {
    const h = await start();
    const peer = await SipPeer.open();
    peer.answerRequests = false;
    const rtp = await RtpPeer.open();
    const call = new RawCall(peer, { address: '127.0.0.1', port: h.server.port }, 'transfer');
    await call.establish(sdpOffer('127.0.0.1', rtp.port));
    const refer = await peer.waitFor((m) => m.method === 'REFER', 'our REFER', 10_000);
    expect(refer.header('refer-to')).toBe('<sip:ivanov@company.com>');
    peer.reply(refer, 501, 'Not Implemented');
    await waitFor('the failure logged', () =>
      logs(h).includes('TransferCall ivanov failed: transfer refused: 501 Not Implemented'),
    );
  }, 30_000);
});
