// The built designer (dist/designer): files with their content types, index.html for app routes,
// and the token cookie when the page is opened with `/?token=…`.
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { ServerContext } from './context';
import { sendError } from './http';
import { tokenCookie, tokenMatches } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: ServerContext,
  staticDir: string | undefined,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, `${req.method} is not allowed here`);
  const headers: Record<string, string> = {};
  // The page keeps the token in an HttpOnly cookie: later requests carry it without the URL.
  if (url.pathname === '/' && tokenMatches(url.searchParams.get('token'), ctx.token))
    headers['Set-Cookie'] = tokenCookie(ctx.token);

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return sendError(res, 400, 'the URL path is not valid percent-encoding');
  }
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p.includes('\0') || p.includes('\\'))) return sendError(res, 400, 'bad path');

  const index = staticDir ? join(staticDir, 'index.html') : null;
  if (!index || !(await isFile(index))) {
    if (parts.length > 0) return sendError(res, 404, 'not found');
    return send(res, req, 'text/html; charset=utf-8', Buffer.from(NOT_BUILT), headers);
  }
  const file = parts.length === 0 ? index : join(staticDir!, ...parts);
  if (await isFile(file)) {
    // Vite names what it puts in assets/ by content hash: a browser may keep it for good, and reuses
    // the compiled script next time (V8's code cache), so the designer opens faster the second time.
    if (parts[0] === 'assets' && parts.length > 1) headers['Cache-Control'] = 'public, max-age=31536000, immutable';
    return send(res, req, contentType(file), await readFile(file), headers);
  }
  // An app route (no file extension) is the single-page app; a missing asset is a real 404.
  if (extname(parts[parts.length - 1] ?? '') === '')
    return send(res, req, TYPES['.html']!, await readFile(index), headers);
  sendError(res, 404, `not found: ${pathname.slice(0, 200)}`);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  type: string,
  body: Buffer,
  headers: Record<string, string>,
): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.byteLength,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const NOT_BUILT = `<!doctype html>
<meta charset="utf-8">
<title>IVR Studio</title>
<h1>IVR Studio</h1>
<p>The designer is not built yet. Build it with <code>npm run build:designer</code> (or start everything with
<code>npm start</code>), then reload this page.</p>
<p>The server's API is running.</p>
`;
