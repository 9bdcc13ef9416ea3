// The outbox over HTTP and the SendEMail knob of test calls.
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../runtime/mail';
import { isTrace, useLiveSession } from './helpers';

const live = useLiveSession();

async function entryOfCall(callId: unknown): Promise<OutboxEntry> {
  let found: OutboxEntry | undefined;
  for (let deadline = Date.now() + 8000; !found && Date.now() < deadline; ) {
    const { entries } = (await (await live.server.api('/api/outbox')).json()) as { entries: OutboxEntry[] };
    found = entries.find((e) => e.callId === callId && e.status !== 'queued');
    if (!found) await new Promise((r) => setTimeout(r, 50));
  }
  if (!found) throw new Error(`no settled outbox entry for ${String(callId)}`);
  return found;
}

async function typeNumber(callId: unknown): Promise<void> {
  await live.socket.waitFor(isTrace(callId, 'waiting'), 8000, 'waiting');
  live.socket.send({ type: 'call.dtmf', callId, digits: '5551234#' });
  await live.socket.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 8000, 'call.ended');
}

const promptsOf = (callId: unknown) =>
  live.socket.messages.filter(isTrace(callId, 'prompt-started')).map((m) => (m.event as { name: string }).name);

describe('the SendEMail knob of a test call', () => {
  it('call.start with smtp "refuse": SendEMail fails and the flow takes its failed branch', async () => {
    const { callId } = await live.startCall({ smtp: 'refuse' });
    await typeNumber(callId);
    expect(promptsOf(callId).slice(-2)).toEqual(['Failure', 'CallbackNotAvailable']);
    expect(await entryOfCall(callId)).toMatchObject({ status: 'failed', refused: true });
  });

  it('call.smtp switches it during the call, both ways', async () => {
    const { callId } = await live.startCall();
    live.socket.send({ type: 'call.smtp', callId, smtp: 'refuse' });
    live.socket.send({ type: 'call.smtp', callId, smtp: 'up' });
    await typeNumber(callId);
    expect(promptsOf(callId).at(-1)).toBe('CallbackTrailer');
    const second = await live.startCall();
    live.socket.send({ type: 'call.smtp', callId: second.callId, smtp: 'refuse' });
    await typeNumber(second.callId);
    expect(promptsOf(second.callId).at(-1)).toBe('CallbackNotAvailable');
  });
});

describe('POST /api/outbox/:id/resend', () => {
  it('delivers a message again and answers with its entry; refused, unknown and bad ids are refused', async () => {
    const { callId } = await live.startCall();
    await typeNumber(callId);
    const sent = await entryOfCall(callId);
    expect(sent.status).toBe('sent');
    const res = await live.server.api(`/api/outbox/${sent.id}/resend`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { entry } = (await res.json()) as { entry: OutboxEntry };
    expect(entry).toMatchObject({ id: sent.id, status: 'sent' });
    expect(entry.attempts!.map((a) => a.outcome)).toEqual(['sent', 'sent']);

    const refused = await live.startCall({ smtp: 'refuse' });
    await typeNumber(refused.callId);
    const failed = await entryOfCall(refused.callId);
    const again = await live.server.api(`/api/outbox/${failed.id}/resend`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(/was refused before it was sent/);

    expect((await live.server.api('/api/outbox/20260101T000000000-ffffffffff/resend', { method: 'POST' })).status).toBe(
      404,
    );
    expect((await live.server.api('/api/outbox/..%2Findex/resend', { method: 'POST' })).status).toBe(404);
    expect((await live.server.api(`/api/outbox/${sent.id}/resend`)).status).toBe(405);
  });
});
