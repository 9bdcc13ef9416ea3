// validate · compile · export · parse
import type { Command } from 'commander';
import { basename } from 'node:path';
import { parseCgpl, formatDiagnostic } from '../../../compiler/cgpl';
import { compileToCgpl, compileToJs } from '../../../compiler/generate';
import { exportEnvironment } from '../../../compiler/export/tar';
import { loadFlowFile } from '../flowFile';
import { readText, writeAtomic, CliError } from '../io';
import type { CliOutput } from '../main';

export function registerCompilerCommands(program: Command, io: CliOutput, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check a flow; prints problems, exit 1 on errors')
    .argument('<flow.json>')
    .action(async (file: string) => {
      // Problems go to stdout here: they are this command's output.
      const { problems } = await loadFlowFile(file, { out: io.out, err: io.out });
      const warnings = problems.filter((p) => p.severity === 'warning').length;
      io.out(`${file}: no errors${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}\n`);
    });

  program
    .command('compile')
    .description('compile a flow to a CommuniGate PBX program (.sppr) or a JS module')
    .argument('<flow.json>')
    .option('-o, --output <file>', 'write here instead of stdout')
    .option('--target <target>', 'cgpl or js', 'cgpl')
    .option('--source-map <file>', 'write the line → node source map (JSON)')
    .action(async (file: string, opts: { output?: string; target: string; sourceMap?: string }) => {
      if (opts.target !== 'cgpl' && opts.target !== 'js')
        throw new CliError(`unknown --target '${opts.target}': use cgpl or js`);
      const { flow } = await loadFlowFile(file, io);
      let text: string;
      if (opts.target === 'js') {
        if (opts.sourceMap) throw new CliError('--source-map is available for --target cgpl only');
        text = compileToJs(flow).text;
      } else {
        const compiled = compileToCgpl(flow);
        text = compiled.text;
        if (opts.sourceMap) {
          const map = { ...compiled.sourceMap, file: opts.output ? basename(opts.output) : compiled.sourceMap.file };
          await writeAtomic(opts.sourceMap, JSON.stringify(map, null, 2) + '\n');
        }
      }
      if (opts.output) {
        await writeAtomic(opts.output, text);
        io.err(`wrote ${opts.output}\n`);
      } else {
        io.out(text);
      }
    });

  program
    .command('export')
    .description('export the PBX environment as a .tar to upload on the Domain → PBX page')
    .argument('<flow.json>')
    .requiredOption('-o, --output <env.tar>', 'the archive to write')
    .action(async (file: string, opts: { output: string }) => {
      const { flow, dir } = await loadFlowFile(file, io);
      try {
        const { files } = await exportEnvironment(flow, dir, opts.output);
        io.out(`wrote ${opts.output} (${files.length} files)\n`);
        for (const f of files) io.out(`  ${f}\n`);
      } catch (err) {
        throw new CliError(err instanceof Error ? err.message : String(err));
      }
    });

  program
    .command('parse')
    .description('parse a CG/PL program; prints errors with line:col, exit 1 on errors')
    .argument('<program.sppr>')
    .action(async (file: string) => {
      const source = await readText(file, 'program');
      const { diagnostics } = parseCgpl(source, file);
      for (const d of diagnostics) io.err(formatDiagnostic(file, d) + '\n');
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      if (errors > 0) {
        io.err(`${file}: ${errors} error${errors === 1 ? '' : 's'}\n`);
        setExit(1);
      } else {
        io.out(`${file}: OK\n`);
      }
    });
}
