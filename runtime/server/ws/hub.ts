// The WebSocket at /api/ws: checks the upgrade like any API request (upgrade.ts), gives each socket
// a Connection that runs its test calls within the caps (slots.ts), and tells every socket when the
// outbox changes or the live SIP runtime does something.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { ServerContext } from '../context';
import { MAX_BODY_BYTES } from '../http';
import type { LiveCall } from './calls';
import { Connection } from './connection';
import { CallSlots } from './slots';
import { createLiveSip } from './sip';
import { refuse, upgradeRefusal } from './upgrade';

export interface Hub {
  close(): Promise<void>;
}

export interface HubOptions {
  /** Caps on test calls (defaults: 8 per socket, 32 in all). */
  maxCallsPerSocket?: number;
  maxCalls?: number;
}

export function attachWebSocket(server: Server, ctx: ServerContext, loopback: boolean, options: HubOptions = {}): Hub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  const allCalls = new Map<string, LiveCall>();
  const slots = new CallSlots(options.maxCallsPerSocket, options.maxCalls);

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const refusal = upgradeRefusal(req, ctx, loopback);
    if (refusal) return refuse(socket, refusal);
    try {
      wss.handleUpgrade(req, socket, head, (ws) => new Connection(ws, { ctx, slots, sip, allCalls }));
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

  return {
    async close() {
      unsubscribe();
      await Promise.allSettled([sip.stop(), ...[...allCalls.values()].map((c) => c.kill())]);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
