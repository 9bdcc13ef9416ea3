// One deploy from start to end, as the CLI and the designer's server both run it: read ENV, connect,
// log in, deploy, say goodbye. Bad input of every kind ends in one DeployRunError line.
import type { AccountChange } from './accounts';
import { CliConnectionError, type TranscriptLine } from './connection';
import { DeployError, deployEnvironment, type DeployEvent, type DeployResult } from './deploy';
import { HTTP_PORT, HTTPS_PORT } from './httpCli';
import { connectCli } from './connect';
import { EnvironmentError, readEnvironment, type LocalEnvironment } from './localEnv';
import { PWD_PORT } from './pwd';

export interface DeployRequest {
  /** ENV: a flow file or folder, an environment folder, or an exported .tar. */
  env: string;
  /** HOST or HOST:PORT ([v6]:PORT). */
  server: string;
  domain: string;
  user: string;
  password: string;
  via?: 'pwd' | 'http';
  tls?: 'auto' | 'require' | 'implicit' | 'off';
  ca?: string[];
  allowPlainPassword?: boolean;
  dryRun?: boolean;
  accounts?: boolean;
  timeoutMs?: number;
  confirmAccounts?: (changes: AccountChange[]) => Promise<boolean>;
  /** Called once ENV is read, before connecting. */
  onEnvironment?: (env: LocalEnvironment) => void;
  onEvent?: (event: DeployEvent) => void;
  onLine?: (line: TranscriptLine) => void;
  signal?: AbortSignal;
}

/** Bad input or a failed deploy, as one line; `stored` is what was stored before it stopped. */
export class DeployRunError extends Error {
  constructor(
    message: string,
    readonly stored: string[] = [],
  ) {
    super(message);
    this.name = 'DeployRunError';
  }
}

export async function runDeploy(request: DeployRequest): Promise<DeployResult & { server: string }> {
  const via = request.via ?? 'pwd';
  const tls = request.tls ?? 'auto';
  const { host, port } = parseServer(
    request.server,
    via === 'http' ? (tls === 'off' ? HTTP_PORT : HTTPS_PORT) : PWD_PORT,
  );
  const domain = request.domain.trim();
  if (!/^[A-Za-z0-9.-]+$/.test(domain) || domain.startsWith('.') || domain.endsWith('.'))
    throw new DeployRunError(`--domain '${request.domain}': not a domain name`);
  if (request.user.trim() === '') throw new DeployRunError('--user: the administrator name is empty');
  if (request.password === '') throw new DeployRunError('the password is empty');

  let env: LocalEnvironment;
  try {
    env = await readEnvironment(request.env);
  } catch (err) {
    if (err instanceof EnvironmentError) throw new DeployRunError(err.message);
    throw err;
  }
  if (request.accounts && (!env.pbx || env.pbx.accounts.length === 0))
    throw new DeployRunError(`${request.env}: no accounts to apply (no flow in it declares any)`);
  request.onEnvironment?.(env);

  let cli: Awaited<ReturnType<typeof connectCli>>;
  try {
    cli = await connectCli(via, {
      host,
      port,
      user: request.user.trim(),
      password: request.password,
      tls,
      ...(request.ca ? { ca: request.ca } : {}),
      ...(request.allowPlainPassword ? { allowPlainPassword: true } : {}),
      ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
      ...(request.onLine ? { onLine: request.onLine } : {}),
    });
  } catch (err) {
    if (err instanceof CliConnectionError) throw new DeployRunError(err.message);
    throw err;
  }
  try {
    const result = await deployEnvironment({
      env,
      domain,
      cli,
      dryRun: request.dryRun ?? false,
      accounts: request.accounts ?? false,
      ...(request.confirmAccounts ? { confirmAccounts: request.confirmAccounts } : {}),
      ...(request.onEvent ? { onEvent: request.onEvent } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return { ...result, server: cli.description };
  } catch (err) {
    if (err instanceof DeployError) throw new DeployRunError(err.message, err.stored);
    throw err;
  } finally {
    await cli.close();
  }
}

/** "mail.company.com", "10.0.0.1:8106", "[::1]:106" → host and port. */
export function parseServer(text: string, defaultPort: number): { host: string; port: number } {
  const t = text.trim();
  const m = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(t) ?? /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(t);
  if (!m) throw new DeployRunError(`--server '${text}': expected HOST or HOST:PORT`);
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new DeployRunError(`--server '${text}': the port must be 1-65535`);
  return { host: m[1]!, port };
}
