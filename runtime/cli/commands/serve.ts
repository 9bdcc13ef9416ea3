// `ivr-studio serve` (and `start`): the designer's local server on 127.0.0.1, opened in the browser.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { startServer } from '../../server';
import { defaultWorkspace, ensureWorkspace } from '../../server/workspace';
import { CliError } from '../io';
import type { CliOutput } from '../main';

/** Where `npm run build:designer` (vite.config.ts) puts the designer. */
export const DESIGNER_DIR = resolve(fileURLToPath(new URL('../../../dist/designer', import.meta.url)));

export interface ServeOpts {
  port?: string;
  workspace?: string;
  outbox?: string;
  /** MB */
  maxFlowSize?: string;
  /** commander's --no-open */
  open?: boolean;
}

export function addServeOptions(command: Command): Command {
  return command
    .option('--port <port>', 'the port to listen on (default: a free one)')
    .option('--workspace <dir>', 'the folder of flows to work in (default: ~/IVR Studio, created with the samples)')
    .option('--outbox <dir>', 'where e-mails from test calls are kept (default: <workspace>/.outbox)')
    .option('--max-flow-size <MB>', 'the largest flow file the designer opens or saves (default: 5)')
    .option('--no-open', 'do not open a browser');
}

export function registerServeCommand(program: Command, io: CliOutput, _setExit: (code: number) => void): void {
  addServeOptions(
    program.command('serve').description('start the designer: a local server on 127.0.0.1, opened in your browser'),
  ).action((opts: ServeOpts) => runServe(opts, io));
}

/**
 * Runs until Ctrl-C (SIGINT/SIGTERM) or until `stop` aborts.
 * @example await runServe({ workspace: 'flows', open: false }, io, controller.signal);
 */
export async function runServe(opts: ServeOpts, io: CliOutput, stop?: AbortSignal): Promise<void> {
  const port = parsePort(opts.port);
  const maxFlowBytes = parseMegabytes(opts.maxFlowSize);
  let workspace: string;
  let created = false;
  if (opts.workspace !== undefined) {
    workspace = resolve(opts.workspace);
    if (!existsSync(workspace)) throw new CliError(`--workspace: no folder ${workspace}`);
  } else {
    // The user's own folder, never the shipped samples: they are copied in the first time.
    workspace = defaultWorkspace();
    try {
      created = await ensureWorkspace(workspace);
    } catch (err) {
      throw new CliError(
        `cannot create the workspace ${workspace}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      port,
      workspace,
      staticDir: DESIGNER_DIR,
      ...(maxFlowBytes !== undefined ? { maxFlowBytes } : {}),
      ...(opts.outbox !== undefined ? { outboxDir: resolve(opts.outbox) } : {}),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`port ${port} is in use: pick another with --port, or leave it out for a free one`);
    if (code === 'EACCES') throw new CliError(`port ${port} needs more privileges: pick one above 1023`);
    throw new CliError(`cannot start the server: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Listen for Ctrl-C before saying where we are: a launcher may stop us the moment it has the URL.
  const stopped = untilStopped(stop);
  const first = existsSync(join(workspace, 'callback', 'flow.json')) ? '&file=callback/flow.json' : '';
  const url = `${server.url}/?token=${server.token}${first}`;
  io.out(`IVR Studio: ${url}\n`);
  io.out(`Workspace: ${workspace}\n`);
  if (created) io.out(`Created the workspace ${workspace} with the samples\n`);
  if (!existsSync(join(DESIGNER_DIR, 'index.html'))) {
    io.out(
      `The designer is not built yet: run \`npm run build:designer\` (or \`npm start\`), then reload the page. The API is running.\n`,
    );
  }
  io.out('Press Ctrl-C to stop.\n');
  if (opts.open !== false)
    openBrowser(url, () => io.out(`Could not start a browser: open this in your browser: ${url}\n`));

  await stopped;
  await server.close();
  io.out('IVR Studio stopped.\n');
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new CliError(`--port: expected a port number 0–65535, not "${text}"`);
  return n;
}

function parseMegabytes(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 4096)
    throw new CliError(`--max-flow-size: expected a size in MB (e.g. 20), not "${text}"`);
  return Math.round(n * 1024 * 1024);
}

function untilStopped(stop: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      stop?.removeEventListener('abort', finish);
      done();
    };
    if (stop?.aborted) return finish();
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    stop?.addEventListener('abort', finish, { once: true });
  });
}

/** The system's "open this URL"; failures only mean the user opens it by hand. */
function openBrowser(url: string, failed: () => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  let reported = false;
  const report = () => {
    if (!reported) failed();
    reported = true;
  };
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', report);
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) report();
    });
    child.unref();
  } catch {
    report();
  }
}
