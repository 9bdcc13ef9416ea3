// The checker: what CommuniGate's compiler refuses in a program that parses. Binds every call to a
// code section or a built-in (builtins.ts) and checks it — unknown names, argument counts, a function
// whose value is dropped, a procedure used as a value, a built-in of another environment — and checks
// the names: a variable, parameter, constant or section may not be named like a built-in or a section.
// Declarations are checked too: forward and external ones, duplicates, exitif outside a loop, return
// values, constants. The interpreter (runtime/cgpl) runs this before a task starts, `ivr-studio check`
// prints it, and the designer shows it, so all three refuse the same programs.
import type { CallExpr, ConstDecl, EntryDecl, Expr, Pos, ProcDecl, Program, Stmt, TaskVarDecl } from './ast';
import type { DiagnosticCode, SourceDiagnostic } from '../diagnostics';
import { type BuiltinSpec, type Environment, environmentOfFile } from './builtins';
import { BodyChecker } from './checkBody';

/** Loads module `name` (lower-case) for `external` declarations: the host reads name.sppi. */
export type ModuleLoader = (name: string) => Program | null;

export interface Routine {
  name: string;
  kind: 'Procedure' | 'Function' | 'Entry';
  params: string[];
  /** null for forward declarations not yet defined and for external ones. */
  body: Stmt[] | null;
  pos: Pos;
  unit: Unit;
  linkage: 'local' | 'forward' | 'external';
  /** `m` of `function m::f(x) external;`, else null (an unqualified external lives in module f). */
  module: string | null;
  /** The definition in the module an external declaration stands for, once loaded. */
  resolved?: Routine;
  /** The code sections this one calls, and the built-ins it calls: what may make it wait. */
  calls: Set<Routine>;
  builtins: Set<BuiltinSpec>;
}

export interface Unit {
  /** null for the program itself, else the module name (loaded from name.sppi). */
  module: string | null;
  file?: string;
  /** Procedures and functions by lower-case name (`m::f` for qualified external declarations). */
  routines: Map<string, Routine>;
  entries: Map<string, Routine>;
  /** Task variables (top-level `var`) by lower-case name. */
  taskVars: Map<string, { name: string; pos: Pos }>;
  /** Constants (top-level `const`) by lower-case name, in declaration order. */
  constants: Map<string, { name: string; value: Expr; pos: Pos }>;
}

export type CallTarget = { kind: 'builtin'; spec: BuiltinSpec } | { kind: 'routine'; routine: Routine };

export interface CheckOptions {
  /** The program's file: messages name it, and its extension says the environment. */
  file?: string;
  /** Which built-ins exist; default from the file's extension (PBX for .sppr/.sppi and unknown). */
  environment?: Environment;
  /**
   * Reads the modules external declarations name. 'unresolved' checks the file alone: calls of external
   * code are checked against their declarations only (`ivr-studio parse`, the designer).
   */
  modules?: ModuleLoader | 'unresolved';
}

export interface CheckResult {
  /** The program first, then every module it loaded. */
  units: Unit[];
  targets: Map<CallExpr, CallTarget>;
  /** Errors in source order per file; the program is fine when there are none. */
  diagnostics: SourceDiagnostic[];
  environment: Environment;
}

export const lc = (s: string): string => s.toLowerCase();

/** Declarations, units and modules; bodies are walked by BodyChecker (checkBody.ts). */
export class Checker {
  readonly units: Unit[] = [];
  readonly targets = new Map<CallExpr, CallTarget>();
  readonly diagnostics: SourceDiagnostic[] = [];
  private readonly modules = new Map<string, Unit | null>();
  private readonly queue: Unit[] = [];

  constructor(
    readonly environment: Environment,
    private readonly loader: ModuleLoader | 'unresolved' | undefined,
  ) {}

  error(unit: Unit, pos: Pos, code: DiagnosticCode, message: string): void {
    this.diagnostics.push({
      severity: 'error',
      code,
      message,
      line: pos.line,
      column: pos.col,
      ...(unit.file !== undefined ? { file: unit.file } : {}),
    });
  }

  addUnit(program: Program, module: string | null, file?: string): Unit {
    const unit: Unit = {
      module,
      ...(file !== undefined ? { file } : {}),
      routines: new Map(),
      entries: new Map(),
      taskVars: new Map(),
      constants: new Map(),
    };
    this.units.push(unit);
    for (const d of program.decls) {
      if (d.kind === 'Entry') this.addEntry(unit, d);
      else if (d.kind === 'TaskVar') this.addTaskVars(unit, d);
      else if (d.kind === 'Const') this.addConstants(unit, d);
      else this.addRoutine(unit, d);
    }
    for (const r of unit.routines.values()) {
      if (r.linkage !== 'forward') continue;
      const what = `${lc(r.kind)} '${r.module ? `${r.module}::` : ''}${r.name}'`;
      this.error(unit, r.pos, 'CGPL208', `${what} is declared forward but never defined`);
    }
    this.queue.push(unit);
    return unit;
  }

  private addEntry(unit: Unit, d: EntryDecl): void {
    const key = lc(d.name);
    if (unit.entries.has(key)) return this.error(unit, d.pos, 'CGPL207', `entry '${d.name}' is defined twice`);
    unit.entries.set(key, this.routine(unit, 'Entry', d.name, [], d.body, d.pos, 'local', null));
  }

  private addTaskVars(unit: Unit, d: TaskVarDecl): void {
    for (const { name, pos } of d.names) {
      if (unit.taskVars.has(lc(name)) || unit.constants.has(lc(name)))
        this.error(unit, pos, 'CGPL207', `'${name}' is declared twice`);
      else unit.taskVars.set(lc(name), { name, pos });
    }
  }

  private addConstants(unit: Unit, d: ConstDecl): void {
    for (const c of d.decls) {
      if (unit.taskVars.has(lc(c.name)) || unit.constants.has(lc(c.name)))
        this.error(unit, c.pos, 'CGPL207', `'${c.name}' is declared twice`);
      else unit.constants.set(lc(c.name), c);
    }
  }

  private addRoutine(unit: Unit, d: ProcDecl): void {
    const module = d.module ?? null;
    const key = module ? `${lc(module)}::${lc(d.name)}` : lc(d.name);
    const shown = module ? `${module}::${d.name}` : d.name;
    const before = unit.routines.get(key);
    if (before && !(before.linkage === 'forward' && d.linkage === 'local')) {
      return this.error(unit, d.pos, 'CGPL207', `'${shown}' is declared twice`);
    }
    if (before) {
      if (before.kind !== d.kind || before.params.length !== d.params.length) {
        return this.error(
          unit,
          d.pos,
          'CGPL208',
          `'${d.name}' does not match its forward declaration (line ${before.pos.line}): ${lc(before.kind)} with ${before.params.length} parameter(s)`,
        );
      }
      before.body = d.body ?? [];
      before.params = d.params;
      before.pos = d.pos;
      before.linkage = 'local';
      return;
    }
    if (module !== null && d.linkage === 'forward') {
      this.error(unit, d.pos, 'CGPL208', `'${shown}' cannot be forward: a qualified name is declared external`);
    }
    const body = d.linkage === 'local' ? (d.body ?? []) : null;
    unit.routines.set(key, this.routine(unit, d.kind, d.name, d.params, body, d.pos, d.linkage, module));
  }

  private routine(
    unit: Unit,
    kind: Routine['kind'],
    name: string,
    params: string[],
    body: Stmt[] | null,
    pos: Pos,
    linkage: Routine['linkage'],
    module: string | null,
  ): Routine {
    return { name, kind, params, body, pos, unit, linkage, module, calls: new Set(), builtins: new Set() };
  }

  loadModule(name: string): Unit | null {
    const key = lc(name);
    if (this.modules.has(key)) return this.modules.get(key) ?? null;
    this.modules.set(key, null);
    let program: Program | null = null;
    try {
      program = typeof this.loader === 'function' ? this.loader(key) : null;
    } catch {
      program = null;
    }
    const unit = program ? this.addUnit(program, key, `${key}.sppi`) : null;
    this.modules.set(key, unit);
    return unit;
  }

  /**
   * The definition an external declaration stands for (module m for `m::f`, module f for plain `f`),
   * or why there is none.
   */
  resolveExternal(r: Routine): Routine | string | null {
    if (r.resolved) return r.resolved;
    if (this.loader === 'unresolved') return null;
    const moduleName = lc(r.module ?? r.name);
    const shown = r.module ? `${r.module}::${r.name}` : r.name;
    const m = this.loadModule(moduleName);
    if (!m) return `module '${moduleName}' not found (${moduleName}.sppi, for external ${lc(r.kind)} '${shown}')`;
    const target = m.routines.get(lc(r.name));
    if (!target || target.linkage === 'external')
      return `external ${lc(r.kind)} '${shown}' not found in module ${moduleName}.sppi`;
    if (target.kind !== r.kind || target.params.length !== r.params.length) {
      return `external '${shown}' does not match its definition in ${moduleName}.sppi (${lc(target.kind)} with ${target.params.length} parameter(s))`;
    }
    r.resolved = target;
    return target;
  }

  /** Walks every unit, including modules loaded while walking. */
  walkAll(): void {
    while (this.queue.length > 0) {
      const unit = this.queue.shift();
      if (unit) new BodyChecker(this, unit).checkUnit();
    }
  }
}

/**
 * Checks a parsed program (and the modules its external declarations name) the way CommuniGate's
 * compiler does. Never throws.
 * @example
 *   const { program } = parseCgpl(text, 'callback.sppr');
 *   const { diagnostics } = checkCgpl(program!, { file: 'callback.sppr' });
 */
export function checkCgpl(program: Program, options: CheckOptions = {}): CheckResult {
  const environment = options.environment ?? environmentOfFile(options.file);
  const checker = new Checker(environment, options.modules);
  try {
    checker.addUnit(program, null, options.file);
    checker.walkAll();
  } catch (e) {
    checker.diagnostics.push({
      severity: 'error',
      code: 'CGPL299',
      message: `internal checker error: ${e instanceof Error ? e.message : String(e)}`,
      line: 1,
      column: 1,
      ...(options.file !== undefined ? { file: options.file } : {}),
    });
  }
  // source order within each file; the program's own file first, then modules as they were loaded
  const files = checker.units.map((u) => u.file);
  const rank = (d: SourceDiagnostic) => files.indexOf(d.file);
  const diagnostics = checker.diagnostics
    .map((d, k) => ({ d, k }))
    .sort((a, b) => rank(a.d) - rank(b.d) || a.d.line - b.d.line || a.d.column - b.d.column || a.k - b.k)
    .map(({ d }) => d);
  return { units: checker.units, targets: checker.targets, diagnostics, environment };
}
