// startServer: the designer's local server — one HTTP server for the API and the built designer,
// one WebSocket for live test calls, one Mailer whose outbox every socket hears about.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createMailer } from '../mail';
import type { Routes, ServerContext } from './context';
import { HttpError, sendError } from './http';
import { hostAllowed, newToken, originAllowed, ownOrigins, requestToken, tokenMatches } from './security';
import { serveStatic } from './static';
import { attachWebSocket } from './ws/hub';
import { fileRoutes } from './routes/files';
import { compileRoutes } from './routes/compile';
import { audioRoutes } from './routes/audio';
import { outboxRoutes } from './routes/outbox';
import { deployRoutes } from './routes/deploy';
import { workspaceRoutes } from './routes/workspace';
import { DEFAULT_MAX_FLOW_BYTES } from './files';
import { tidyWorkspace } from './workspace';

export interface ServerOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  /** Default 127.0.0.1: the server is for this machine only. */
  host?: string;
  /** The folder of flows the designer works in. */
  workspace: string;
  /** The built designer (dist/designer); without it `/` says how to build it. */
  staticDir?: string;
  /** Default `<workspace>/.outbox`. */
  outboxDir?: string;
  /** Default: a new random token. */
  token?: string;
  /** The largest flow file read or written; default 5 MB (DEFAULT_MAX_FLOW_BYTES). */
  maxFlowBytes?: number;
}

export interface RunningServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const ROUTES: Routes = {
  ...fileRoutes,
  ...workspaceRoutes,
  ...compileRoutes,
  ...audioRoutes,
  ...outboxRoutes,
  ...deployRoutes,
};

/**
 * @example
 *   const server = await startServer({ workspace: 'samples', staticDir: 'dist/designer' });
 *   console.log(`${server.url}/?token=${server.token}`);
 *   await server.close();
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const workspace = await realpath(resolve(options.workspace)).catch(() => {
    throw new Error(`the workspace ${options.workspace} does not exist`);
  });
  if (!(await stat(workspace)).isDirectory()) throw new Error(`the workspace ${options.workspace} is not a folder`);
  const host = options.host ?? '127.0.0.1';
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  const mailer = await createMailer({ outboxDir: options.outboxDir ?? join(workspace, '.outbox') });
  const ctx: ServerContext = {
    workspace,
    token: options.token ?? newToken(),
    port: 0,
    origins: new Set(),
    mailer,
    version: await packageVersion(),
    maxFlowBytes: options.maxFlowBytes ?? DEFAULT_MAX_FLOW_BYTES,
  };
  // Temp files of saves killed mid-write, and drafts abandoned long ago: gone before anyone lists files.
  const tidied = tidyWorkspace(workspace);
  const staticDir = options.staticDir === undefined ? undefined : resolve(options.staticDir);

  const server = createServer((req, res) => {
    handle(req, res, ctx, loopback, staticDir).catch((err: unknown) => {
      // The last line of defence: a bug in a handler is a 500, never a crash.
      if (!res.headersSent) sendError(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const hub = attachWebSocket(server, ctx, loopback);

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (err) {
    await mailer.close();
    throw err;
  }
  ctx.port = (server.address() as AddressInfo).port;
  ctx.origins = ownOrigins(ctx.port);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${ctx.port}`,
    port: ctx.port,
    token: ctx.token,
    close() {
      closing ??= (async () => {
        await tidied;
        await hub.close();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        await mailer.close();
      })();
      return closing;
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ServerContext,
  loopback: boolean,
  staticDir: string | undefined,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return sendError(res, 400, 'bad request URL');
  }
  if (!hostAllowed(req, ctx.port, loopback) || !originAllowed(req, ctx.origins)) {
    return sendError(res, 403, 'requests from other sites are refused: open IVR Studio from the URL it printed');
  }
  if (!url.pathname.startsWith('/api/') && url.pathname !== '/api') return serveStatic(req, res, url, ctx, staticDir);
  if (!tokenMatches(requestToken(req, url), ctx.token)) {
    return sendError(res, 401, 'missing or wrong token: open IVR Studio from the URL it printed (…/?token=…)');
  }
  const found = findRoute(ROUTES, req.method ?? 'GET', url.pathname);
  if (!found) {
    const known = Object.keys(ROUTES).some((k) => matchPath(k.slice(k.indexOf(' ') + 1), url.pathname));
    return sendError(
      res,
      known ? 405 : 404,
      known ? `${req.method} is not allowed on ${url.pathname}` : `no API ${url.pathname}`,
    );
  }
  try {
    await found.handler(req, res, url, ctx, found.params);
  } catch (err) {
    if (err instanceof HttpError) return sendError(res, err.status, err.message, err.problems, err.extra);
    const fsStatus = FS_STATUS[(err as NodeJS.ErrnoException)?.code ?? ''];
    if (fsStatus)
      return sendError(
        res,
        fsStatus,
        `${url.pathname}: ${(err as Error).message.replace(ctx.workspace, '<workspace>')}`,
      );
    throw err;
  }
}

function findRoute(
  routes: Routes,
  method: string,
  pathname: string,
): { handler: Routes[string]; params: Record<string, string> } | null {
  const exact = routes[`${method} ${pathname}`];
  if (exact) return { handler: exact, params: {} };
  for (const [key, handler] of Object.entries(routes)) {
    const space = key.indexOf(' ');
    if (key.slice(0, space) !== method || !key.includes('/:')) continue;
    const params = matchPath(key.slice(space + 1), pathname);
    if (params) return { handler, params };
  }
  return null;
}

/** The `:name` values when `pathname` fits `pattern`, else null. */
function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(got[i]!);
      } catch {
        return null;
      }
      if (value === '') return null;
      params[w.slice(1)] = value;
    } else if (w !== got[i]) return null;
  }
  return params;
}

/** File-system failures on a client's path are the client's problem, not the server's. */
const FS_STATUS: Record<string, number> = {
  ENOENT: 404,
  ENOTDIR: 400,
  EISDIR: 400,
  ENAMETOOLONG: 400,
  EEXIST: 409,
  EACCES: 403,
  EPERM: 403,
};

async function packageVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
