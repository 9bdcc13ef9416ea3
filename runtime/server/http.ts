// Small HTTP helpers: JSON answers, errors as `{ error, problems? }`, size-limited bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Problem } from '../../compiler/flow';

/** Bodies above this are refused with 413 (a WAV upload in base64 is the largest thing sent). */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** An answer other than 200, thrown from a handler; the router turns it into JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems?: Problem[],
    /** More fields for the JSON answer (a 409's `conflict`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: string,
  problems?: Problem[],
  extra?: Record<string, unknown>,
): void {
  sendJson(res, status, { ...extra, error, ...(problems ? { problems } : {}) });
}

export function sendBytes(
  res: ServerResponse,
  contentType: string,
  bytes: Uint8Array,
  headers: Record<string, string> = {},
): void {
  res.writeHead(200, {
    'Content-Type': contentType,
    'Content-Length': bytes.byteLength,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(bytes);
}

/** The whole body, refusing more than `limit` bytes (413) without reading the rest into memory. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, `the request body is larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new HttpError(413, `the request body is larger than ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(new HttpError(400, `the request body could not be read: ${err.message}`));
    });
  });
}

/** The body as JSON; a syntax error is a 400 that says where. */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const body = await readBody(req, limit);
  const text = body.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'the request body is empty: expected JSON');
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new HttpError(400, `the request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A JSON object body (`{ flow, path }` and the like). */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const value = await readJson(req);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(
      400,
      `the request body must be a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `"${field}" must be a string`);
  return v;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const v = optionalString(body, field);
  if (v === undefined || v === '') throw new HttpError(400, `"${field}" is required`);
  return v;
}

export function queryParam(url: URL, name: string): string {
  const v = url.searchParams.get(name);
  if (v === null || v === '') throw new HttpError(400, `the query parameter "${name}" is required`);
  return v;
}
