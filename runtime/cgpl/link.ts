// Linking: the checker (compiler/cgpl/check.ts) binds every call and refuses what CommuniGate's compiler
// refuses; this file gives each bound built-in its implementation (builtins/index.ts) and marks which
// routines may wait on the call (async). The interpreter never runs a program the checker refused, so it
// is never more lenient than `ivr-studio check`.
import type { CallExpr, Program } from '../../compiler/cgpl/ast';
import type { BuiltinSpec, Environment } from '../../compiler/cgpl/builtins';
import { checkCgpl, type ModuleLoader, type Routine, type Unit } from '../../compiler/cgpl/check';
import type { SourceDiagnostic } from '../../compiler/diagnostics';
import { CgplError } from './errors';
import { findImplementation, type Builtin } from './builtins/index';

export type { ModuleLoader, Routine, Unit } from '../../compiler/cgpl/check';

export type Target = { kind: 'builtin'; builtin: Builtin } | { kind: 'routine'; routine: Routine };

/** A link error: a checker diagnostic, with the module file when it is in one. */
export type LinkError = SourceDiagnostic;

export interface Linked {
  units: Unit[];
  targets: Map<CallExpr, Target>;
  errors: LinkError[];
  /** Built-ins the program calls that the local runtime cannot carry out (RUN403 when reached). */
  warnings: LinkError[];
  /** Routines that may wait on the call session (their calls are awaited). */
  async: Set<Routine>;
}

/** Stands in for a documented built-in the local runtime does not implement: stops the task there. */
function unsupported(spec: BuiltinSpec): Builtin {
  return {
    name: spec.name,
    kind: spec.kind,
    call: () => {
      throw new CgplError(`${spec.name} is not supported by the local runtime`, null, undefined, 'RUN403');
    },
  };
}

/** A routine is async when it calls a waiting built-in or an async routine (fixpoint over calls). */
function asyncRoutines(units: Unit[], all: boolean): Set<Routine> {
  const routines = units.flatMap((u) => [...u.entries.values(), ...u.routines.values()]);
  const waits = (r: Routine) => [...r.builtins].some((spec) => findImplementation(spec.name)?.async === true) || all;
  const out = new Set(routines.filter(waits));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of routines) {
      if (out.has(r)) continue;
      if ([...r.calls].some((c) => out.has(c))) {
        out.add(r);
        changed = true;
      }
    }
  }
  return out;
}

/**
 * Checks and links a program. `allAsync` (a debugger hook is attached) makes every routine async so each
 * step can wait. Errors come in source order; the interpreter refuses to run when there is any.
 */
export function linkProgram(
  program: Program,
  modules?: ModuleLoader,
  file?: string,
  allAsync = false,
  environment?: Environment,
): Linked {
  const checked = checkCgpl(program, {
    ...(file !== undefined ? { file } : {}),
    ...(modules ? { modules } : {}),
    ...(environment ? { environment } : {}),
  });
  const targets = new Map<CallExpr, Target>();
  const warnings: LinkError[] = [];
  const warned = new Set<string>();
  for (const [call, t] of checked.targets) {
    if (t.kind === 'routine') {
      targets.set(call, t);
      continue;
    }
    const impl = findImplementation(t.spec.name);
    targets.set(call, { kind: 'builtin', builtin: impl ?? unsupported(t.spec) });
    if (!impl && !warned.has(t.spec.name)) {
      warned.add(t.spec.name);
      warnings.push({
        severity: 'warning',
        code: 'RUN403',
        message: `${t.spec.name} is not supported by the local runtime: the task stops with an error when it gets here`,
        line: call.pos.line,
        column: call.pos.col,
        ...(file !== undefined ? { file } : {}),
      });
    }
  }
  return {
    units: checked.units,
    targets,
    errors: checked.diagnostics,
    warnings,
    async: asyncRoutines(checked.units, allAsync),
  };
}
