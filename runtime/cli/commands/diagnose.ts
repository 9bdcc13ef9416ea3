// parse · check · validate: commands whose output is diagnostics. Each prints one line per diagnostic
// (`file:line:column: error CODE: message`) or, with --json, one JSON document on stdout; exit 1 on errors.
import type { Command } from 'commander';
import { dirname } from 'node:path';
import { parseCgpl } from '../../../compiler/cgpl';
import {
  countText,
  diagnosticsJson,
  formatDiagnostic,
  hasErrors,
  type Diagnostic,
} from '../../../compiler/diagnostics';
import { loadFlow, validateFlow } from '../../../compiler/flow';
import { checkCgpl } from '../../../compiler/cgpl/check';
import type { Environment } from '../../../compiler/cgpl/builtins';
import { moduleLoader } from '../../host/program';
import { linkProgram } from '../../cgpl/link';
import type { Program } from '../../../compiler/cgpl/ast';
import { CliError, readText } from '../io';
import type { CliOutput } from '../main';

interface Report {
  file: string;
  diagnostics: Diagnostic[];
  json: boolean;
  /** What stdout says when there is no error (e.g. "OK", "no errors"). */
  clean: (warnings: number) => string;
  /** Human output goes here (parse/check: stderr, like a compiler; validate: stdout, its output). */
  human: (text: string) => void;
  /** The last line on stderr when there are errors. */
  failed?: (diagnostics: Diagnostic[]) => string;
}

function report(io: CliOutput, setExit: (code: number) => void, r: Report): void {
  const failed = hasErrors(r.diagnostics);
  if (failed) setExit(1);
  if (r.json) {
    io.out(diagnosticsJson(r.diagnostics, r.file));
    return;
  }
  for (const d of r.diagnostics) r.human(formatDiagnostic(d, d.file ?? r.file) + '\n');
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
  if (failed) io.err(`${r.failed ? r.failed(r.diagnostics) : `${r.file}: ${countText(r.diagnostics)}`}\n`);
  else io.out(`${r.file}: ${r.clean(warnings)}\n`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function linkDiagnostics(program: Program, file: string, env: Environment | undefined): Diagnostic[] {
  const linked = linkProgram(program, moduleLoader(dirname(file)), file, false, env);
  return [...linked.errors, ...(linked.errors.length ? [] : linked.warnings)];
}

export function registerDiagnoseCommands(program: Command, io: CliOutput, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check a flow; prints problems, exit 1 on errors')
    .argument('<flow.json>')
    .option('--json', 'print the problems as JSON on stdout')
    .action(async (file: string, opts: { json?: boolean }) => {
      const loaded = loadFlow(await readText(file, 'flow file'), file);
      const diagnostics = loaded.flow
        ? [...loaded.problems, ...validateFlow(loaded.flow, { baseDir: dirname(file) })]
        : loaded.problems;
      report(io, setExit, {
        file,
        diagnostics,
        json: opts.json === true,
        clean: (w) => (w ? `no errors, ${plural(w, 'warning')}` : 'no errors'),
        human: io.out,
        failed: (ds) => `ivr-studio: ${file}: ${plural(ds.filter((d) => d.severity === 'error').length, 'error')}`,
      });
    });

  program
    .command('parse')
    .description('parse and check a CG/PL program alone (modules are not read); exit 1 on errors')
    .argument('<program.sppr>')
    .option('--json', 'print the diagnostics as JSON on stdout')
    .action(async (file: string, opts: { json?: boolean }) => {
      const parsed = parseCgpl(await readText(file, 'program'), file);
      const diagnostics = parsed.program
        ? [...parsed.diagnostics, ...checkCgpl(parsed.program, { file, modules: 'unresolved' }).diagnostics]
        : parsed.diagnostics;
      report(io, setExit, { file, diagnostics, json: opts.json === true, clean: () => 'OK', human: io.err });
    });

  program
    .command('check')
    .description('parse and check a CG/PL program with the modules beside it, the way the server compiles it')
    .argument('<program.sppr>')
    .option('--json', 'print the diagnostics as JSON on stdout')
    .option('--env <environment>', 'which built-ins exist: pbx, webapp or cgpl (default: from the file extension)')
    .action(async (file: string, opts: { json?: boolean; env?: string }) => {
      if (opts.env !== undefined && !['pbx', 'webapp', 'cgpl'].includes(opts.env))
        throw new CliError(`unknown --env '${opts.env}': use pbx, webapp or cgpl`);
      const parsed = parseCgpl(await readText(file, 'program'), file);
      const diagnostics = parsed.program
        ? [
            ...parsed.diagnostics,
            // the interpreter's own link step: the checker's errors, and warnings for built-ins the
            // local runtime cannot carry out (the server can)
            ...linkDiagnostics(parsed.program, file, opts.env as Environment | undefined),
          ]
        : parsed.diagnostics;
      report(io, setExit, {
        file,
        diagnostics,
        json: opts.json === true,
        clean: (w) => (w ? `OK, ${plural(w, 'warning')}` : 'OK'),
        human: io.err,
      });
    });
}
