// import: a CommuniGate PBX program (.sppr) → a flow document (compiler/import, docs/import.md)
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { formatDiagnostic } from '../../../compiler/diagnostics';
import { formatProblem, validateFlow } from '../../../compiler/flow';
import { importCgpl, layoutFlow } from '../../../compiler/import';
import { CliError, readText, writeAtomic } from '../io';
import type { CliOutput } from '../main';

export function registerImportCommand(program: Command, io: CliOutput, setExit: (code: number) => void): void {
  program
    .command('import')
    .description('turn a CG/PL program (.sppr) into a flow: structured parts become nodes, the rest code nodes')
    .argument('<program.sppr>')
    .option('-o, --output <flow.json>', 'write the flow here (default: stdout)')
    .option('--name <name>', "the flow's name (default: the program's file name)")
    .option('--language <folder>', 'the root language of the environment', 'english')
    .action(async (file: string, opts: { output?: string; name?: string; language: string }) => {
      const text = await readText(file, 'program');
      const result = importCgpl(text, {
        file,
        language: opts.language,
        name: opts.name ?? basename(file).replace(/\.[^.]*$/, ''),
      });
      if (!result.flow) {
        for (const d of result.problems) io.err(`${formatDiagnostic(d, file)}\n`);
        throw new CliError(`${file}: not imported (${result.problems.length} error(s))`);
      }
      const flow = await layoutFlow(result.flow);
      // prompts are found beside the program, as CommuniGate's environment keeps them
      const from = dirname(resolve(file));
      const to = opts.output ? dirname(resolve(opts.output)) : from;
      for (const prompt of Object.values(flow.prompts)) {
        for (const [language, path] of Object.entries(prompt.files)) {
          const found = [join(from, path), join(from, language, path)].find((p) => existsSync(p));
          if (found) prompt.files[language] = relativeTo(to, found);
        }
      }
      const json = `${JSON.stringify(flow, null, 2)}\n`;
      if (opts.output) await writeAtomic(opts.output, json);
      else io.out(json);
      const counts = Object.entries(result.counts)
        .map(([type, n]) => `${n} ${type}`)
        .join(', ');
      io.err(`${opts.output ? `wrote ${opts.output}: ` : ''}${flow.nodes.length} nodes (${counts})\n`);
      const problems = validateFlow(flow, { baseDir: to });
      for (const p of problems) io.err(`${formatProblem(p, opts.output ?? 'flow.json')}\n`);
      if (problems.some((p) => p.severity === 'error')) setExit(1);
    });
}

function relativeTo(dir: string, file: string): string {
  const rel = file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file;
  return rel.split('\\').join('/');
}
