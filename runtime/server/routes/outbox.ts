// GET /api/outbox · DELETE /api/outbox · GET /api/outbox/message · POST /api/outbox/:id/resend
import { simpleParser } from 'mailparser';
import { isOutboxId, type OutboxEntry } from '../../mail';
import type { Routes } from '../context';
import { HttpError, queryParam, sendJson } from '../http';

function notFound(id: string): HttpError {
  return new HttpError(404, `the outbox has no message with id ${JSON.stringify(id.slice(0, 100))}`);
}

export const outboxRoutes: Routes = {
  'GET /api/outbox': async (_req, res, _url, ctx) => {
    sendJson(res, 200, { entries: await ctx.mailer.outbox.list() });
  },

  /** Clears the sent and failed messages (as `ivr-studio outbox purge`); queued ones are still on their way. */
  'DELETE /api/outbox': async (_req, res, _url, ctx) => {
    let removed = 0;
    for (const e of await ctx.mailer.outbox.list()) {
      if (e.status !== 'sent' && e.status !== 'failed') continue;
      await ctx.mailer.outbox.remove(e.id);
      removed++;
    }
    sendJson(res, 200, { removed, entries: await ctx.mailer.outbox.list() });
  },

  'GET /api/outbox/message': async (_req, res, url, ctx) => {
    const id = queryParam(url, 'id');
    const entry = isOutboxId(id) ? await ctx.mailer.outbox.get(id) : undefined;
    if (!entry) throw notFound(id);
    const { eml } = await ctx.mailer.outbox.read(id);
    let text = '';
    try {
      const parsed = await simpleParser(eml);
      text = parsed.text ?? '';
    } catch {
      // A message the parser cannot read is still shown raw (eml).
    }
    sendJson(res, 200, { entry, eml, text, subject: entry.subject, from: entry.from, to: entry.to });
  },

  /** Delivers the message again now; answers with the entry after that attempt (409 when it cannot be resent). */
  'POST /api/outbox/:id/resend': async (_req, res, _url, ctx, params) => {
    const id = params.id ?? '';
    if (!isOutboxId(id) || !(await ctx.mailer.outbox.has(id))) throw notFound(id);
    let entry: OutboxEntry;
    try {
      entry = await ctx.mailer.resend(id);
    } catch (err) {
      throw new HttpError(409, err instanceof Error ? err.message : String(err));
    }
    sendJson(res, 200, { entry });
  },
};
