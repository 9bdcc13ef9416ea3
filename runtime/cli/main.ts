// `ivr-studio` command line: validate, compile, export, parse, check (the compiler), simulate and test (the
// runtime). main() returns the exit code; user errors are one line on stderr, never a stack trace.
import { Command } from 'commander';
import { processOutput, runProgram } from './io';
import { registerCompilerCommands } from './commands/compiler';
import { registerDiagnoseCommands } from './commands/diagnose';
import { registerRuntimeCommands } from './commands/runtime';
import { registerStartCommand } from './commands/start';
import { registerServeCommand } from './commands/serve';
import { registerRunCommand } from './commands/run';
import { registerOutboxCommands } from './commands/outbox';
import { registerDeployCommand } from './commands/deploy';
import { registerImportCommand } from './commands/import';

export interface CliOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function buildProgram(io: CliOutput, setExit: (code: number) => void): Command {
  const program = new Command('ivr-studio')
    .description('Design IVR call flows; compile them to CommuniGate Pro PBX programs (CG/PL) and JS; simulate calls.')
    .version('0.1.0')
    .showHelpAfterError('(run ivr-studio --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  registerDiagnoseCommands(program, io, setExit);
  registerCompilerCommands(program, io);
  registerRuntimeCommands(program, io, setExit);
  registerOutboxCommands(program, io, setExit);
  registerServeCommand(program, io, setExit);
  registerStartCommand(program, io, setExit);
  registerRunCommand(program, io, setExit);
  registerDeployCommand(program, io);
  registerImportCommand(program, io, setExit);
  return program;
}

export async function main(argv: string[], io: CliOutput = processOutput): Promise<number> {
  return runProgram((setExit) => buildProgram(io, setExit), argv, io);
}
