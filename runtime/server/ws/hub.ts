// The WebSocket at /api/ws: checks the upgrade like any API request, runs each socket's test calls,
// and tells every socket when the outbox changes.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { ServerContext } from '../context';
import { MAX_BODY_BYTES } from '../http';
import { hostAllowed, originAllowed, requestToken, tokenMatches } from '../security';
import { LiveCall } from './calls';
import { parseClientMessage, type ClientMessage } from './messages';
import { prepareCall } from './prepare';
import { createLiveSip } from './sip';

const MAX_CALLS_PER_SOCKET = 8;
const MAX_CALLS = 32;

export interface Hub {
  close(): Promise<void>;
}

export function attachWebSocket(server: Server, ctx: ServerContext, loopback: boolean): Hub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  const allCalls = new Map<string, LiveCall>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return refuse(socket, 400, 'bad request');
    }
    if (url.pathname !== '/api/ws') return refuse(socket, 404, 'not found');
    if (!hostAllowed(req, ctx.port, loopback) || !originAllowed(req, ctx.origins))
      return refuse(socket, 403, 'forbidden origin');
    if (!tokenMatches(requestToken(req, url), ctx.token)) return refuse(socket, 401, 'missing or wrong token');
    try {
      wss.handleUpgrade(req, socket, head, (ws) => connected(ws));
    } catch {
      socket.destroy();
    }
  });

  const broadcast = (message: Record<string, unknown>) => {
    const text = JSON.stringify(message);
    for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  };
  const unsubscribe = ctx.mailer.outbox.onChange((entry) => broadcast({ type: 'outbox.changed', entry }));
  const sip = createLiveSip(ctx, broadcast);

  function connected(ws: WebSocket): void {
    const calls = new Map<string, LiveCall>();
    const send = (message: Record<string, unknown>) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    };
    ws.on('error', () => undefined);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      handle(data, isBinary).catch((err: unknown) =>
        send({ type: 'error', error: `internal error: ${err instanceof Error ? err.message : String(err)}` }),
      );
    });
    ws.on('close', () => {
      for (const call of calls.values()) void call.stop();
    });
    const running = sip.current();
    if (running) send(running);

    async function handle(data: RawData, isBinary: boolean): Promise<void> {
      if (isBinary) return send({ type: 'error', error: 'binary messages are not understood; send JSON text' });
      const parsed = parseClientMessage(rawText(data));
      if ('error' in parsed) return send({ type: 'error', error: parsed.error });
      const message = parsed.message;
      if (message.type === 'call.start') return start(message);
      if (message.type === 'sip.start') return sip.start(message.path, send);
      if (message.type === 'sip.stop') return sip.stop();
      const call = calls.get(message.callId);
      if (!call)
        return send({ type: 'error', callId: message.callId, error: `no call ${message.callId} on this connection` });
      switch (message.type) {
        case 'call.dtmf':
          return call.dtmf(message.digits);
        case 'call.hangup':
          return call.hangup();
        case 'call.pause':
          return call.pause();
        case 'call.continue':
          return void call.continue();
        case 'call.step':
          return void call.step();
        case 'call.breakpoints':
          return call.setBreakpoints(message.breakpoints);
        case 'call.smtp':
          return call.setEmailRefused(message.smtp === 'refuse');
      }
    }

    async function start(message: Extract<ClientMessage, { type: 'call.start' }>): Promise<void> {
      if (calls.size >= MAX_CALLS_PER_SOCKET || allCalls.size >= MAX_CALLS) {
        return send({
          type: 'call.error',
          error: `too many test calls at once (at most ${MAX_CALLS_PER_SOCKET}); hang one up first`,
        });
      }
      const prepared = await prepareCall(ctx, message);
      if ('error' in prepared) return send({ type: 'call.error', ...prepared });
      if (ws.readyState !== WebSocket.OPEN) return;
      const id = `call-${randomUUID()}`;
      const call = new LiveCall({ id, ...prepared.options, mailer: ctx.mailer, workspace: ctx.workspace, send });
      calls.set(id, call);
      allCalls.set(id, call);
      send({ type: 'call.started', callId: id, sppr: prepared.sppr, sourceMap: prepared.sourceMap });
      void call.start().finally(() => {
        calls.delete(id);
        allCalls.delete(id);
      });
    }
  }

  return {
    async close() {
      unsubscribe();
      await Promise.allSettled([sip.stop(), ...[...allCalls.values()].map((c) => c.stop())]);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function refuse(socket: Duplex, status: number, text: string): void {
  const body = JSON.stringify({ error: text });
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
