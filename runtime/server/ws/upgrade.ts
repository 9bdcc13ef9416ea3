// The WebSocket upgrade of /api/ws is checked like any API request (host, origin, token); a refused
// one gets a plain HTTP answer with a JSON body and the socket is closed.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerContext } from '../context';
import { hostAllowed, originAllowed, requestToken, tokenMatches } from '../security';

export type Refusal = { status: 400 | 401 | 403 | 404; text: string };

/** Why this upgrade request is refused, or null to accept it. */
export function upgradeRefusal(req: IncomingMessage, ctx: ServerContext, loopback: boolean): Refusal | null {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return { status: 400, text: 'bad request' };
  }
  if (url.pathname !== '/api/ws') return { status: 404, text: 'not found' };
  if (!hostAllowed(req, ctx.port, loopback) || !originAllowed(req, ctx.origins))
    return { status: 403, text: 'forbidden origin' };
  if (!tokenMatches(requestToken(req, url), ctx.token)) return { status: 401, text: 'missing or wrong token' };
  return null;
}

const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' } as const;

export function refuse(socket: Duplex, { status, text }: Refusal): void {
  const body = JSON.stringify({ error: text });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
