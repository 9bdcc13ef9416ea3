// `npm start` (bin/ivr-studio-start.js; also `ivr-studio start`, which runs that script): the desktop
// app (Electron) when its binary is installed, else the same as `ivr-studio serve` — the designer's
// local server, opened in the browser — saying why in one line. `--desktop` (`npm run desktop`)
// insists on Electron; `--browser` never tries it. It lives here, not in runtime/, because the
// runtime must not depend on the desktop shell; the shell may use the runtime's `serve`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import {
  addServeOptions,
  CliError,
  DESIGNER_DIR,
  processOutput,
  runProgram,
  runServe,
  type CliOutput,
  type ServeOpts,
} from '../runtime/cli';
import { findElectron, type ElectronLookup } from './locate';

export interface StartOpts extends ServeOpts {
  desktop?: boolean;
  browser?: boolean;
}

/** What `start` does: 'desktop', or 'browser' with the line saying why (null: no line needed). */
export function chooseStartMode(
  opts: StartOpts,
  electron: ElectronLookup,
): { mode: 'desktop' } | { mode: 'browser'; why: string | null } {
  if (opts.desktop) {
    if (!electron.ok)
      throw new CliError(
        `cannot start the desktop app: ${electron.reason}. Install it with \`npm install electron\` where downloads work, or run \`npm start\` for the designer in your browser`,
      );
    return { mode: 'desktop' };
  }
  // --no-open asks for the server alone; --browser for the browser.
  if (opts.browser || opts.open === false) return { mode: 'browser', why: null };
  if (!electron.ok) return { mode: 'browser', why: `${electron.reason}; opening the designer in your browser instead` };
  return { mode: 'desktop' };
}

/**
 * @example await runStart({ workspace: 'flows' }, io, setExit); // Electron, or the browser with a line saying why
 */
export async function runStart(
  opts: StartOpts,
  io: CliOutput,
  setExit: (code: number) => void,
  { lookup = findElectron, stop }: { lookup?: () => ElectronLookup; stop?: AbortSignal } = {},
): Promise<void> {
  const wanted = opts.desktop || !(opts.browser || opts.open === false);
  const electron: ElectronLookup = wanted ? lookup() : { ok: false, reason: 'not asked for' };
  const choice = chooseStartMode(opts, electron);
  if (choice.mode === 'browser' || !electron.ok) {
    // On stderr: stdout's first line stays the URL (`IVR Studio: http://…`), which tools read.
    if (choice.mode === 'browser' && choice.why) io.err(`${choice.why}\n`);
    return runServe(opts, io, stop);
  }
  setExit(await launchElectron(electron.binary, opts, io));
}

/** Builds the shell (dist/electron) and runs Electron on it until its window closes; the exit code. */
async function launchElectron(binary: string, opts: StartOpts, io: CliOutput): Promise<number> {
  const workspace = opts.workspace === undefined ? undefined : resolve(opts.workspace);
  if (workspace !== undefined && !existsSync(workspace)) throw new CliError(`--workspace: no folder ${workspace}`);
  if (opts.port !== undefined && !(/^\d+$/.test(opts.port.trim()) && Number(opts.port) <= 65535))
    throw new CliError(`--port: expected a port number 0–65535, not "${opts.port}"`);
  if (!existsSync(resolve(DESIGNER_DIR, 'index.html')))
    throw new CliError('the designer is not built yet: run `npm run build:designer` first (`npm start` does)');
  const { buildDesktop } = await import('./build');
  const { main } = await buildDesktop();
  const env: NodeJS.ProcessEnv = { ...process.env, IVR_STUDIO_DESIGNER_DIR: DESIGNER_DIR };
  // Set by some tools; it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  if (workspace !== undefined) env.IVR_STUDIO_WORKSPACE = workspace;
  if (opts.port !== undefined) env.IVR_STUDIO_PORT = opts.port;
  if (opts.outbox !== undefined) env.IVR_STUDIO_OUTBOX = resolve(opts.outbox);
  io.out('IVR Studio: starting the desktop app (Electron)\n');
  return new Promise((done, fail) => {
    const child = spawn(binary, [main], { stdio: 'inherit', env });
    child.on('error', (e) => fail(new CliError(`cannot run Electron (${binary}): ${e.message}`)));
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/**
 * The launcher's command line (`[node, script, ...options]`); the exit code. User errors are one line on
 * stderr, as `ivr-studio` prints them.
 * @example process.exitCode = await startMain(process.argv);
 */
export async function startMain(
  argv: string[],
  io: CliOutput = processOutput,
  deps: { lookup?: () => ElectronLookup; stop?: AbortSignal } = {},
): Promise<number> {
  return runProgram(
    (setExit) =>
      addServeOptions(
        new Command('ivr-studio start')
          .description(
            'start IVR Studio: the desktop app when Electron is installed, else the designer in your browser',
          )
          .configureOutput({ writeOut: io.out, writeErr: io.err })
          .exitOverride(),
      )
        .option('--desktop', 'always the desktop app (fails when Electron is not installed)')
        .option('--browser', 'always the browser designer, even when Electron is installed')
        .action((opts: StartOpts) => runStart(opts, io, setExit, deps)),
    argv,
    io,
  );
}
