// GET /api/outbox · GET /api/outbox/message
import { simpleParser } from 'mailparser';
import { isOutboxId } from '../../mail';
import type { Routes } from '../context';
import { HttpError, queryParam, sendJson } from '../http';

export const outboxRoutes: Routes = {
  'GET /api/outbox': async (_req, res, _url, ctx) => {
    sendJson(res, 200, { entries: await ctx.mailer.outbox.list() });
  },

  'GET /api/outbox/message': async (_req, res, url, ctx) => {
    const id = queryParam(url, 'id');
    if (!isOutboxId(id) || !ctx.mailer.outbox.has(id))
      throw new HttpError(404, `the outbox has no message with id ${JSON.stringify(id.slice(0, 100))}`);
    const { entry, eml } = await ctx.mailer.outbox.read(id);
    let text = '';
    try {
      const parsed = await simpleParser(eml);
      text = parsed.text ?? '';
    } catch {
      // A message the parser cannot read is still shown raw (eml).
    }
    sendJson(res, 200, { entry, eml, text, subject: entry.subject, from: entry.from, to: entry.to });
  },
};
