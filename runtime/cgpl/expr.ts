// Expressions → closures. Operators and built-ins know no positions; errors get the node's here.
import { BudgetExceeded } from '../call/budget';
import type { CallExpr, Expr, Pos } from '../../compiler/cgpl/ast';
import { getIndex, getMember } from './access';
import { CgplError } from './errors';
import { Frame, located, type CExpr, type CompiledRoutine, type Ctx } from './frame';
import type { Routine, Unit } from './link';
import { binary, unary } from './operators';
import { MAX_CALL_DEPTH } from './task';
import { isTrue, truth, YES, type Value } from './values';

type Sync = (f: Frame) => Value;

const sync = (run: Sync): CExpr => ({ run, async: false });
const constant = (v: Value): CExpr => sync(() => v);

/** Evaluates `parts` left to right and applies `apply`, waiting only if some part (or apply) waits. */
function combine(
  ctx: Ctx,
  pos: Pos,
  parts: CExpr[],
  apply: (vals: Value[]) => Value | Promise<Value>,
  applyWaits = false,
): CExpr {
  const file = ctx.file;
  if (!applyWaits && parts.every((p) => !p.async)) {
    const runs = parts.map((p) => p.run as Sync);
    const n = runs.length;
    return sync((f) => {
      const vals = new Array<Value>(n);
      for (let i = 0; i < n; i++) vals[i] = runs[i]!(f);
      try {
        return apply(vals) as Value;
      } catch (e) {
        throw located(e, pos, file);
      }
    });
  }
  return {
    async: true,
    run: async (f) => {
      const vals: Value[] = [];
      for (const p of parts) vals.push(p.async ? await p.run(f) : (p.run(f) as Value));
      try {
        return await apply(vals);
      } catch (e) {
        throw located(e, pos, file);
      }
    },
  };
}

function binaryExpr(ctx: Ctx, e: Extract<Expr, { kind: 'Binary' }>): CExpr {
  const l = compileExpr(ctx, e.left);
  const r = compileExpr(ctx, e.right);
  const op = e.op;
  const file = ctx.file;
  const shortAnd = op === 'and then' || op === '&&';
  const shortOr = op === 'or else' || op === '||';
  if (!shortAnd && !shortOr) {
    if (l.async || r.async) return combine(ctx, e.pos, [l, r], ([a, b]) => binary(op, a!, b!));
    const lr = l.run as Sync;
    const rr = r.run as Sync;
    return sync((f) => {
      const a = lr(f);
      const b = rr(f);
      try {
        return binary(op, a, b);
      } catch (err) {
        throw located(err, e.pos, file);
      }
    });
  }
  // the right side runs only when the left one does not decide
  if (!l.async && !r.async) {
    const lr = l.run as Sync;
    const rr = r.run as Sync;
    return sync((f) => (isTrue(lr(f)) === shortOr ? truth(shortOr) : truth(isTrue(rr(f)))));
  }
  return {
    async: true,
    run: async (f) => (isTrue(await l.run(f)) === shortOr ? truth(shortOr) : truth(isTrue(await r.run(f)))),
  };
}

function ternary(ctx: Ctx, e: Extract<Expr, { kind: 'Ternary' }>): CExpr {
  const c = compileExpr(ctx, e.cond);
  const t = compileExpr(ctx, e.then);
  const o = compileExpr(ctx, e.otherwise);
  if (!c.async && !t.async && !o.async) {
    const [cr, tr, or] = [c.run as Sync, t.run as Sync, o.run as Sync];
    return sync((f) => (isTrue(cr(f)) ? tr(f) : or(f)));
  }
  return { async: true, run: async (f) => (isTrue(await c.run(f)) ? t.run(f) : o.run(f)) };
}

/** Runs a user procedure or function with a fresh frame; deep recursion is a CG/PL error. */
function routineCall(ctx: Ctx, r: Routine, pos: Pos): [(args: Value[]) => Value | Promise<Value>, boolean] {
  const task = ctx.task;
  const file = ctx.file;
  let c: CompiledRoutine | undefined;
  const enter = (args: Value[]): Frame => {
    c ??= ctx.compiled.get(r)!;
    if (task.depth >= MAX_CALL_DEPTH) {
      throw new CgplError(`calls nested deeper than ${MAX_CALL_DEPTH} (runaway recursion?)`, pos, file, 'RUN406');
    }
    task.depth++;
    const frame = new Frame(c.slots);
    for (let i = 0; i < args.length; i++) frame.v[i] = args[i]!;
    return frame;
  };
  if (!ctx.async.has(r)) {
    return [
      (args) => {
        const frame = enter(args);
        try {
          c!.body.run(frame);
        } finally {
          task.depth--;
        }
        return frame.ret;
      },
      false,
    ];
  }
  return [
    async (args) => {
      const frame = enter(args);
      try {
        await c!.body.run(frame);
      } finally {
        task.depth--;
      }
      return frame.ret;
    },
    true,
  ];
}

export function compileCall(ctx: Ctx, e: CallExpr): CExpr {
  const args = e.args.map((a) => compileExpr(ctx, a));
  const target = ctx.targets.get(e);
  if (!target) {
    // linking reports these first; kept so a caller that skips linking still gets a located error
    const err = new CgplError(`unknown function '${e.callee}'`, e.pos, ctx.file, 'CGPL201');
    return sync(() => {
      throw err;
    });
  }
  if (target.kind === 'routine') {
    const [call, waits] = routineCall(ctx, target.routine, e.pos);
    return combine(ctx, e.pos, args, call, waits);
  }
  const b = target.builtin;
  const task = ctx.task;
  if (!b.async) return combine(ctx, e.pos, args, (vals) => b.call(task, vals));
  return combine(
    ctx,
    e.pos,
    args,
    async (vals) => {
      try {
        return await task.wait(b.call(task, vals) as Promise<Value>);
      } catch (err) {
        throw sessionFailure(b.name, err);
      }
    },
    true,
  );
}

/** The call session failed (a host problem, not the program's): say which built-in met it. */
function sessionFailure(name: string, err: unknown): unknown {
  if (err instanceof CgplError || !(err instanceof Error)) return err;
  if (err instanceof BudgetExceeded) return new CgplError(err.message);
  return new CgplError(`${name} failed: ${err.message}`);
}

/** A constant's value, computed once per unit (the checker allows only literals, operators, constants). */
function constantValue(ctx: Ctx, key: string): Value {
  const unit = ctx.unit!;
  let values = constants.get(unit);
  if (!values) constants.set(unit, (values = new Map()));
  if (!values.has(key)) {
    const c = unit.constants.get(key)!;
    values.set(key, compileExpr(ctx, c.value).run(new Frame(0)) as Value);
  }
  return values.get(key)!;
}

const constants = new WeakMap<Unit, Map<string, Value>>();

export function compileExpr(ctx: Ctx, e: Expr): CExpr {
  switch (e.kind) {
    case 'String':
      return constant(e.value);
    case 'Number':
      return constant(e.value);
    case 'NullLit':
      return constant(null);
    case 'Bool':
      return constant(e.value ? YES : null);
    case 'Name': {
      const key = e.name.toLowerCase();
      if (ctx.unit?.constants.has(key)) return constant(constantValue(ctx, key));
      if (ctx.unit?.taskVars.has(key)) {
        const vars = ctx.task.taskVars;
        return sync(() => vars.get(key) ?? null);
      }
      const slot = ctx.scope.slot(e.name);
      return sync((f) => f.v[slot]!);
    }
    case 'Call':
      return compileCall(ctx, e);
    case 'Member': {
      const obj = compileExpr(ctx, e.object);
      const key = typeof e.key === 'string' ? constant(e.key) : compileExpr(ctx, e.key);
      return combine(ctx, e.pos, [obj, key], ([o, k]) => getMember(o!, k!));
    }
    case 'Index':
      return combine(ctx, e.pos, [compileExpr(ctx, e.object), compileExpr(ctx, e.index)], ([o, i]) => getIndex(o!, i!));
    case 'Unary': {
      const op = e.op;
      return combine(ctx, e.pos, [compileExpr(ctx, e.operand)], ([v]) => unary(op, v!));
    }
    case 'Binary':
      return binaryExpr(ctx, e);
    case 'Ternary':
      return ternary(ctx, e);
    case 'Spawn': {
      const spawn = ctx.spawn;
      const arg = e.arg ? compileExpr(ctx, e.arg) : null;
      const start = (v: Value): Value => {
        if (!spawn) throw new CgplError('spawn needs a task to start from', e.pos, ctx.file);
        return spawn(e.entry, v);
      };
      if (arg?.async) return { async: true, run: async (f) => start(await arg.run(f)) };
      return sync((f) => start(arg ? (arg.run(f) as Value) : null));
    }
  }
}
