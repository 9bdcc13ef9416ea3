// SendEMail's arguments → checked addresses and headers → the exact RFC 5322 message (.eml).
// Checks run before anything is sent: a CR or LF smuggled into a header would let a caller's
// data (a caller id, a DTMF-built subject) add recipients or headers of its own.
import addressparser from 'nodemailer/lib/addressparser';
import type { Address } from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerAttachment, MailComposerOptions } from 'nodemailer/lib/mail-composer';
import type { EmailPart, EmailRequest } from '../call/api';

export interface Mailbox {
  name: string;
  address: string;
}

/** A request that passed the checks: envelope addresses and the options to compose it. */
export interface CheckedEmail {
  from: Mailbox;
  to: Mailbox[];
  subject: string;
  headers: Record<string, string>;
  text?: string;
  attachments: MailComposerAttachment[];
}

export type CheckResult = { ok: true; email: CheckedEmail } | { ok: false; error: string };

// Set from SendEMail's own arguments or by the composer (as are all Content-* fields); a header of
// the same name would conflict.
const RESERVED_HEADERS = new Set(['from', 'to', 'subject', 'message-id', 'date', 'mime-version', 'bcc']);
// RFC 5322 field name: printable ASCII except ':'.
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]{1,76}$/;
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const ADDRESS_LITERAL = /^\[(?:\d{1,3}(?:\.\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]+)\]$/;
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(?:\s*;[\x20-\x7e]*)?$/;
const MAX_HEADER_TEXT = 998;

const hasLineBreak = (s: string) => /[\r\n]/.test(s);

/** Checks SendEMail's arguments; never throws, whatever the caller passed at run time. */
export function checkEmail(req: EmailRequest): CheckResult {
  const r = req as unknown as Record<string, unknown>;
  if (typeof r !== 'object' || r === null) return fail('SendEMail: the request is not an object');
  for (const field of ['from', 'subject', 'to'] as const) {
    if (typeof r[field] !== 'string') return fail(`SendEMail: ${field} must be a string, got ${describe(r[field])}`);
    if (hasLineBreak(r[field]))
      return fail(`SendEMail: ${field} contains a line break (CR or LF); header injection refused`);
    if (r[field].length > MAX_HEADER_TEXT)
      return fail(`SendEMail: ${field} is longer than ${MAX_HEADER_TEXT} characters`);
  }
  const from = parseMailboxes(req.from, 'from');
  if (typeof from === 'string') return fail(from);
  if (from.length !== 1) return fail(`SendEMail: from must hold exactly one address, got ${from.length}`);
  const to = parseMailboxes(req.to, 'to');
  if (typeof to === 'string') return fail(to);
  if (to.length === 0) return fail('SendEMail: to holds no address');

  const headers = checkHeaders(r.headers);
  if (typeof headers === 'string') return fail(headers);
  const content = checkContent(r.content);
  if (typeof content === 'string') return fail(content);
  return { ok: true, email: { from: from[0]!, to, subject: req.subject, headers, ...content } };
}

/** Parses "Name <a@b>, c@d" into mailboxes, or returns an error string naming the bad one. */
export function parseMailboxes(text: string, field: string): Mailbox[] | string {
  let parsed: Address[];
  try {
    parsed = addressparser(text, { flatten: true }) as Address[];
  } catch {
    return `SendEMail: ${field} '${text}' is not an address list`;
  }
  const out: Mailbox[] = [];
  for (const item of parsed) {
    if (item.group !== undefined) return `SendEMail: ${field} '${text}' holds an address group`;
    const address = item.address.trim();
    if (address === '' && item.name.trim() === '') continue;
    if (!isValidAddress(address)) {
      return `SendEMail: ${field} has an invalid address '${address || item.name}' (expected user@domain)`;
    }
    out.push({ name: item.name, address });
  }
  return out;
}

/** user@domain: an ASCII dot-atom local part, a domain of letter/digit labels (IDN allowed) or a literal. */
export function isValidAddress(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return false;
  if (ADDRESS_LITERAL.test(domain)) return true;
  return domain.split('.').every((label) => DOMAIN_LABEL.test(label));
}

function checkHeaders(value: unknown): Record<string, string> | string {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    return `SendEMail: headers must be a dictionary or null, got ${describe(value)}`;
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!HEADER_NAME.test(name)) return `SendEMail: header name '${printable(name)}' is not a valid field name`;
    if (RESERVED_HEADERS.has(name.toLowerCase()) || /^content-/i.test(name))
      return `SendEMail: header '${name}' is set by SendEMail itself and cannot be given in headers`;
    if (typeof raw !== 'string' && typeof raw !== 'number')
      return `SendEMail: header '${name}' must be a string, got ${describe(raw)}`;
    const text = String(raw);
    if (hasLineBreak(text))
      return `SendEMail: header '${name}' contains a line break (CR or LF); header injection refused`;
    if (text.length > MAX_HEADER_TEXT)
      return `SendEMail: header '${name}' is longer than ${MAX_HEADER_TEXT} characters`;
    out[name] = text;
  }
  return out;
}

function checkContent(content: unknown): { text?: string; attachments: MailComposerAttachment[] } | string {
  if (typeof content === 'string') return { text: content, attachments: [] };
  if (content instanceof Uint8Array) {
    return {
      attachments: [{ content: toBuffer(content), contentType: 'application/octet-stream', filename: 'data.bin' }],
    };
  }
  if (!Array.isArray(content))
    return `SendEMail: content must be a string, a datablock or an array of parts, got ${describe(content)}`;
  let text: string | undefined;
  const attachments: MailComposerAttachment[] = [];
  for (let i = 0; i < content.length; i++) {
    const item: unknown = content[i];
    if (typeof item === 'string' && text === undefined) {
      text = item;
      continue;
    }
    if (typeof item === 'string') {
      attachments.push({
        content: item,
        contentType: 'text/plain; charset=utf-8',
        contentDisposition: 'inline',
        filename: false,
      });
      continue;
    }
    const part = checkPart(item, i);
    if (typeof part === 'string') return part;
    attachments.push(part);
  }
  return text === undefined ? { attachments } : { text, attachments };
}

function checkPart(item: unknown, i: number): MailComposerAttachment | string {
  if (typeof item !== 'object' || item === null)
    return `SendEMail: content[${i}] must be a string or a part {contentType, body}, got ${describe(item)}`;
  const p = item as Partial<EmailPart>;
  if (typeof p.contentType !== 'string' || !CONTENT_TYPE.test(p.contentType)) {
    return `SendEMail: content[${i}].contentType '${printable(String(p.contentType))}' is not a MIME type like audio/wav`;
  }
  if (
    p.fileName !== undefined &&
    (typeof p.fileName !== 'string' || hasLineBreak(p.fileName) || p.fileName.length > 255)
  ) {
    return `SendEMail: content[${i}].fileName must be a file name without line breaks`;
  }
  let body: Buffer | string;
  if (typeof p.body === 'string') body = p.body;
  else if (p.body instanceof Uint8Array) body = toBuffer(p.body);
  else return `SendEMail: content[${i}].body must be a string or a datablock, got ${describe(p.body)}`;
  const isText = /^text\//i.test(p.contentType);
  const contentType =
    isText && typeof body === 'string' && !/charset=/i.test(p.contentType)
      ? `${p.contentType}; charset=utf-8`
      : p.contentType;
  return { content: body, contentType, filename: p.fileName ?? false };
}

/**
 * Builds the message exactly as it will cross SMTP. `messageId` is the full `<…>` value.
 * Async because MailComposer streams; rejects only on a composer bug, not on user input
 * (checkEmail has vetted that).
 */
export async function composeEml(email: CheckedEmail, messageId: string, date = new Date()): Promise<Buffer> {
  // nodemailer re-cases header names (X-CallID → X-Callid); a flow's headers keep the caller's spelling.
  const spelling = new Map(Object.keys(email.headers).map((name) => [name.toLowerCase(), name]));
  const options: MailComposerOptions = {
    normalizeHeaderKey: (key) => spelling.get(key.toLowerCase()) ?? key,
    from: email.from,
    to: email.to,
    subject: email.subject,
    messageId,
    date,
    headers: email.headers,
    attachments: email.attachments,
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'win',
  };
  if (email.text !== undefined) options.text = email.text;
  return new MailComposer(options).compile().build();
}

/**
 * A stand-in message for a request that failed the checks, so the outbox still shows what was asked:
 * line breaks become spaces and the body is kept when it is text.
 */
export async function composeRefused(req: EmailRequest, reason: string, messageId: string): Promise<Buffer> {
  const r = req as unknown as Record<string, unknown>;
  const flat = (x: unknown) => (typeof x === 'string' ? x.replace(/[\r\n]+/g, ' ').slice(0, MAX_HEADER_TEXT) : '');
  const body =
    typeof r?.content === 'string'
      ? r.content
      : Array.isArray(r?.content) && typeof r.content[0] === 'string'
        ? r.content[0]
        : '';
  const options: MailComposerOptions = {
    subject: flat(r?.subject),
    messageId,
    headers: {
      'X-IVR-Studio-Refused': flat(reason),
      'X-IVR-Studio-From': flat(r?.from),
      'X-IVR-Studio-To': flat(r?.to),
    },
    text: body,
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'win',
  };
  return new MailComposer(options).compile().build();
}

function toBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

function fail(error: string): CheckResult {
  return { ok: false, error };
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (x instanceof Uint8Array) return 'a datablock';
  return typeof x;
}

function printable(s: string): string {
  return JSON.stringify(s).slice(1, -1).slice(0, 80);
}
