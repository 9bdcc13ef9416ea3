// POST /api/deploy: a deploy to a CommuniGate server for the designer, its progress streamed back as
// server-sent events (`event: line|progress|environment|done|failed`) on the response itself. The
// client closing the response cancels the deploy before its next command. The password is used for
// this one deploy and kept nowhere.
import type { ServerResponse } from 'node:http';
import { DeployRunError, runDeploy, type DeployEvent, type DeployRequest, type LocalEnvironment } from '../../deploy';
import type { Routes } from '../context';
import { HttpError, readJsonObject, requiredString } from '../http';
import { insideWorkspaceSync, resolveInWorkspace, workspaceRelative } from '../security';

const VIA = ['pwd', 'http'] as const;
const TLS = ['auto', 'require', 'implicit', 'off'] as const;

export const deployRoutes: Routes = {
  'POST /api/deploy': async (req, res, _url, ctx) => {
    const body = await readJsonObject(req);
    const env = await resolveInWorkspace(ctx.workspace, requiredString(body, 'env'));
    const request: DeployRequest = {
      env,
      server: requiredString(body, 'server'),
      domain: requiredString(body, 'domain'),
      user: requiredString(body, 'user'),
      password: requiredString(body, 'password'),
      via: oneOf(body.via, VIA, 'via') ?? 'pwd',
      tls: oneOf(body.tls, TLS, 'tls') ?? 'auto',
      dryRun: flag(body.dryRun, 'dryRun'),
      accounts: flag(body.accounts, 'accounts'),
      allowPlainPassword: flag(body.allowPlainPassword, 'allowPlainPassword'),
    };
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    const send = (event: string, data: unknown) => {
      if (!res.writableEnded && !res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    try {
      const result = await runDeploy({
        ...request,
        signal: abort.signal,
        onEnvironment: (e) => send('environment', describe(e, ctx.workspace)),
        onEvent: (e: DeployEvent) => send('progress', e),
        onLine: (line) => send('line', line),
      });
      send('done', result);
    } catch (err) {
      if (!(err instanceof DeployRunError)) throw err;
      send('failed', { error: err.message.replaceAll(ctx.workspace, '<workspace>'), stored: err.stored });
    } finally {
      end(res);
    }
  },
};

/** The environment as the dialog shows it; a prompt file outside the workspace stops the deploy here. */
function describe(env: LocalEnvironment, workspace: string) {
  for (const f of env.files) {
    const path = f.source.startsWith('compiled from ')
      ? f.source.slice('compiled from '.length)
      : f.source.split(':')[0]!;
    if (insideWorkspaceSync(workspace, path) === null)
      throw new DeployRunError(`${f.path}: its file is outside the workspace`);
  }
  return {
    env: workspaceRelative(workspace, env.root) ?? env.root,
    programs: env.programs,
    languages: env.languages,
    files: env.files.map((f) => ({ path: f.path, bytes: f.bytes.length })),
    accounts: env.pbx?.accounts.map((a) => a.name) ?? [],
    warnings: env.warnings.map((w) => w.replaceAll(workspace, '<workspace>')),
  };
}

function end(res: ServerResponse): void {
  if (!res.writableEnded && !res.destroyed) res.end();
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new HttpError(400, `"${field}" must be one of ${allowed.join(', ')}`);
}

function flag(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new HttpError(400, `"${field}" must be true or false`);
  return value;
}
