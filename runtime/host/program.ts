// Loading what a call runs: a CG/PL program (.sppr) as is, or a flow document compiled to CG/PL
// (with its line → node source map) and to a JS module. Problems come back as lines, never thrown.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { ModuleLoader } from '../cgpl/link';
import type { Program as CgplProgram } from '../../compiler/cgpl/ast';
import { parseCgpl, formatDiagnostic } from '../../compiler/cgpl';
import { loadFlow, validateFlow, formatProblem, type FlowDocument } from '../../compiler/flow';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import { directoryEnvironment, flowEnvironment, type CallEnvironment } from '../call/environment';

/** A program ready to run on a call, with the environment its prompts come from. */
export interface Program {
  kind: 'sppr' | 'flow';
  /** The file it was loaded from. */
  file: string;
  /** The application name (the .sppr file's name without extension, or the flow's name). */
  name: string;
  cgpl: {
    text: string;
    ast: CgplProgram;
    /** The file name errors are reported against (the generated `${name}.sppr` for flows). */
    file: string;
    /** Generated programs: line (1-based index) → flow node id. */
    lineToNode: (string | null)[] | null;
    /** `external` procedures and `m::f` calls: name.sppi beside the program. */
    modules?: ModuleLoader;
  };
  /** The compiled JS module (flows only). */
  js: { text: string } | null;
  flow: FlowDocument | null;
  environment: CallEnvironment;
  /** Warnings worth showing (flow validation warnings, parser warnings). */
  warnings: string[];
}

export type LoadProgramResult = { program: Program; errors: [] } | { program: null; errors: string[] };

export interface LoadProgramOptions {
  /** Where prompts are found instead of the program's folder (a PBX environment folder). */
  environmentDir?: string;
}

/**
 * @example
 *   const { program, errors } = await loadProgram('samples/callback/flow.json');
 *   if (!program) for (const e of errors) console.error(e);
 */
export async function loadProgram(path: string, options: LoadProgramOptions = {}): Promise<LoadProgramResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return failed(`${path}: cannot read: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`);
  }
  try {
    return extname(path).toLowerCase() === '.json' ? loadFlowProgram(path, text, options) : loadCgplProgram(path, text, options);
  } catch (err) {
    // A bug in a compiler stage must not crash the CLI or the designer; say which file it was.
    return failed(`${path}: internal error while loading: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function loadCgplProgram(path: string, source: string, options: LoadProgramOptions): LoadProgramResult {
  const parsed = parseCgpl(source, path);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed.program) {
    return failed(...(errors.length ? errors : parsed.diagnostics).map((d) => formatDiagnostic(path, d)), ...(errors.length ? [] : [`${path}: could not be parsed`]));
  }
  const warnings = parsed.diagnostics.filter((d) => d.severity !== 'error').map((d) => formatDiagnostic(path, d));
  const dir = options.environmentDir ?? dirname(path);
  return {
    program: {
      kind: 'sppr',
      file: path,
      name: basename(path, extname(path)),
      cgpl: { text: source, ast: parsed.program, file: path, lineToNode: null, modules: moduleLoader(dirname(path)) },
      js: null,
      flow: null,
      environment: directoryEnvironment(dir),
      warnings,
    },
    errors: [],
  };
}

function loadFlowProgram(path: string, text: string, options: LoadProgramOptions): LoadProgramResult {
  const loaded = loadFlow(text, path);
  if (!loaded.flow) return failed(...loaded.problems.map((p) => formatProblem(p, path)));
  const flow = loaded.flow;
  const dir = dirname(path);
  const problems = [...loaded.problems, ...validateFlow(flow, { baseDir: dir })];
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return failed(...errors.map((p) => formatProblem(p, path)));
  const warnings = problems.filter((p) => p.severity !== 'error').map((p) => formatProblem(p, path));

  const compiled = compileToCgpl(flow);
  const generatedFile = `${flow.name}.sppr`;
  // Parsing the generated text (not reusing the lowering's AST) gives positions that match the text.
  const parsed = parseCgpl(compiled.text, generatedFile);
  const parseErrors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (parseErrors.length > 0 || !parsed.program) {
    return failed(...parseErrors.map((d) => `internal error: the generated program does not parse: ${formatDiagnostic(generatedFile, d)}`));
  }
  const environment = options.environmentDir
    ? directoryEnvironment(options.environmentDir, { defaultLanguage: flow.defaultLanguage, pbx: flow.environment })
    : flowEnvironment(flow, dir);
  return {
    program: {
      kind: 'flow',
      file: path,
      name: flow.name,
      cgpl: { text: compiled.text, ast: parsed.program, file: generatedFile, lineToNode: compiled.sourceMap.lines },
      js: { text: compileToJs(flow).text },
      flow,
      environment,
      warnings,
    },
    errors: [],
  };
}

/** Reads name.sppi beside the program; a module that is missing or does not parse is reported by the linker as unknown. */
function moduleLoader(dir: string): ModuleLoader {
  return (name) => {
    try {
      const file = join(dir, `${name}.sppi`);
      return parseCgpl(readFileSync(file, 'utf8'), file).program ?? null;
    } catch {
      return null;
    }
  };
}

function failed(...errors: string[]): LoadProgramResult {
  return { program: null, errors };
}
