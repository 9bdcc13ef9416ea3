// Reading a flow file for a command: load + validate, problems printed the same way everywhere.
import { dirname } from 'node:path';
import { loadFlow, validateFlow, formatProblem, type FlowDocument, type Problem } from '../../compiler/flow';
import { CliError, readText } from './io';
import type { CliOutput } from './main';

export interface LoadedFlow {
  flow: FlowDocument;
  file: string;
  dir: string;
  problems: Problem[];
}

/** Loads and validates; throws CliError when the file can't be read or has errors (after printing them). */
export async function loadFlowFile(
  file: string,
  io: CliOutput,
  opts: { quietWarnings?: boolean } = {},
): Promise<LoadedFlow> {
  const text = await readText(file, 'flow file');
  const loaded = loadFlow(text, file);
  // Not JSON, or another format version: that one problem is the whole story, said once.
  if (!loaded.flow && loaded.problems.length === 1) throw new CliError(formatProblem(loaded.problems[0]!, file));
  const problems = loaded.flow
    ? [...loaded.problems, ...validateFlow(loaded.flow, { baseDir: dirname(file) })]
    : loaded.problems;
  const errors = problems.filter((p) => p.severity === 'error');
  for (const p of problems) {
    if (p.severity === 'error' || !opts.quietWarnings) io.err(formatProblem(p, file) + '\n');
  }
  if (!loaded.flow || errors.length > 0) {
    throw new CliError(`${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written`);
  }
  return { flow: loaded.flow, file, dir: dirname(file), problems };
}
