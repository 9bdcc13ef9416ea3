// Linking: finds every procedure, function and entry (forward and external ones included), binds
// each call to a routine or a built-in, checks names, argument counts and procedure/function use the
// way the server's compiler does, and marks which routines may wait on the call (async).
import type { CallExpr, Diagnostic, EntryDecl, Expr, Pos, ProcDecl, Program, Stmt } from '../../compiler/cgpl/ast';
import { findBuiltin, type Builtin } from './builtins/index';

export interface Unit {
  /** null for the program itself, else the module name (loaded from name.sppi). */
  module: string | null;
  file?: string;
  routines: Map<string, Routine>;
  entries: Map<string, Routine>;
}

export interface Routine {
  name: string;
  kind: 'Procedure' | 'Function' | 'Entry';
  params: string[];
  /** null until an external or forward declaration is resolved. */
  body: Stmt[] | null;
  pos: Pos;
  unit: Unit;
  linkage: 'local' | 'forward' | 'external';
  /** An external declaration's module routine, once loaded. */
  resolved?: Routine;
  calls: Set<Routine>;
  waitsDirectly: boolean;
  async: boolean;
}

export type Target = { kind: 'builtin'; builtin: Builtin } | { kind: 'routine'; routine: Routine };

export interface LinkError extends Diagnostic {
  file?: string;
}

export interface Linked {
  units: Unit[];
  targets: Map<CallExpr, Target>;
  errors: LinkError[];
}

export type ModuleLoader = (name: string) => Program | null;

const lc = (s: string) => s.toLowerCase();

class Linker {
  readonly units: Unit[] = [];
  readonly targets = new Map<CallExpr, Target>();
  readonly errors: LinkError[] = [];
  private readonly modules = new Map<string, Unit | null>();
  private readonly queue: Unit[] = [];

  constructor(private readonly loader: ModuleLoader | undefined) {}

  error(unit: Unit, pos: Pos, message: string): void {
    this.errors.push({
      line: pos.line,
      col: pos.col,
      message,
      severity: 'error',
      ...(unit.file ? { file: unit.file } : {}),
    });
  }

  addUnit(program: Program, module: string | null, file?: string): Unit {
    const unit: Unit = { module, ...(file !== undefined ? { file } : {}), routines: new Map(), entries: new Map() };
    for (const d of program.decls) {
      if (d.kind === 'Entry') this.addEntry(unit, d);
      else this.addRoutine(unit, d);
    }
    for (const r of unit.routines.values()) {
      if (r.linkage === 'forward')
        this.error(unit, r.pos, `${r.kind.toLowerCase()} '${r.name}' is declared forward but never defined`);
    }
    this.units.push(unit);
    this.queue.push(unit);
    return unit;
  }

  private addEntry(unit: Unit, d: EntryDecl): void {
    if (unit.entries.has(lc(d.name))) return this.error(unit, d.pos, `entry '${d.name}' is defined twice`);
    unit.entries.set(lc(d.name), this.routine(unit, 'Entry', d.name, [], d.body, d.pos, 'local'));
  }

  private addRoutine(unit: Unit, d: ProcDecl): void {
    const key = lc(d.name);
    const before = unit.routines.get(key);
    if (before && !(before.linkage === 'forward' && d.linkage === 'local')) {
      return this.error(unit, d.pos, `'${d.name}' is declared twice`);
    }
    if (before) {
      if (before.kind !== d.kind || before.params.length !== d.params.length) {
        return this.error(unit, d.pos, `'${d.name}' does not match its forward declaration`);
      }
      before.body = d.body ?? [];
      before.params = d.params;
      before.linkage = 'local';
      return;
    }
    const body = d.linkage === 'local' ? (d.body ?? []) : null;
    unit.routines.set(key, this.routine(unit, d.kind, d.name, d.params, body, d.pos, d.linkage));
  }

  private routine(
    unit: Unit,
    kind: Routine['kind'],
    name: string,
    params: string[],
    body: Stmt[] | null,
    pos: Pos,
    linkage: Routine['linkage'],
  ): Routine {
    return { name, kind, params, body, pos, unit, linkage, calls: new Set(), waitsDirectly: false, async: false };
  }

  private loadModule(name: string): Unit | null {
    const key = lc(name);
    if (this.modules.has(key)) return this.modules.get(key)!;
    this.modules.set(key, null);
    let program: Program | null = null;
    try {
      program = this.loader ? this.loader(key) : null;
    } catch {
      program = null;
    }
    const unit = program ? this.addUnit(program, key, `${key}.sppi`) : null;
    this.modules.set(key, unit);
    return unit;
  }

  /** The routine a call names, loading modules for `m::f` and `external` declarations. */
  private resolve(unit: Unit, call: CallExpr): Routine | string | null {
    if (call.module !== null) {
      const m = this.loadModule(call.module);
      if (!m) return `module '${call.module}' not found`;
      return m.routines.get(lc(call.callee)) ?? `unknown function '${call.module}::${call.callee}'`;
    }
    const r = unit.routines.get(lc(call.callee));
    if (r?.linkage !== 'external') return r ?? null;
    if (r.resolved) return r.resolved;
    const m = this.loadModule(r.name);
    const target = m?.routines.get(lc(r.name));
    if (target?.linkage !== 'local')
      return `external ${r.kind.toLowerCase()} '${r.name}' not found in module ${lc(r.name)}.sppi`;
    if (target.kind !== r.kind || target.params.length !== r.params.length) {
      return `external '${r.name}' does not match its definition in ${lc(r.name)}.sppi`;
    }
    r.resolved = target;
    return target;
  }

  private checkCall(unit: Unit, from: Routine, call: CallExpr, asStatement: boolean): void {
    const shown = call.module ? `${call.module}::${call.callee}` : call.callee;
    const found = this.resolve(unit, call);
    if (typeof found === 'string') return this.error(unit, call.pos, found);
    const argc = call.args.length;
    if (found) {
      if (argc !== found.params.length) {
        return this.error(unit, call.pos, `'${shown}' expects ${found.params.length} argument(s), got ${argc}`);
      }
      if (asStatement && found.kind === 'Function') {
        return this.error(unit, call.pos, `'${shown}' is a function: use Void(${shown}(...)) to discard its value`);
      }
      if (!asStatement && found.kind === 'Procedure') {
        return this.error(unit, call.pos, `'${shown}' is a procedure and has no value`);
      }
      from.calls.add(found);
      this.targets.set(call, { kind: 'routine', routine: found });
      return;
    }
    const b = findBuiltin(call.callee);
    if (!b) return this.error(unit, call.pos, `unknown function '${shown}'`);
    if (argc < b.min || argc > b.max) {
      const want = b.min === b.max ? `${b.min}` : `${b.min}-${b.max}`;
      return this.error(unit, call.pos, `'${b.name}' expects ${want} argument(s), got ${argc}`);
    }
    if (!asStatement && b.kind === 'procedure')
      return this.error(unit, call.pos, `'${b.name}' is a procedure and has no value`);
    if (b.async) from.waitsDirectly = true;
    this.targets.set(call, { kind: 'builtin', builtin: b });
  }

  private expr(unit: Unit, from: Routine, e: Expr): void {
    switch (e.kind) {
      case 'String':
      case 'Number':
      case 'NullLit':
      case 'Bool':
      case 'Name':
        return;
      case 'Call':
        for (const a of e.args) this.expr(unit, from, a);
        return this.checkCall(unit, from, e, false);
      case 'Member':
        this.expr(unit, from, e.object);
        if (typeof e.key !== 'string') this.expr(unit, from, e.key);
        return;
      case 'Index':
        this.expr(unit, from, e.object);
        return this.expr(unit, from, e.index);
      case 'Unary':
        return this.expr(unit, from, e.operand);
      case 'Binary':
        this.expr(unit, from, e.left);
        return this.expr(unit, from, e.right);
      case 'Ternary':
        this.expr(unit, from, e.cond);
        this.expr(unit, from, e.then);
        return this.expr(unit, from, e.otherwise);
      case 'Spawn':
        if (e.arg) this.expr(unit, from, e.arg);
        return;
    }
  }

  private stmts(unit: Unit, from: Routine, list: Stmt[], loops: number): void {
    for (const s of list) this.stmt(unit, from, s, loops);
  }

  private stmt(unit: Unit, from: Routine, s: Stmt, loops: number): void {
    switch (s.kind) {
      case 'Assign':
        this.expr(unit, from, s.target);
        return this.expr(unit, from, s.value);
      case 'CallStmt':
        for (const a of s.call.args) this.expr(unit, from, a);
        return this.checkCall(unit, from, s.call, true);
      case 'Null':
      case 'Stop':
        return;
      case 'Return':
        if (s.value && from.kind !== 'Function')
          this.error(unit, s.pos, `${from.kind.toLowerCase()} '${from.name}' cannot return a value`);
        if (s.value) this.expr(unit, from, s.value);
        return;
      case 'If':
        for (const b of s.branches) {
          this.expr(unit, from, b.cond);
          this.stmts(unit, from, b.body, loops);
        }
        if (s.elseBody) this.stmts(unit, from, s.elseBody, loops);
        return;
      case 'Loop':
        return this.stmts(unit, from, s.body, loops + 1);
      case 'While':
        this.expr(unit, from, s.cond);
        return this.stmts(unit, from, s.body, loops + 1);
      case 'For':
        if (s.init) this.stmt(unit, from, s.init, loops);
        if (s.cond) this.expr(unit, from, s.cond);
        if (s.step) this.stmt(unit, from, s.step, loops + 1);
        return this.stmts(unit, from, s.body, loops + 1);
      case 'ExitIf':
        if (loops === 0) this.error(unit, s.pos, 'exitif outside a loop');
        return this.expr(unit, from, s.cond);
      case 'Var':
        for (const d of s.decls) if (d.init) this.expr(unit, from, d.init);
        return;
      case 'Block':
        return this.stmts(unit, from, s.body, loops);
    }
  }

  /** Walks every unit, including modules loaded while walking. */
  walkAll(): void {
    while (this.queue.length > 0) {
      const unit = this.queue.shift()!;
      for (const r of [...unit.entries.values(), ...unit.routines.values()]) {
        if (r.body) this.stmts(unit, r, r.body, 0);
      }
    }
  }

  /** A routine is async when it calls a waiting built-in or an async routine (fixpoint over calls). */
  markAsync(all: boolean): void {
    const routines = this.units.flatMap((u) => [...u.entries.values(), ...u.routines.values()]);
    for (const r of routines) r.async = all || r.waitsDirectly;
    for (let changed = true; changed; ) {
      changed = false;
      for (const r of routines) {
        if (r.async) continue;
        for (const c of r.calls) {
          if (c.async) {
            r.async = true;
            changed = true;
            break;
          }
        }
      }
    }
  }
}

/**
 * Links a program. `allAsync` (a debugger hook is attached) makes every routine async so each step
 * can wait. Errors come in source order; the interpreter refuses to run when there is any.
 */
export function linkProgram(program: Program, modules?: ModuleLoader, file?: string, allAsync = false): Linked {
  const linker = new Linker(modules);
  linker.addUnit(program, null, file);
  linker.walkAll();
  linker.markAsync(allAsync);
  return { units: linker.units, targets: linker.targets, errors: linker.errors };
}
