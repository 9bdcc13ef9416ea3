// The deploy tests' world: a copy of the samples to change, the test CLI server, a connection to it.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCli, type CliConnection, type ConnectOptions, type TranscriptLine } from '../../runtime/deploy';
import type { CliServerOptions, CliTestServer } from './cliServer';
import { startCliServer } from './cliServer';

export const FIXTURES = new URL('./fixtures/', import.meta.url);
export const SAMPLES = new URL('../../samples/', import.meta.url).pathname;

export async function tlsFiles(): Promise<{ key: string; cert: string }> {
  return {
    key: await readFile(new URL('cli-server.key', FIXTURES), 'utf8'),
    cert: await readFile(new URL('cli-server.crt', FIXTURES), 'utf8'),
  };
}

/** A throw-away copy of samples/ (callback and autosecretary). */
export async function samplesCopy(): Promise<{ dir: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'ivr-deploy-'));
  const dir = join(root, 'samples');
  await cp(SAMPLES, dir, { recursive: true, filter: (src) => !/[/\\]\.[^/\\]+$/.test(src) });
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}

/** The seed's accounts in company.com (what the samples' environment declares). */
export const SEED_ACCOUNTS = { 'company.com': ['ivanov', 'petrov', 'operator', 'pbx'] };

export async function withServer<T>(
  options: CliServerOptions,
  body: (server: CliTestServer) => Promise<T>,
): Promise<T> {
  const server = await startCliServer({ domains: SEED_ACCOUNTS, ...options });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

export function connectTo(
  server: CliTestServer,
  extra: Partial<ConnectOptions> & { via?: 'pwd' | 'http' } = {},
): Promise<CliConnection & { transcript: TranscriptLine[] }> {
  const transcript: TranscriptLine[] = [];
  const { via = 'pwd', ...rest } = extra;
  return connectCli(via, {
    host: '127.0.0.1',
    port: via === 'http' ? server.httpPort! : server.port,
    user: 'postmaster',
    password: 'Pw-4-test',
    tls: 'auto',
    timeoutMs: 10_000,
    onLine: (l) => transcript.push(l),
    ...rest,
  }).then((cli) => Object.assign(cli, { transcript }));
}

export const storesIn = (server: CliTestServer) => server.log.filter((l) => /^STOREDOMAINPBXFILE/i.test(l));
