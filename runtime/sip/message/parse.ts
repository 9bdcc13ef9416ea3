// Reading SIP messages off the network (RFC 3261 §7, framing §18.3). A datagram is one message; a
// stream is cut into messages by Content-Length. What cannot be read as a message at all is dropped;
// what reads as one but breaks a rule still comes back, with `error` set, so it can be answered 400
// (the caller decides: a response is never answered). Never throws.
import { Headers, headerKey, type HeaderField, type SipMessage } from './message';

export interface Parsed {
  message: SipMessage;
  /** Why the message must be refused (400), when it must. */
  error?: string;
}

export type StreamResult =
  | { kind: 'message'; parsed: Parsed; used: number }
  | { kind: 'more' }
  /** Framing is lost: close the connection. */
  | { kind: 'broken'; reason: string };

export const MAX_HEAD_BYTES = 16 * 1024;
export const MAX_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One UDP datagram; null for a keep-alive (CRLFs) or something that is no SIP message. */
export function parseDatagram(bytes: Buffer): Parsed | null {
  const start = skipBlankLines(bytes, 0);
  if (start >= bytes.length) return null;
  const end = headEnd(bytes, start);
  if (!end) return null;
  const head = readHead(bytes.subarray(start, end.head));
  if (!head) return null;
  const length = contentLength(head.fields);
  const available = bytes.length - end.body;
  let error = head.error ?? length.error;
  let body: Buffer;
  if (length.value === null) body = bytes.subarray(end.body);
  else if (length.value > available) {
    error ??= `Content-Length ${length.value} is larger than the ${available} bytes of body in the datagram`;
    body = bytes.subarray(end.body);
  } else body = bytes.subarray(end.body, end.body + length.value);
  return withBody(head, Buffer.from(body), error);
}

/** The next message at the start of a TCP stream's buffer. */
export function parseStream(bytes: Buffer): StreamResult {
  const start = skipBlankLines(bytes, 0);
  if (start >= bytes.length) return { kind: 'more' };
  const end = headEnd(bytes, start);
  if (!end) {
    return bytes.length - start > MAX_HEAD_BYTES
      ? { kind: 'broken', reason: `no end of the header section in ${MAX_HEAD_BYTES} bytes` }
      : { kind: 'more' };
  }
  if (end.head - start > MAX_HEAD_BYTES) return { kind: 'broken', reason: 'header section too long' };
  const head = readHead(bytes.subarray(start, end.head));
  if (!head) return { kind: 'broken', reason: 'not a SIP message' };
  const length = contentLength(head.fields);
  if (length.error && length.value === null && head.fields.some((f) => f.key === 'content-length'))
    return { kind: 'broken', reason: length.error };
  const size = length.value ?? 0;
  if (size > MAX_BODY_BYTES) return { kind: 'broken', reason: `a ${size}-byte body is more than we take` };
  if (bytes.length - end.body < size) return { kind: 'more' };
  const error =
    head.error ?? length.error ?? (length.value === null ? 'no Content-Length (required over TCP)' : undefined);
  return {
    kind: 'message',
    parsed: withBody(head, Buffer.from(bytes.subarray(end.body, end.body + size)), error),
    used: end.body + size,
  };
}

interface Head {
  start:
    | { kind: 'request'; method: string; uri: string; version: string }
    | { kind: 'response'; status: number; reason: string; version: string };
  fields: HeaderField[];
  error?: string;
}

function withBody(head: Head, body: Buffer, error: string | undefined): Parsed {
  const headers = new Headers(head.fields);
  const message: SipMessage =
    head.start.kind === 'request'
      ? { kind: 'request', method: head.start.method, uri: head.start.uri, version: head.start.version, headers, body }
      : {
          kind: 'response',
          status: head.start.status,
          reason: head.start.reason,
          version: head.start.version,
          headers,
          body,
        };
  return error === undefined ? { message } : { message, error };
}

/** CRLFs before a start line are keep-alives (§7.5, RFC 5626). */
function skipBlankLines(bytes: Buffer, at: number): number {
  while (at < bytes.length && (bytes[at] === 0x0d || bytes[at] === 0x0a)) at++;
  return at;
}

/** Where the header section ends (at the empty line; bare LF line ends are read too). */
function headEnd(bytes: Buffer, from: number): { head: number; body: number } | null {
  for (let i = bytes.indexOf(0x0a, from); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
    if (bytes[i + 1] === 0x0a) return { head: i, body: i + 2 };
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return { head: i, body: i + 3 };
  }
  return null;
}

function readHead(bytes: Buffer): Head | null {
  let text: string;
  let error: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = bytes.toString('latin1');
    error = 'the header section is not UTF-8';
  }
  const lines = text.replace(/\r$/, '').split(/\r?\n/);
  const start = readStartLine(lines[0] ?? '');
  if (!start) return null;
  if (start.error) error ??= start.error;
  const fields: HeaderField[] = [];
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line)) {
      // §7.3.1: a line starting with white space continues the previous field.
      const last = fields[fields.length - 1];
      if (last) last.value = `${last.value} ${line.trim()}`.trim();
      else error ??= 'the header section starts with a continuation line';
      continue;
    }
    const m = /^([A-Za-z0-9\-.!%*_+`'~]+)[ \t]*:(.*)$/.exec(line);
    if (!m) {
      error ??= `a header line that is not "Name: value": ${JSON.stringify(line.slice(0, 40))}`;
      continue;
    }
    fields.push({ key: headerKey(m[1]!), value: m[2]!.trim() });
  }
  return { start: start.line, fields, ...(error !== undefined ? { error } : {}) };
}

function readStartLine(line: string): { line: Head['start']; error?: string } | null {
  const response = /^SIP\/(\d+\.\d+) (\d{3}) ?(.*)$/i.exec(line);
  if (response)
    return { line: { kind: 'response', status: Number(response[2]), reason: response[3]!, version: response[1]! } };
  const request = /^(\S+) (\S+) SIP\/(\d+\.\d+)$/i.exec(line);
  if (request) return { line: { kind: 'request', method: request[1]!, uri: request[2]!, version: request[3]! } };
  // Something like a request line with odd spacing: answer it 400 if the rest can be read.
  const loose = /^(\S+)\s+(\S+)\s+SIP\/(\d+\.\d+)\s*$/i.exec(line);
  if (loose)
    return {
      line: { kind: 'request', method: loose[1]!, uri: loose[2]!, version: loose[3]! },
      error: 'the request line must be "Method SP Request-URI SP SIP-Version"',
    };
  return null;
}

function contentLength(fields: HeaderField[]): { value: number | null; error?: string } {
  const values = fields.filter((f) => f.key === 'content-length').map((f) => f.value);
  if (values.length === 0) return { value: null };
  if (values.length > 1) return { value: null, error: 'more than one Content-Length' };
  const text = values[0]!;
  if (!/^\d{1,10}$/.test(text)) return { value: null, error: `Content-Length ${JSON.stringify(text)} is not a length` };
  return { value: Number(text) };
}
