// Code nodes and module calls: CG/PL written by hand inside a flow. A code node's text is the body of
// an entry; it is parsed and checked by the CG/PL front end as the body of `entry Main`, with every
// position moved back into the node's own text (line 1 = its first line).
import type { Stmt } from '../cgpl/ast';
import { checkCgpl, type ModuleLoader } from '../cgpl/check';
import { parseCgpl } from '../cgpl/parser';
import type { SourceDiagnostic } from '../diagnostics';
import type { NodeOf } from './schema';

/** The variable a code node assigns to leave by a named exit: `exit = "busy";`. */
export const EXIT_VARIABLE = 'exit';

const OPEN = 'entry Main is\n';
const CLOSE = '\nend;\n';

/** Positions in the node's text (the wrapper's first line is taken off). */
function inNode(d: SourceDiagnostic, lines: number): SourceDiagnostic {
  const line = Math.min(Math.max(1, d.line - 1), lines);
  return { ...d, line, file: undefined };
}

/**
 * The statements of a code node's text, or its problems (parse first, then the checker's).
 * @example parseCodeBlock('PlayFile("x");').stmts?.[0].kind // 'CallStmt'
 */
export function parseCodeBlock(
  code: string,
  modules: ModuleLoader | 'unresolved' = 'unresolved',
  /** The flow's declarations: the block may call the procedures and functions they define. */
  declarations = '',
): { stmts: Stmt[] | null; problems: SourceDiagnostic[] } {
  const lines = code.split('\n').length;
  // the declarations come first; their own problems are the document's (declarationProblems)
  const declared = declarations.trim() === '' ? null : parseCgpl(declarations).program;
  const before = declared ? declarations.split('\n').length : 0;
  const parsed = parseCgpl((declared ? `${declarations}\n` : '') + OPEN + code + CLOSE);
  const own = (d: SourceDiagnostic) => d.line > before;
  const shift = (d: SourceDiagnostic) => inNode({ ...d, line: d.line - before }, lines);
  const parseProblems = (parsed.diagnostics as SourceDiagnostic[]).filter(own).map(shift);
  const decls = parsed.program?.decls ?? [];
  const count = declared?.decls.length ?? 0;
  const main = decls[count];
  if (!parsed.program || decls.length !== count + 1 || main?.kind !== 'Entry') {
    const problems = parseProblems.filter((d) => d.severity === 'error');
    if (problems.length === 0)
      problems.push({
        severity: 'error',
        code: 'CGPL116',
        message: 'a code node holds statements only (no entry, procedure or function declarations)',
        line: 1,
        column: 1,
      });
    return { stmts: null, problems };
  }
  const checked = checkCgpl(parsed.program, { modules, environment: 'pbx' });
  const problems = [...parseProblems, ...checked.diagnostics.filter(own).map(shift)];
  return { stmts: problems.some((p) => p.severity === 'error') ? null : main.body, problems };
}

/** Problems of the flow's declarations, with their line:column in that text. */
export function declarationProblems(
  declarations: string,
  modules: ModuleLoader | 'unresolved' = 'unresolved',
): SourceDiagnostic[] {
  const parsed = parseCgpl(declarations);
  const errors = (parsed.diagnostics as SourceDiagnostic[]).filter((d) => d.severity === 'error');
  if (!parsed.program || errors.length > 0) return errors;
  const clash = parsed.program.decls.find((d) => d.kind === 'Entry' && d.name.toLowerCase() === 'main');
  if (clash)
    return [
      {
        severity: 'error',
        code: 'CGPL207',
        message: 'entry Main is the flow itself',
        line: clash.pos.line,
        column: clash.pos.col,
      },
    ];
  const lines = declarations.split('\n').length;
  const program = parseCgpl(`${declarations}\nentry Main is\nend;\n`).program;
  if (!program) return [];
  return checkCgpl(program, { modules, environment: 'pbx' }).diagnostics.filter((d) => d.line <= lines);
}

/** Reads `name.sppi` from the flow's folder (the PBX environment); undefined in a browser. */
export function diskModules(baseDir: string | undefined): ModuleLoader | undefined {
  if (baseDir === undefined || typeof process === 'undefined' || !process.getBuiltinModule) return undefined;
  const fs = process.getBuiltinModule('node:fs');
  const path = process.getBuiltinModule('node:path');
  return (name) => {
    const file = path.resolve(baseDir, `${name}.sppi`);
    if (!fs.existsSync(file)) return null;
    return parseCgpl(fs.readFileSync(file, 'utf8'), `${name}.sppi`).program;
  };
}

/** Problems of a module call against its module: found, defines the routine, same kind and arity. */
export function moduleCallProblems(node: NodeOf<'moduleCall'>, modules: ModuleLoader): SourceDiagnostic[] {
  const d = node.data;
  const args = d.args.map(() => '""').join(', ');
  const call = `${d.module}::${d.routine}(${args})`;
  const use = d.kind === 'function' ? `x = ${call};` : `${call};`;
  const parsed = parseCgpl(`${moduleDeclarationText(node)}\nentry Main is\n${use}\nend;\n`);
  if (!parsed.program) return parsed.diagnostics as SourceDiagnostic[];
  return checkCgpl(parsed.program, { modules, environment: 'pbx' }).diagnostics;
}

/** `procedure m::r(a, b) external;` — what a module call node needs declared in the program. */
export function moduleDeclarationText(node: NodeOf<'moduleCall'>): string {
  const params = node.data.args.map((_, i) => `p${i + 1}`).join(', ');
  return `${node.data.kind} ${node.data.module}::${node.data.routine}(${params}) external;`;
}
