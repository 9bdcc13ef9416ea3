// `npm start`: until the designer lands, it prints how to use the CLI and where the samples are.
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { relative, resolve } from 'node:path';
import type { CliOutput } from '../main';

export const SAMPLES_DIR = resolve(fileURLToPath(new URL('../../../samples', import.meta.url)));

export function registerStartCommand(program: Command, io: CliOutput, _setExit: (code: number) => void): void {
  program
    .command('start')
    .description('start IVR Studio (the designer is not built yet: prints how to use the CLI)')
    .action(() => {
      const sample = relative(process.cwd(), resolve(SAMPLES_DIR, 'callback/flow.json')) || 'samples/callback/flow.json';
      io.out(`IVR Studio — the designer is not part of this build yet; the command line is.\n\n`);
      io.out(`The callback sample: ${sample}\n`);
      io.out(`Try:\n`);
      io.out(`  npx ivr-studio validate ${sample}\n`);
      io.out(`  npx ivr-studio compile ${sample} -o callback.sppr\n`);
      io.out(`  npx ivr-studio simulate ${sample} --dtmf "5551234#"\n\n`);
      program.outputHelp();
    });
}
