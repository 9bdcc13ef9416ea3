// What every handler of one running server shares.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Mailer } from '../mail';

export interface ServerContext {
  /** The workspace folder, a realpath: every client path resolves inside it. */
  readonly workspace: string;
  readonly token: string;
  /** Set once the server listens. */
  port: number;
  /** http://127.0.0.1:PORT and http://localhost:PORT */
  origins: Set<string>;
  readonly mailer: Mailer;
  readonly version: string;
  /** Flow files larger than this are refused (listed with the reason); ServerOptions.maxFlowBytes. */
  readonly maxFlowBytes: number;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: ServerContext,
  /** Values of the `:name` segments of the route's path. */
  params: Record<string, string>,
) => Promise<void>;

/** "GET /api/info" → handler; a segment `:name` matches any one segment (e.g. "POST /api/outbox/:id/resend"). */
export type Routes = Record<string, Handler>;
