// The caps on live test calls hold under bursts: the slot is taken before anything is awaited.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/waitFor';
import { type Message, TestSocket, useLiveSession } from './helpers';

const live = useLiveSession();

const start = (socket: TestSocket, extra: Record<string, unknown> = {}) =>
  socket.send({ type: 'call.start', flow: live.flow, path: 'callback/flow.json', ...extra });

/** The call.started / call.error answers once `count` of them arrived after message index `from`. */
async function answers(socket: TestSocket, from: number, count: number): Promise<Message[]> {
  const of = () => socket.messages.slice(from).filter((m) => m.type === 'call.started' || m.type === 'call.error');
  return waitFor(`${count} answers to call.start`, () => (of().length >= count ? of() : null), { timeoutMs: 20_000 });
}

async function hangUpAll(socket: TestSocket, started: Message[]): Promise<void> {
  for (const s of started) socket.send({ type: 'call.hangup', callId: s.callId });
  await waitFor('every call to end', () =>
    started.every((s) => socket.messages.some((m) => m.type === 'call.ended' && m.callId === s.callId)),
  );
}

describe('test-call caps', () => {
  it('200 back-to-back starts on one socket start 8; the others are told which cap they hit', async () => {
    const socket = await TestSocket.open(live.server);
    try {
      const from = socket.messages.length;
      for (let i = 0; i < 200; i++) start(socket);
      const got = await answers(socket, from, 200);
      const started = got.filter((m) => m.type === 'call.started');
      const refused = got.filter((m) => m.type === 'call.error');
      expect(started).toHaveLength(8);
      expect(refused).toHaveLength(192);
      for (const r of refused) {
        expect(r.cap).toBe('socket');
        expect(r.error).toBe('too many test calls at once: at most 8 per designer window; hang one up first');
      }
      await hangUpAll(socket, started);
      // The slots come back when the calls end.
      const again = socket.messages.length;
      start(socket);
      expect((await answers(socket, again, 1))[0]!.type).toBe('call.started');
      await hangUpAll(socket, (await answers(socket, again, 1)).slice(0, 1));
    } finally {
      socket.close();
    }
  });

  it('32 calls on the server in all, whatever the sockets: the 33rd is told the server cap', async () => {
    const sockets = await Promise.all(Array.from({ length: 5 }, () => TestSocket.open(live.server)));
    try {
      const from = sockets.map((s) => s.messages.length);
      for (let i = 0; i < 8; i++) for (const s of sockets) start(s);
      const got = await Promise.all(sockets.map((s, i) => answers(s, from[i]!, 8)));
      const all = got.flat();
      expect(all.filter((m) => m.type === 'call.started')).toHaveLength(32);
      const refused = all.filter((m) => m.type === 'call.error');
      expect(refused).toHaveLength(8);
      for (const r of refused) {
        expect(r.cap).toBe('server');
        expect(r.error).toMatch(/^too many test calls at once: at most 32 on this server/);
      }
      await Promise.all(
        sockets.map((s, i) =>
          hangUpAll(
            s,
            got[i]!.filter((m) => m.type === 'call.started'),
          ),
        ),
      );
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('a start that fails (a broken flow) gives its slot back', async () => {
    const socket = await TestSocket.open(live.server);
    try {
      // One after the other: starts being prepared hold their slot too (a burst would hit the cap).
      for (let i = 0; i < 20; i++) {
        const before = socket.messages.length;
        start(socket, { flow: { format: 'ivr-studio/flow@1', nodes: [] } });
        const [answer] = await answers(socket, before, 1);
        expect([answer!.type, answer!.cap]).toEqual(['call.error', undefined]);
      }
      const from = socket.messages.length;
      for (let i = 0; i < 8; i++) start(socket);
      const good = await answers(socket, from, 8);
      expect(good.map((m) => m.error ?? m.type)).toEqual(Array(8).fill('call.started'));
      await hangUpAll(socket, good);
    } finally {
      socket.close();
    }
  });
});
