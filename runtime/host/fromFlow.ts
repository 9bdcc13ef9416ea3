// A host Program from a flow document already in memory (the designer's unsaved flow), built the
// same way loadProgram builds one from flow.json on disk.
import { parseCgpl, formatDiagnostic } from '../../compiler/cgpl';
import {
  validateFlow,
  formatProblem,
  type FlowDocument,
  type Problem,
  type ValidateOptions,
} from '../../compiler/flow';
import { compileFlow, type SourceMap } from '../../compiler/generate';
import { moduleLoader } from './program';
import { directoryEnvironment, flowEnvironment } from '../call/environment';
import type { PbxEnvironment } from '../../compiler/flow/pbx';
import type { LoadProgramResult, Program } from './program';

export interface FlowProgramOptions {
  /** The flow's folder: prompt files are relative to it. */
  dir: string;
  /** The file the flow is (or will be) saved as; used in messages. Default `<dir>/<name>.json`. */
  file?: string;
  /** Where prompts are found instead of the flow's folder (a PBX environment folder). */
  environmentDir?: string;
  /** Problems already found (e.g. while loading the text); they are reported with the rest. */
  problems?: Problem[];
  /** The folder's PBX environment (pbx.json), used instead of the flow's inline one. */
  pbx?: PbxEnvironment;
  /** Overrides the prompt-file check of validateFlow (e.g. to keep it inside a workspace). */
  fileExists?: ValidateOptions['fileExists'];
}

export type FlowProgramResult = LoadProgramResult & {
  /** Every validation problem (errors and warnings), structured for the designer. */
  problems: Problem[];
  /** The generated program's line → node map (null when there is no program). */
  sourceMap: SourceMap | null;
};

/**
 * @example
 *   const { program, errors } = programFromFlow(flow, { dir: 'samples/callback' });
 *   if (program) await simulateCall(program, { caller: parseDtmfScript('5551234#') });
 */
export function programFromFlow(flow: FlowDocument, options: FlowProgramOptions): FlowProgramResult {
  const file = options.file ?? `${options.dir}/${flow.name}.json`;
  const validateOptions: ValidateOptions = options.fileExists
    ? { fileExists: options.fileExists }
    : { baseDir: options.dir };
  const problems = [...(options.problems ?? []), ...validateFlow(flow, validateOptions)];
  const failed = (...errors: string[]): FlowProgramResult => ({ program: null, errors, problems, sourceMap: null });
  try {
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) return failed(...errors.map((p) => formatProblem(p, file)));
    const warnings = problems.filter((p) => p.severity !== 'error').map((p) => formatProblem(p, file));

    const both = compileFlow(flow);
    const compiled = both.cgpl;
    const generatedFile = `${flow.name}.sppr`;
    // Parsing the generated text (not reusing the lowering's AST) gives positions that match the text.
    const parsed = parseCgpl(compiled.text, generatedFile);
    const parseErrors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (parseErrors.length > 0 || !parsed.program) {
      return failed(
        ...parseErrors.map(
          (d) => `internal error: the generated program does not parse: ${formatDiagnostic(d, generatedFile)}`,
        ),
      );
    }
    const environment = options.environmentDir
      ? directoryEnvironment(options.environmentDir, {
          defaultLanguage: flow.defaultLanguage,
          pbx: options.pbx ?? flow.environment,
        })
      : flowEnvironment(flow, options.dir, options.pbx);
    const moduleDir: string | undefined = options.environmentDir ?? options.dir;
    const program: Program = {
      kind: 'flow',
      file,
      name: flow.name,
      cgpl: {
        text: compiled.text,
        ast: parsed.program,
        file: generatedFile,
        lineToNode: compiled.sourceMap.lines,
        // module call nodes: name.sppi in the environment
        ...(moduleDir !== undefined ? { modules: moduleLoader(moduleDir) } : {}),
      },
      js: both.js,
      flow,
      environment,
      warnings,
    };
    return { program, errors: [], problems, sourceMap: compiled.sourceMap };
  } catch (err) {
    // A bug in a compiler stage must not crash the caller (the CLI, the designer's server).
    return failed(`${file}: internal error while compiling: ${err instanceof Error ? err.message : String(err)}`);
  }
}
