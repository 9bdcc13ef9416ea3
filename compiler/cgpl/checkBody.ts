// The checker's walk over code: statements, expressions, calls and names of one unit (a program or a
// module). Declarations and modules are check.ts; the built-in table is builtins.ts.
import type { CallExpr, Expr, Pos, Stmt } from './ast';
import { arityText, availableIn, ENVIRONMENT_NAMES, findBuiltinSpec, suggestName, type BuiltinSpec } from './builtins';
import { type Checker, lc, type Routine, type Unit } from './check';

const ENV_OF: Record<string, string> = { pbx: 'PBX', webapp: 'WebApp', cgpl: 'CG/PL' };

export class BodyChecker {
  /** Names already reported in the routine being walked: one diagnostic per name, at its first use. */
  private reported = new Set<string>();

  constructor(
    private readonly c: Checker,
    private readonly unit: Unit,
  ) {}

  private error(pos: Pos, code: Parameters<Checker['error']>[2], message: string): void {
    this.c.error(this.unit, pos, code, message);
  }

  checkUnit(): void {
    const unit = this.unit;
    for (const v of unit.taskVars.values()) this.checkName(v.name, v.pos, 'task variable');
    for (const k of unit.constants.values()) {
      this.checkName(k.name, k.pos, 'constant');
      this.checkConstant(k.value, k.name);
    }
    for (const r of [...unit.entries.values(), ...unit.routines.values()]) {
      this.reported = new Set();
      this.checkSectionName(r);
      r.params.forEach((p, i) => {
        if (r.params.slice(0, i).some((q) => lc(q) === lc(p)))
          this.error(r.pos, 'CGPL207', `parameter '${p}' of '${r.name}' is declared twice`);
        else this.checkLocalName(p, r.pos, 'parameter');
      });
      if (r.body) this.stmts(r, r.body, 0);
    }
  }

  // ---- names ----

  /** A section may not take a built-in's name: calls of that name would mean the built-in. */
  private checkSectionName(r: Routine): void {
    const spec = findBuiltinSpec(r.name);
    if (!spec || !availableIn(spec, this.c.environment)) return;
    this.error(
      r.pos,
      'CGPL205',
      `${lc(r.kind)} '${r.name}' has the name of the built-in ${spec.kind} ${spec.name}: rename it (e.g. '${suggestName(r.name)}')`,
    );
  }

  /** Why `name` cannot be a variable here, or null. */
  private nameProblem(name: string, what: string): string | null {
    const spec = findBuiltinSpec(name);
    if (spec && availableIn(spec, this.c.environment)) {
      return `'${name}' is the built-in ${spec.kind} ${spec.name}, not a ${what}: rename it (e.g. '${suggestName(name)}')`;
    }
    const r = this.unit.routines.get(lc(name));
    if (r)
      return `'${name}' is a ${lc(r.kind)} of this program, not a ${what}: rename it (e.g. '${suggestName(name)}')`;
    return null;
  }

  private checkName(name: string, pos: Pos, what: string): void {
    const key = lc(name);
    if (this.reported.has(key)) return;
    const problem = this.nameProblem(name, what);
    if (!problem) return;
    this.reported.add(key);
    this.error(pos, 'CGPL205', problem);
  }

  /** Parameters and `var` names: also not one of the unit's task variables or constants. */
  private checkLocalName(name: string, pos: Pos, what: string): void {
    const key = lc(name);
    if (this.unit.taskVars.has(key) || this.unit.constants.has(key)) {
      const kind = this.unit.taskVars.has(key) ? 'task variable' : 'constant';
      this.error(pos, 'CGPL207', `'${name}' is already a ${kind} of this program; a ${what} cannot have its name`);
      return;
    }
    this.checkName(name, pos, what);
  }

  /** A constant's value: literals, operators and constants declared before it. */
  private checkConstant(e: Expr, name: string): void {
    const bad = (at: Pos, why: string) =>
      this.error(at, 'CGPL215', `the value of constant '${name}' must be a constant expression: ${why}`);
    const walk = (x: Expr): void => {
      switch (x.kind) {
        case 'String':
        case 'Number':
        case 'Bool':
        case 'NullLit':
          return;
        case 'Unary':
          return walk(x.operand);
        case 'Binary':
          walk(x.left);
          return walk(x.right);
        case 'Ternary':
          walk(x.cond);
          walk(x.then);
          return walk(x.otherwise);
        case 'Name': {
          const earlier = [...this.unit.constants.keys()];
          const at = earlier.indexOf(lc(x.name));
          if (at < 0 || at >= earlier.indexOf(lc(name)))
            return bad(x.pos, `'${x.name}' is not a constant declared before it`);
          return;
        }
        default:
          return bad(x.pos, 'only literals, operators and earlier constants');
      }
    };
    walk(e);
  }

  // ---- statements ----

  private stmts(from: Routine, list: Stmt[], loops: number): void {
    for (const s of list) this.stmt(from, s, loops);
  }

  private stmt(from: Routine, s: Stmt, loops: number): void {
    switch (s.kind) {
      case 'Assign':
        if (s.target.kind === 'Name') this.assignName(s.target.name, s.target.pos);
        else this.expr(from, s.target);
        return this.expr(from, s.value);
      case 'CallStmt':
        for (const a of s.call.args) this.expr(from, a);
        return this.call(from, s.call, true);
      case 'Null':
      case 'Stop':
        return;
      case 'Return':
        if (s.value && from.kind !== 'Function')
          this.error(s.pos, 'CGPL211', `${lc(from.kind)} '${from.name}' cannot return a value: only a function can`);
        if (s.value) this.expr(from, s.value);
        return;
      case 'If':
        for (const b of s.branches) {
          this.expr(from, b.cond);
          this.stmts(from, b.body, loops);
        }
        if (s.elseBody) this.stmts(from, s.elseBody, loops);
        return;
      case 'Loop':
        return this.stmts(from, s.body, loops + 1);
      case 'While':
        this.expr(from, s.cond);
        return this.stmts(from, s.body, loops + 1);
      case 'For':
        if (s.init) this.stmt(from, s.init, loops);
        if (s.cond) this.expr(from, s.cond);
        if (s.step) this.stmt(from, s.step, loops + 1);
        return this.stmts(from, s.body, loops + 1);
      case 'ExitIf':
        if (loops === 0) this.error(s.pos, 'CGPL210', 'exitif outside a loop: it leaves the innermost loop');
        return this.expr(from, s.cond);
      case 'Var':
        for (const d of s.decls) {
          this.checkLocalName(d.name, d.pos ?? s.pos, 'variable');
          if (d.init) this.expr(from, d.init);
        }
        return;
      case 'Block':
        return this.stmts(from, s.body, loops);
    }
  }

  private assignName(name: string, pos: Pos): void {
    const k = this.unit.constants.get(lc(name));
    if (k) return this.error(pos, 'CGPL212', `'${name}' is a constant (line ${k.pos.line}): it cannot be assigned`);
    this.checkName(name, pos, 'variable');
  }

  // ---- expressions ----

  private expr(from: Routine, e: Expr): void {
    switch (e.kind) {
      case 'String':
      case 'Number':
      case 'NullLit':
      case 'Bool':
        return;
      case 'Name':
        return this.checkName(e.name, e.pos, 'variable');
      case 'Call':
        for (const a of e.args) this.expr(from, a);
        return this.call(from, e, false);
      case 'Member':
        this.expr(from, e.object);
        if (typeof e.key !== 'string') this.expr(from, e.key);
        return;
      case 'Index':
        this.expr(from, e.object);
        return this.expr(from, e.index);
      case 'Unary':
        return this.expr(from, e.operand);
      case 'Binary':
        this.expr(from, e.left);
        return this.expr(from, e.right);
      case 'Ternary':
        this.expr(from, e.cond);
        this.expr(from, e.then);
        return this.expr(from, e.otherwise);
      case 'Spawn':
        if (!this.unit.entries.has(lc(e.entry)))
          this.error(e.pos, 'CGPL213', `spawn ${e.entry}: there is no entry '${e.entry}' in this program`);
        if (e.arg) this.expr(from, e.arg);
        return;
    }
  }

  // ---- calls ----

  private call(from: Routine, call: CallExpr, asStatement: boolean): void {
    if (call.module !== null) {
      const decl = this.unit.routines.get(`${lc(call.module)}::${lc(call.callee)}`);
      const shown = `${call.module}::${call.callee}`;
      if (decl) return this.routineCall(from, call, decl, shown, asStatement);
      const word = asStatement ? 'procedure' : 'function';
      return this.error(
        call.pos,
        'CGPL214',
        `'${shown}' is not declared: write '${word} ${shown}(...) external;' before the code that calls it`,
      );
    }
    const r = this.unit.routines.get(lc(call.callee));
    if (r) return this.routineCall(from, call, r, call.callee, asStatement);
    const spec = findBuiltinSpec(call.callee);
    if (!spec) {
      const word = asStatement ? 'procedure' : 'function';
      return this.error(call.pos, 'CGPL201', `unknown ${word} '${call.callee}'`);
    }
    if (!availableIn(spec, this.c.environment)) {
      const where = spec.environments.map((env) => ENV_OF[env]).join(' and ');
      return this.error(
        call.pos,
        'CGPL206',
        `'${spec.name}' is a ${where} built-in: ${ENVIRONMENT_NAMES[this.c.environment]} has none`,
      );
    }
    if (!this.arity(call, spec.name, spec, asStatement, spec.kind)) return;
    from.builtins.add(spec);
    this.c.targets.set(call, { kind: 'builtin', spec });
  }

  private routineCall(from: Routine, call: CallExpr, r: Routine, shown: string, asStatement: boolean): void {
    const n = r.params.length;
    if (!this.arity(call, shown, { min: n, max: n }, asStatement, r.kind === 'Function' ? 'function' : 'procedure'))
      return;
    let target = r;
    if (r.linkage === 'external') {
      const found = this.c.resolveExternal(r);
      if (found === null) return; // checking the file alone
      if (typeof found === 'string') {
        const key = `external ${lc(shown)}`;
        if (!this.reported.has(key)) this.error(call.pos, 'CGPL209', found);
        this.reported.add(key);
        return;
      }
      target = found;
    }
    from.calls.add(target);
    this.c.targets.set(call, { kind: 'routine', routine: target });
  }

  /** Argument count and procedure/function use; false when the call is refused. */
  private arity(
    call: CallExpr,
    shown: string,
    range: Pick<BuiltinSpec, 'min' | 'max'>,
    asStatement: boolean,
    kind: 'function' | 'procedure',
  ): boolean {
    const argc = call.args.length;
    if (argc < range.min || argc > range.max) {
      const want = arityText(range);
      const plural = want === '1' ? 'argument' : 'arguments';
      this.error(call.pos, 'CGPL202', `'${shown}' expects ${want} ${plural}, got ${argc}`);
      return false;
    }
    if (asStatement && kind === 'function') {
      this.error(call.pos, 'CGPL203', `'${shown}' is a function: use its value, or drop it with Void(${shown}(...))`);
      return false;
    }
    if (!asStatement && kind === 'procedure') {
      this.error(call.pos, 'CGPL204', `'${shown}' is a procedure and has no value`);
      return false;
    }
    return true;
  }
}
