// Loading what a call runs: a CG/PL program (.sppr) as is, or a flow document compiled to CG/PL
// (with its line → node source map) and to a JS module. Problems come back as lines, never thrown.
import { readFileSync, statSync } from 'node:fs';
import { FileRefused, limitFromEnv, readTextLimited } from '../fs/limited';
import { basename, dirname, extname, join } from 'node:path';
import type { ModuleLoader } from '../cgpl/link';
import type { Program as CgplProgram } from '../../compiler/cgpl/ast';
import { parseCgpl, formatDiagnostic } from '../../compiler/cgpl';
import { loadFlow, formatProblem, type FlowDocument } from '../../compiler/flow';
import { directoryEnvironment, loadPbxFile, type CallEnvironment } from '../call/environment';
import type { PbxEnvironment } from '../../compiler/flow/pbx';
import { programFromFlow } from './fromFlow';

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
  /** Larger files are refused with one line; default maxProgramBytes() / maxFlowBytes(). */
  maxBytes?: number;
}

/** CG/PL programs up to 16 MB (`IVR_STUDIO_MAX_PROGRAM_MB`): a 15 MB program takes ~1 GB to parse. */
export const maxProgramBytes = () => limitFromEnv('MAX_PROGRAM', 16);
/** Flow documents up to 64 MB (`IVR_STUDIO_MAX_FLOW_MB`): a 100,000-node flow is about 40 MB. */
export const maxFlowBytes = () => limitFromEnv('MAX_FLOW', 64);

/**
 * @example
 *   const { program, errors } = await loadProgram('samples/callback/flow.json');
 *   if (!program) for (const e of errors) console.error(e);
 */
export async function loadProgram(path: string, options: LoadProgramOptions = {}): Promise<LoadProgramResult> {
  let text: string;
  const flow = extname(path).toLowerCase() === '.json';
  try {
    text = await readTextLimited(
      path,
      options.maxBytes ?? (flow ? maxFlowBytes() : maxProgramBytes()),
      flow ? 'flows' : 'programs',
      flow ? 'IVR_STUDIO_MAX_FLOW_MB' : 'IVR_STUDIO_MAX_PROGRAM_MB',
    );
  } catch (err) {
    if (err instanceof FileRefused) return failed(`${path}: ${err.message}`);
    const code = (err as NodeJS.ErrnoException).code;
    return failed(`${path}: cannot read: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`);
  }
  // The PBX environment: pbx.json in the environment folder (or the program's), else a flow's own.
  const envDir = options.environmentDir ?? dirname(path);
  const pbxFile = await loadPbxFile(envDir);
  const pbxErrors = pbxFile.problems.filter((p) => p.severity === 'error');
  if (pbxErrors.length > 0) return failed(...pbxErrors.map((p) => formatProblem(p)));
  const pbxWarnings = pbxFile.problems.map((p) => formatProblem(p));
  try {
    const result = flow
      ? loadFlowProgram(path, text, options, pbxFile.pbx)
      : loadCgplProgram(path, text, options, pbxFile.pbx);
    result.program?.warnings.push(...pbxWarnings);
    return result;
  } catch (err) {
    // A bug in a compiler stage must not crash the CLI or the designer; say which file it was.
    return failed(`${path}: internal error while loading: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function loadCgplProgram(
  path: string,
  source: string,
  options: LoadProgramOptions,
  pbx: PbxEnvironment | null,
): LoadProgramResult {
  const parsed = parseCgpl(source, path);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed.program) {
    return failed(
      ...(errors.length ? errors : parsed.diagnostics).map((d) => formatDiagnostic(d, path)),
      ...(errors.length ? [] : [`${path}: could not be parsed`]),
    );
  }
  const warnings = parsed.diagnostics.filter((d) => d.severity !== 'error').map((d) => formatDiagnostic(d, path));
  const dir = options.environmentDir ?? dirname(path);
  return {
    program: {
      kind: 'sppr',
      file: path,
      name: basename(path, extname(path)),
      cgpl: { text: source, ast: parsed.program, file: path, lineToNode: null, modules: moduleLoader(dirname(path)) },
      js: null,
      flow: null,
      environment: directoryEnvironment(dir, pbx ? { pbx } : {}),
      warnings,
    },
    errors: [],
  };
}

function loadFlowProgram(
  path: string,
  text: string,
  options: LoadProgramOptions,
  pbx: PbxEnvironment | null,
): LoadProgramResult {
  const loaded = loadFlow(text, path);
  if (!loaded.flow) return failed(...loaded.problems.map((p) => formatProblem(p, path)));
  const { program, errors } = programFromFlow(loaded.flow, {
    dir: dirname(path),
    file: path,
    problems: loaded.problems,
    ...(options.environmentDir ? { environmentDir: options.environmentDir } : {}),
    ...(pbx ? { pbx } : {}),
  });
  return program ? { program, errors: [] } : failed(...errors);
}

/** Reads name.sppi beside the program; a module that is missing or does not parse is reported by the linker as unknown. */
export function moduleLoader(dir: string): ModuleLoader {
  return (name) => {
    try {
      const file = join(dir, `${name}.sppi`);
      // A module past the program size limit is not read (the linker reports it as unknown).
      if (statSync(file).size > maxProgramBytes()) return null;
      return parseCgpl(readFileSync(file, 'utf8'), file).program ?? null;
    } catch {
      return null;
    }
  };
}

function failed(...errors: string[]): LoadProgramResult {
  return { program: null, errors };
}
