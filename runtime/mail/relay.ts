// The outgoing relay: its configuration (object or smtp:// / smtps:// URL), the nodemailer transport
// options with every wait bounded, and nodemailer's errors turned into one line for SendEMail.
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';

export interface RelayConfig {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, usually port 465); otherwise STARTTLS when the relay offers it. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** Never upgrade with STARTTLS, even when offered (refused with a login unless allowPlainLogin). */
  ignoreTls?: boolean;
  /**
   * Send the user and password without TLS. Off by default: a login then needs smtps:// or STARTTLS,
   * and a relay that offers neither gets no credentials. For a relay on a trusted network only.
   */
  allowPlainLogin?: boolean;
}

export type RelayParse = { ok: true; relay: RelayConfig } | { ok: false; error: string };

/**
 * Reads a relay setting: a RelayConfig or a URL such as `smtp://user:pass@mail.company.com:587`
 * or `smtps://mail.company.com` (port 465). `?ignoreTls=true` on an smtp:// URL turns STARTTLS off.
 */
export function parseRelay(input: RelayConfig | string): RelayParse {
  if (typeof input === 'string') return parseRelayUrl(input);
  if (typeof input !== 'object' || input === null)
    return { ok: false, error: 'mail relay: expected an smtp:// URL or {host, port}' };
  if (typeof input.host !== 'string' || input.host.trim() === '' || /[\s/@]/.test(input.host)) {
    return { ok: false, error: `mail relay: bad host '${String(input.host)}'` };
  }
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) {
    return { ok: false, error: `mail relay: port must be 1..65535, got ${String(input.port)}` };
  }
  if (input.pass !== undefined && input.user === undefined)
    return { ok: false, error: 'mail relay: a password without a user' };
  if (input.user !== undefined && input.ignoreTls && !input.secure && !input.allowPlainLogin)
    return {
      ok: false,
      error:
        'mail relay: ignoreTls with a login would send the password in clear; add allowPlainLogin=true if you mean it',
    };
  return { ok: true, relay: { ...input } };
}

function parseRelayUrl(text: string): RelayParse {
  const hint = 'expected smtp://user:pass@host:port or smtps://host:port';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `mail relay: '${redactUrl(text)}' is not a URL; ${hint}` };
  }
  const scheme = url.protocol.toLowerCase();
  if (scheme !== 'smtp:' && scheme !== 'smtps:')
    return { ok: false, error: `mail relay: unsupported scheme '${scheme}'; ${hint}` };
  if (url.hostname === '') return { ok: false, error: `mail relay: no host in '${redactUrl(text)}'; ${hint}` };
  if (url.pathname !== '' && url.pathname !== '/')
    return { ok: false, error: `mail relay: unexpected path '${url.pathname}'; ${hint}` };
  const secure = scheme === 'smtps:';
  const relay: RelayConfig = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (secure ? 465 : 25) : Number(url.port),
    secure,
  };
  try {
    if (url.username !== '') relay.user = decodeURIComponent(url.username);
    if (url.password !== '') relay.pass = decodeURIComponent(url.password);
  } catch {
    return { ok: false, error: 'mail relay: the user or password in the URL is badly %-encoded' };
  }
  const flag = (name: string) => ['true', '1'].includes(url.searchParams.get(name) ?? '');
  if (flag('ignoreTls') || flag('ignoreTLS')) relay.ignoreTls = true;
  if (flag('allowPlainLogin')) relay.allowPlainLogin = true;
  return parseRelay(relay);
}

/** The relay as shown to the user: never the password. */
export function describeRelay(relay: RelayConfig): string {
  const scheme = relay.secure ? 'smtps' : 'smtp';
  const user = relay.user !== undefined ? `${encodeURIComponent(relay.user)}@` : '';
  const host = relay.host.includes(':') ? `[${relay.host}]` : relay.host;
  const tls = relay.secure
    ? 'TLS'
    : relay.user !== undefined && !relay.allowPlainLogin
      ? 'STARTTLS required for the login'
      : relay.ignoreTls
        ? 'no TLS'
        : 'STARTTLS when offered';
  return `${scheme}://${user}${host}:${relay.port} (${tls})`;
}

export function transportOptions(relay: RelayConfig, timeoutMs: number): SMTPTransportOptions {
  const options: SMTPTransportOptions = {
    host: relay.host,
    port: relay.port,
    secure: relay.secure === true,
    ignoreTLS: relay.ignoreTls === true,
    // Credentials only over TLS: without smtps, STARTTLS must succeed before the login is sent.
    requireTLS: relay.user !== undefined && relay.secure !== true && relay.allowPlainLogin !== true,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    socketCloseTimeout: Math.min(timeoutMs, 1000),
    logger: false,
    debug: false,
  };
  if (relay.user !== undefined) options.auth = { user: relay.user, pass: relay.pass ?? '' };
  return options;
}

interface NodemailerError {
  code?: string;
  message?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  syscall?: string;
  rejected?: string[];
}

/** One line saying what went wrong at the relay, for SendEMail's result and the outbox. */
export function relayError(err: unknown, where: string, timeoutMs: number, user?: string): string {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as NodemailerError;
  const message = oneLine(e.message ?? 'unknown error');
  const server = e.response !== undefined ? oneLine(e.response) : undefined;
  if (e.code === 'EABORT' || e.code === 'ETIMEDOUT') {
    const what = /greeting/i.test(message) ? ' (no greeting)' : '';
    return `SMTP relay ${where} did not answer within ${timeoutMs} ms${what}`;
  }
  if (/ECONNREFUSED/.test(message)) return `SMTP relay ${where} refused the connection`;
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `SMTP relay ${where}: host not found`;
  if (/ECONNRESET|EPIPE/.test(message)) return `SMTP relay ${where} dropped the connection`;
  if (e.code === 'EENVELOPE') {
    const who = e.rejected && e.rejected.length > 0 ? ` ${e.rejected.join(', ')}` : '';
    return `SMTP relay ${where} refused recipient${who}: ${server ?? message}`;
  }
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    return `SMTP relay ${where} rejected the login${user !== undefined ? ` of '${user}'` : ''}: ${server ?? message}`;
  }
  if (e.code === 'ETLS' && e.command === 'STARTTLS' && user !== undefined)
    return `SMTP relay ${where} did not start TLS (${server ?? message}), so the login of '${user}' was not sent: use smtps://, or allowPlainLogin=true for a relay on a trusted network`;
  if (e.code === 'ETLS') return `SMTP relay ${where}: TLS failed: ${message}`;
  if (e.code === 'EMESSAGE' && server !== undefined) return `SMTP relay ${where} refused the message: ${server}`;
  if (server !== undefined) return `SMTP relay ${where}: ${server}`;
  return `SMTP relay ${where}: ${message}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function redactUrl(text: string): string {
  return text.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
}
