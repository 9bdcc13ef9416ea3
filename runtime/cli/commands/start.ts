// `ivr-studio start`: what `npm start` does (without the designer build) — the desktop app when
// Electron is installed, else the designer in the browser. Choosing and launching Electron belongs to
// the desktop shell (electron/start.ts): the runtime does not import it, it runs the launcher script
// (bin/ivr-studio-start.js) as a child and passes its output and exit code through.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError } from '../io';
import type { CliOutput } from '../main';
import { addServeOptions, type ServeOpts } from './serve';

export { SAMPLES_DIR } from '../../server';

/** The launcher `npm start` runs. */
export const START_LAUNCHER = fileURLToPath(new URL('../../../bin/ivr-studio-start.js', import.meta.url));

export interface StartOpts extends ServeOpts {
  desktop?: boolean;
  browser?: boolean;
}

export function registerStartCommand(program: Command, io: CliOutput, setExit: (code: number) => void): void {
  addServeOptions(
    program
      .command('start')
      .description('start IVR Studio: the desktop app when Electron is installed, else the designer in your browser'),
  )
    .option('--desktop', 'always the desktop app (fails when Electron is not installed)')
    .option('--browser', 'always the browser designer, even when Electron is installed')
    .action((opts: StartOpts) => runStart(opts, io, setExit));
}

/** The launcher's options for `opts`, as the user would have typed them. */
export function launcherArgs(opts: StartOpts): string[] {
  return [
    ...(opts.port !== undefined ? ['--port', opts.port] : []),
    ...(opts.workspace !== undefined ? ['--workspace', opts.workspace] : []),
    ...(opts.outbox !== undefined ? ['--outbox', opts.outbox] : []),
    ...(opts.maxFlowSize !== undefined ? ['--max-flow-size', opts.maxFlowSize] : []),
    ...(opts.open === false ? ['--no-open'] : []),
    ...(opts.desktop ? ['--desktop'] : []),
    ...(opts.browser ? ['--browser'] : []),
  ];
}

/**
 * Runs the launcher until it ends (Ctrl-C, its window closed, or `stop` aborting); its exit code is ours.
 * @example await runStart({ workspace: 'flows' }, io, setExit);
 */
export async function runStart(
  opts: StartOpts,
  io: CliOutput,
  setExit: (code: number) => void,
  { launcher = START_LAUNCHER, stop }: { launcher?: string; stop?: AbortSignal } = {},
): Promise<void> {
  if (!existsSync(launcher))
    throw new CliError(`cannot start: the launcher ${launcher} is missing (a broken install?)`);
  setExit(await runLauncher(launcher, launcherArgs(opts), io, stop));
}

function runLauncher(launcher: string, args: string[], io: CliOutput, stop: AbortSignal | undefined): Promise<number> {
  return new Promise((done, fail) => {
    // ELECTRON_RUN_AS_NODE: inside the desktop app process.execPath is Electron itself.
    const child = spawn(process.execPath, [launcher, ...args], {
      stdio: ['inherit', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    child.stdout.setEncoding('utf8').on('data', (t: string) => io.out(t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => io.err(t));
    // Ctrl-C reaches the launcher from the terminal; this process stays to pass on its last words.
    // A SIGTERM sent to this process alone is passed on.
    const onInt = () => {};
    const onTerm = () => child.kill('SIGTERM');
    const onStop = () => child.kill('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    stop?.addEventListener('abort', onStop, { once: true });
    const cleanUp = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      stop?.removeEventListener('abort', onStop);
    };
    child.on('error', (e) => {
      cleanUp();
      fail(new CliError(`cannot run the launcher ${launcher}: ${e.message}`));
    });
    // 'close': every byte of its output has been passed on.
    child.on('close', (code, signal) => {
      cleanUp();
      done(code ?? (signal ? 1 : 0));
    });
    if (stop?.aborted) onStop();
  });
}
