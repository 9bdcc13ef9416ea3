// HTTP Digest authentication as SIP uses it (RFC 3261 §22.4, RFC 2617 with MD5 and qop=auth): the
// challenge we send, the Authorization header a phone answers with, and the check of its response
// against the account's password. Nonces carry their own time and an HMAC, so a server restart or a
// second process needs no shared table, and a nonce older than NONCE_MS is "stale" (a new challenge,
// not a wrong password).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const NONCE_MS = 5 * 60_000;

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * The parameters of `Digest a=b, c="d"`, names lower case; null when it is not Digest or cannot be read.
 * @example parseDigest('Digest username="ivanov", nc=00000001') → { username: 'ivanov', nc: '00000001' }
 */
export function parseDigest(header: string): Record<string, string> | null {
  const m = /^\s*Digest\s+/i.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  let at = m[0].length;
  const text = header;
  while (at < text.length) {
    const name = /^\s*([A-Za-z0-9_-]+)\s*=\s*/.exec(text.slice(at));
    if (!name) return null;
    at += name[0].length;
    let value: string;
    if (text[at] === '"') {
      let out = '';
      let i = at + 1;
      for (; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        out += text[i];
      }
      if (i >= text.length) return null;
      value = out;
      at = i + 1;
    } else {
      const token = /^[^\s,"]*/.exec(text.slice(at))![0];
      value = token;
      at += token.length;
    }
    const key = name[1]!.toLowerCase();
    if (Object.hasOwn(params, key)) return null;
    params[key] = value;
    const sep = /^\s*(,|$)\s*/.exec(text.slice(at));
    if (!sep) return null;
    at += sep[0].length;
  }
  return params;
}

export function credentialsOf(params: Record<string, string>): DigestCredentials | null {
  const { username, realm, nonce, uri, response } = params;
  if (!username || realm === undefined || !nonce || !uri || !response) return null;
  return { ...params, username, realm, nonce, uri, response } as DigestCredentials;
}

/** The response a phone computes for this method and password (RFC 2617 §3.2.2.1). */
export function digestResponse(c: Omit<DigestCredentials, 'response'>, method: string, password: string): string {
  const ha1 = md5(`${c.username}:${c.realm}:${password}`);
  const ha2 = md5(`${method}:${c.uri}`);
  return c.qop
    ? md5(`${ha1}:${c.nonce}:${c.nc ?? ''}:${c.cnonce ?? ''}:${c.qop}:${ha2}`)
    : md5(`${ha1}:${c.nonce}:${ha2}`);
}

export class DigestAuth {
  private readonly key = randomBytes(32);

  constructor(
    readonly realm: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A WWW-Authenticate value with a fresh nonce. */
  challenge(stale = false): string {
    return `Digest realm="${this.realm}", nonce="${this.nonce()}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
  }

  /**
   * 'ok' when the credentials prove the password; 'stale' when they would with a fresh nonce; else why not.
   * The password is never compared directly: only the digest of this request.
   */
  verify(c: DigestCredentials, method: string, password: string): 'ok' | 'stale' | 'wrong' | 'bad' {
    if (c.realm !== this.realm) return 'bad';
    if (c.algorithm && c.algorithm.toUpperCase() !== 'MD5') return 'bad';
    if (c.qop && (c.qop !== 'auth' || !c.nc || !c.cnonce)) return 'bad';
    const issued = this.nonceTime(c.nonce);
    if (issued === null) return 'bad';
    const expected = Buffer.from(digestResponse(c, method, password));
    const given = Buffer.from(c.response.toLowerCase());
    const right = expected.length === given.length && timingSafeEqual(expected, given);
    if (!right) return 'wrong';
    return this.now() - issued > NONCE_MS ? 'stale' : 'ok';
  }

  private nonce(): string {
    const t = this.now().toString(36);
    return `${t}.${this.sign(t)}`;
  }

  private nonceTime(nonce: string): number | null {
    const [t, mac] = nonce.split('.');
    if (!t || !mac || mac !== this.sign(t)) return null;
    const ms = Number.parseInt(t, 36);
    return Number.isFinite(ms) ? ms : null;
  }

  private sign(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url').slice(0, 22);
  }
}
