// Submission: what SendEMail does before it returns. The request is checked and composed once, and
// the message is filed `queued` in the outbox: from then on it is the outbox's to deliver. SendEMail's
// error is for a message that cannot be submitted — a bad address or header, a message too large, an
// outbox that cannot be written, or a refusal a test call asked for — and that message is still
// filed (as `failed`, marked refused) so the outbox shows what was asked.
import type { EmailRequest } from '../call/api';
import { checkEmail, composeEml, composeRefused } from './compose';
import { MESSAGE_ID_DOMAIN } from './embedded';
import { newOutboxId, type OutboxEntry, type OutboxOwner } from './entry';
import { describeFsError, type Outbox } from './outbox';

export interface SendMeta {
  callId?: string;
  account?: string;
  /**
   * Refuse the message as a full queue would, with this reason: SendEMail returns an error and the
   * flow takes its `failed` branch. For test calls and scenarios (`"smtp": "refuse"`).
   */
  refuse?: string;
}

export interface Submission {
  outbox: Outbox;
  owner: OutboxOwner;
  via: string;
  maxMessageBytes: number;
}

export type Submitted = { id: string; error: null; entry: OutboxEntry } | { id: string; error: string };

export async function submit(req: EmailRequest, meta: SendMeta, s: Submission): Promise<Submitted> {
  const id = newOutboxId();
  const messageId = `<${id}@${MESSAGE_ID_DOMAIN}>`;
  const r = (typeof req === 'object' && req !== null ? req : {}) as Partial<Record<'from' | 'to' | 'subject', unknown>>;
  const fields = {
    id,
    from: typeof r.from === 'string' ? r.from : '',
    to: typeof r.to === 'string' ? r.to : '',
    subject: typeof r.subject === 'string' ? r.subject : '',
    createdAt: new Date().toISOString(),
    ...(meta.callId !== undefined ? { callId: String(meta.callId) } : {}),
    ...(meta.account !== undefined ? { account: String(meta.account) } : {}),
  };
  const refuse = async (error: string, eml?: Buffer): Promise<Submitted> => {
    try {
      const body = eml ?? (await composeRefused(req, error, messageId));
      await s.outbox.add({ ...fields, status: 'failed', error, refused: true }, body);
    } catch {
      // The refusal itself is what the caller needs; a full disk shows up on the next send too.
    }
    return { id, error };
  };

  if (meta.refuse !== undefined) return refuse(`SendEMail: the outbox refused the message (${meta.refuse})`);
  const checked = checkEmail(req);
  if (!checked.ok) return refuse(checked.error);
  const email = checked.email;
  const eml = await composeEml(email, messageId, new Date(fields.createdAt));
  if (eml.length > s.maxMessageBytes) {
    return refuse(
      `SendEMail: the message is ${megabytes(eml.length)}; the outbox takes at most ${megabytes(s.maxMessageBytes)}`,
    );
  }
  try {
    const entry = await s.outbox.add(
      {
        ...fields,
        status: 'queued',
        envelope: { from: email.from.address, to: email.to.map((m) => m.address) },
        via: s.via,
        attempts: [],
        owner: s.owner,
      },
      eml,
    );
    return { id, error: null, entry };
  } catch (err) {
    return { id, error: `SendEMail: the outbox ${s.outbox.dir} cannot take the message: ${describeFsError(err)}` };
  }
}

function megabytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
