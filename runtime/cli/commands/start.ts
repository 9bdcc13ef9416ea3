// `npm start` / `ivr-studio start`: the same as `serve` — the designer's local server, opened in the browser.
import type { Command } from 'commander';
import type { CliOutput } from '../main';
import { addServeOptions, runServe, type ServeOpts } from './serve';

export { SAMPLES_DIR } from '../../server';

export function registerStartCommand(program: Command, io: CliOutput, _setExit: (code: number) => void): void {
  addServeOptions(program.command('start').description('start IVR Studio (same as serve)'))
    .action((opts: ServeOpts) => runServe(opts, io));
}
