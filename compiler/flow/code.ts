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
): { stmts: Stmt[] | null; problems: SourceDiagnostic[] } {
  const lines = code.split('\n').length;
  const parsed = parseCgpl(OPEN + code + CLOSE);
  const parseProblems = parsed.diagnostics.map((d) => inNode(d as SourceDiagnostic, lines));
  const main = parsed.program?.decls[0];
  if (parsed.program?.decls.length !== 1 || main?.kind !== 'Entry') {
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
  const problems = [...parseProblems, ...checked.diagnostics.map((d) => inNode(d, lines))];
  return { stmts: problems.some((p) => p.severity === 'error') ? null : main.body, problems };
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
