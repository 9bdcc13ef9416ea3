// The PWD protocol's lines (CommuniGate's CLI over TCP, port 106): every answer is one line
// `NNN text` — 200 OK (with data following on the next lines, or none), 201 the data itself on the
// same line (after INLINE), 300 "send the password", 5xx an error. The greeting ends with a
// challenge `<…>` for the APOP-style secure login: the MD5 of challenge + password, in hex.
import { createHash } from 'node:crypto';

export interface ReplyLine {
  code: number;
  text: string;
}

export const OK = 200;
export const OK_INLINE = 201;
export const SEND_PASSWORD = 300;

/** `200 OK` → { code: 200, text: 'OK' }; anything that is not three digits and a space (or the end) → null. */
export function parseReplyLine(line: string): ReplyLine | null {
  const m = /^([1-9][0-9]{2})(?: (.*)|)$/s.exec(line.replace(/\r?\n$/, '').replace(/\r$/, ''));
  if (!m) return null;
  return { code: Number(m[1]), text: m[2] ?? '' };
}

export const isSuccess = (r: ReplyLine) => r.code >= 200 && r.code < 300;

/** The APOP challenge in the greeting (`<1234.5678@host>`, angle brackets included), or null. */
export function challengeOf(greeting: string): string | null {
  const m = /<[^<>\s]*>/.exec(greeting);
  return m ? m[0] : null;
}

/** The secure-login digest: MD5(challenge + password), lower-case hex. */
export function apopDigest(challenge: string, password: string): string {
  return createHash('md5')
    .update(challenge + password, 'utf8')
    .digest('hex');
}

/** What a transcript shows of a command line: no password, no digest, datablocks as their size. */
export function maskCommand(line: string): string {
  if (/^PASS /i.test(line)) return 'PASS ********';
  if (/^APOP /i.test(line)) return line.replace(/^(APOP \S+) \S+$/i, '$1 <digest>');
  return abbreviateData(line);
}

/** Long `[base64]` runs shortened to their first bytes and size, so a transcript stays readable. */
export function abbreviateData(line: string): string {
  return line.replace(/\[([A-Za-z0-9+/=]{48,})\]/g, (_all, b64: string) => {
    const bytes = Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
    return `[${b64.slice(0, 16)}… ${bytes} bytes]`;
  });
}
