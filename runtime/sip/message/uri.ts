// SIP and SIPS URIs (RFC 3261 §19.1, grammar in §25.1), parsed strictly: a character the grammar does
// not allow where it stands makes the URI invalid, and %-escapes are decoded exactly once (the bytes
// are UTF-8). The user part keeps both forms: `user` decoded for routing, `userRaw` as written.
import { isIPv4, isIPv6 } from 'node:net';

export interface SipUri {
  scheme: 'sip' | 'sips';
  /** Decoded once; null when the URI has no user part. */
  user: string | null;
  userRaw: string | null;
  password: string | null;
  /** Lower case; an IPv6 address without its brackets. */
  host: string;
  hostKind: 'name' | 'ipv4' | 'ipv6';
  port: number | null;
  /** uri-parameters: names lower case, values decoded (null for a flag such as `lr`). */
  params: Map<string, string | null>;
  headers: [string, string][];
}

const ALNUM = 'A-Za-z0-9';
const MARK = "\\-_.!~*'()";
// user = 1*( unreserved / escaped / user-unreserved ); user-unreserved = & = + $ , ; ? /
const USER = new RegExp(`^(?:[${ALNUM}${MARK}&=+$,;?/]|%[0-9A-Fa-f]{2})+$`);
const PASSWORD = new RegExp(`^(?:[${ALNUM}${MARK}&=+$,]|%[0-9A-Fa-f]{2})*$`);
// paramchar = param-unreserved / unreserved / escaped; param-unreserved = [ ] / : & + $
const PARAM = new RegExp(`^(?:[${ALNUM}${MARK}\\[\\]/:&+$]|%[0-9A-Fa-f]{2})+$`);
// hnv-unreserved = [ ] / ? : + $
const HNAME_VALUE = new RegExp(`^(?:[${ALNUM}${MARK}\\[\\]/?:+$]|%[0-9A-Fa-f]{2})*$`);
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const TOP_LABEL = /^[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** The scheme of any URI text ("sip", "tel"…), lower case, or null. */
export function uriScheme(text: string): string | null {
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase() ?? null;
}

/** %XX → bytes → UTF-8 text; null when an escape is broken or the bytes are not UTF-8. */
export function unescapeText(text: string): string | null {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(text[i]!, 'utf8')) bytes.push(b);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/** Escapes what the user part may not carry as is (the inverse of the user rule above). */
export function escapeUser(user: string): string {
  let out = '';
  for (const ch of user) {
    if (new RegExp(`^[${ALNUM}${MARK}&=+$,;?/]$`).test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** "[::1]" for IPv6, the host itself otherwise. */
export function formatHost(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

/** host[:port] as it goes into a URI or a Via. */
export function hostPort(host: string, port: number | null): string {
  return port === null ? formatHost(host) : `${formatHost(host)}:${port}`;
}

/**
 * @example
 *   parseSipUri('sip:callback%23ivanov@company.com;transport=tcp')
 *   // → { user: 'callback#ivanov', userRaw: 'callback%23ivanov', host: 'company.com', params: {transport: 'tcp'} … }
 */
export function parseSipUri(text: string): SipUri | null {
  const m = /^(sips?):(.*)$/is.exec(text);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase() as 'sip' | 'sips';
  let rest = m[2]!;
  // '@' is legal nowhere but after the user part, so the first one ends it ('?' may be in a user).
  const at = rest.indexOf('@');
  const userinfo = at >= 0 ? rest.slice(0, at) : null;
  if (at >= 0) rest = rest.slice(at + 1);
  const q = rest.indexOf('?');
  const headers = q >= 0 ? rest.slice(q + 1) : null;
  const hp = parseHostParams(q >= 0 ? rest.slice(0, q) : rest);
  if (!hp) return null;
  let user: string | null = null;
  let userRaw: string | null = null;
  let password: string | null = null;
  if (userinfo !== null) {
    const colon = userinfo.indexOf(':');
    userRaw = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    const pw = colon >= 0 ? userinfo.slice(colon + 1) : null;
    if (!USER.test(userRaw)) return null;
    user = unescapeText(userRaw);
    if (user === null) return null;
    if (pw !== null) {
      if (!PASSWORD.test(pw)) return null;
      password = unescapeText(pw);
      if (password === null) return null;
    }
  }
  const parsedHeaders = headers === null || headers === '' ? [] : parseUriHeaders(headers);
  if (!parsedHeaders) return null;
  return { scheme, user, userRaw, password, ...hp, headers: parsedHeaders };
}

function parseHostParams(text: string): Pick<SipUri, 'host' | 'hostKind' | 'port' | 'params'> | null {
  let hostport: string;
  let paramText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    const after = text.slice(close + 1);
    const semi = after.indexOf(';');
    hostport = text.slice(0, close + 1) + (semi >= 0 ? after.slice(0, semi) : after);
    paramText = semi >= 0 ? after.slice(semi) : '';
  } else {
    const semi = text.indexOf(';');
    hostport = semi >= 0 ? text.slice(0, semi) : text;
    paramText = semi >= 0 ? text.slice(semi) : '';
  }
  const host = parseHostPort(hostport);
  if (!host) return null;
  const params = new Map<string, string | null>();
  if (paramText !== '') {
    for (const part of paramText.slice(1).split(';')) {
      const eq = part.indexOf('=');
      const name = eq >= 0 ? part.slice(0, eq) : part;
      const value = eq >= 0 ? part.slice(eq + 1) : null;
      if (!PARAM.test(name) || (value !== null && !PARAM.test(value))) return null;
      const n = unescapeText(name);
      const v = value === null ? null : unescapeText(value);
      if (n === null || (value !== null && v === null)) return null;
      params.set(n.toLowerCase(), v);
    }
  }
  return { ...host, params };
}

/** host [":" port] with the RFC 3261 host rules; IPv6 in brackets. */
export function parseHostPort(
  text: string,
): { host: string; hostKind: SipUri['hostKind']; port: number | null } | null {
  let host: string;
  let portText: string | null = null;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    host = text.slice(1, close);
    const after = text.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return null;
      portText = after.slice(1);
    }
    if (!isIPv6(host)) return null;
  } else {
    const colon = text.indexOf(':');
    host = colon >= 0 ? text.slice(0, colon) : text;
    portText = colon >= 0 ? text.slice(colon + 1) : null;
  }
  let port: number | null = null;
  if (portText !== null) {
    if (!/^\d{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port > 65535) return null;
  }
  if (isIPv6(host)) return text.startsWith('[') ? { host: host.toLowerCase(), hostKind: 'ipv6', port } : null;
  if (isIPv4(host)) return { host, hostKind: 'ipv4', port };
  if (!isHostname(host)) return null;
  return { host: host.toLowerCase(), hostKind: 'name', port };
}

function isHostname(host: string): boolean {
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  if (labels.length === 0 || labels.some((l) => l === '')) return false;
  return labels.slice(0, -1).every((l) => DOMAIN_LABEL.test(l)) && TOP_LABEL.test(labels[labels.length - 1]!);
}

function parseUriHeaders(text: string): [string, string][] | null {
  const out: [string, string][] = [];
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!HNAME_VALUE.test(name) || !HNAME_VALUE.test(value)) return null;
    const n = unescapeText(name);
    const v = unescapeText(value);
    if (n === null || v === null) return null;
    out.push([n, v]);
  }
  return out;
}
