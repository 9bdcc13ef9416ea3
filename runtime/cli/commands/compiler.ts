// compile · export (validate, parse and check are in diagnose.ts)
import type { Command } from 'commander';
import { basename } from 'node:path';
import { compileToCgpl, compileToJs, jsRefusal } from '../../../compiler/generate';
import { exportEnvironment } from '../../../compiler/export/tar';
import { loadFlowFile } from '../flowFile';
import { writeAtomic, CliError } from '../io';
import type { CliOutput } from '../main';

export function registerCompilerCommands(program: Command, io: CliOutput): void {
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
        const refusal = jsRefusal(flow);
        if (refusal) throw new CliError(`${file}: ${refusal}`);
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
}
