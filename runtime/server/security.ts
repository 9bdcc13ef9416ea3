// What keeps a local server local: a per-start token, same-origin requests only, and client paths
// that cannot leave the workspace (no `..`, no absolute paths, no symlink pointing out).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { HttpError } from './http';

export const TOKEN_HEADER = 'x-ivr-token';
export const TOKEN_COOKIE = 'ivr_token';

/** 32 hex characters. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}

/** The token a request carries: header, then `?token=`, then the cookie. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const query = url.searchParams.get('token');
  if (query) return query;
  return cookie(req, TOKEN_COOKIE);
}

export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The origins this server accepts from a browser: itself, by IP or by name. */
export function ownOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);
}

/** A request without Origin (curl, a same-origin GET) is fine; a foreign one is not. */
export function originAllowed(req: IncomingMessage, origins: Set<string>): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origins.has(origin);
}

/**
 * Against DNS rebinding: a page from evil.example whose name now points at 127.0.0.1 sends
 * `Host: evil.example:PORT`. Only enforced when the server listens on a loopback address.
 */
export function hostAllowed(req: IncomingMessage, port: number, loopback: boolean): boolean {
  if (!loopback) return true;
  const host = req.headers.host;
  return host === undefined || ownOrigins(port).has(`http://${host}`);
}

function outside(path: unknown): HttpError {
  const shown =
    typeof path === 'string' ? JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path) : String(path);
  return new HttpError(400, `path ${shown} is outside the workspace`);
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Checks the shape of a client path: workspace-relative, `/` separators, no `..`, no NUL. */
function checkShape(path: unknown): string {
  if (typeof path !== 'string' || path === '') throw new HttpError(400, 'a workspace-relative path is required');
  if (path.length > 1024 || path.includes('\0') || path.includes('\\') || isAbsolute(path) || /^[A-Za-z]:/.test(path))
    throw outside(path);
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) throw outside(path);
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

/**
 * A client path → the absolute path inside `workspace` (which must already be a realpath).
 * Follows symlinks of the target, or of its nearest existing folder when it does not exist yet,
 * so a link pointing out of the workspace is refused. Throws HttpError(400).
 */
export async function resolveInWorkspace(workspace: string, path: unknown): Promise<string> {
  const clean = checkShape(path);
  const target = join(workspace, clean);
  let probe = target;
  for (;;) {
    try {
      const real = await realpath(probe);
      if (!isInside(workspace, real)) throw outside(path);
      // The part that does not exist yet cannot be a link; the real folder plus that part is the file.
      return probe === target ? real : join(real, relative(probe, target));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw outside(path);
      const up = dirname(probe);
      if (up === probe || !isInside(workspace, up)) throw outside(path);
      probe = up;
    }
  }
}

/** Synchronous variant for validateFlow's file check: the absolute path, or null when outside. */
export function insideWorkspaceSync(workspace: string, absolute: string): string | null {
  let probe = absolute;
  for (;;) {
    try {
      const real = realpathSync(probe);
      if (!isInside(workspace, real)) return null;
      return probe === absolute ? real : join(real, relative(probe, absolute));
    } catch {
      const up = dirname(probe);
      if (up === probe || !isInside(workspace, up)) return null;
      probe = up;
    }
  }
}

/** The workspace-relative `/` path of an absolute path inside it, or null. */
export function workspaceRelative(workspace: string, absolute: string): string | null {
  if (!isInside(workspace, absolute)) return null;
  return relative(workspace, absolute).split(sep).join('/');
}
