// Statements → closures returning a signal: NEXT, EXIT (an exitif fired) or RETURN.
// Every statement and every loop iteration is one step, so even `loop end loop;` hits the budget.
import type { AssignStmt, Stmt } from '../../compiler/cgpl/ast';
import { getIndex, getMember, setIndex, setMember } from './access';
import { frameVariables } from './debug';
import { StopSignal } from './errors';
import { compileCall, compileExpr } from './expr';
import { EXIT, located, NEXT, RETURN, Scope, type CExpr, type CStmt, type Ctx, type Frame, type Signal } from './frame';
import type { Routine } from './link';
import { compound } from './operators';
import { isTrue, type Value } from './values';

type SyncS = (f: Frame) => Signal;
type SyncE = (f: Frame) => Value;

/** Runs statements in order; stops at the first EXIT or RETURN. */
export function compileBlock(ctx: Ctx, list: Stmt[]): CStmt {
  const parts = list.map((s) => compileStmt(ctx, s));
  if (parts.every((p) => !p.async)) {
    const runs = parts.map((p) => p.run as SyncS);
    const n = runs.length;
    return {
      async: false,
      run: (f) => {
        for (let i = 0; i < n; i++) {
          const s = runs[i]!(f);
          if (s !== NEXT) return s;
        }
        return NEXT;
      },
    };
  }
  return {
    async: true,
    run: async (f) => {
      for (const p of parts) {
        const s = p.async ? await p.run(f) : (p.run(f) as Signal);
        if (s !== NEXT) return s;
      }
      return NEXT;
    },
  };
}

/** Reads and writes of an assignment target; the object and key are evaluated once. */
function assign(ctx: Ctx, s: AssignStmt): CStmt {
  const value = compileExpr(ctx, s.value);
  const op = s.op;
  const t = s.target;
  const file = ctx.file;
  const parts: CExpr[] = [value];
  let store: (vals: Value[], f: Frame) => void;
  const key = t.kind === 'Name' ? t.name.toLowerCase() : '';
  if (t.kind === 'Name' && ctx.unit?.taskVars.has(key)) {
    const vars = ctx.task.taskVars;
    store = ([v]) => {
      vars.set(key, op === '=' ? v! : compound(op, vars.get(key) ?? null, v!));
    };
  } else if (t.kind === 'Name') {
    const slot = ctx.scope.slot(t.name);
    store = ([v], f) => {
      f.v[slot] = op === '=' ? v! : compound(op, f.v[slot]!, v!);
    };
  } else {
    parts.push(compileExpr(ctx, t.object));
    const key = t.kind === 'Index' ? t.index : t.key;
    parts.push(typeof key === 'string' ? { async: false, run: () => key } : compileExpr(ctx, key));
    const get = t.kind === 'Index' ? getIndex : getMember;
    const set = t.kind === 'Index' ? setIndex : setMember;
    store = ([v, o, k]) => set(o!, k!, op === '=' ? v! : compound(op, get(o!, k!), v!));
  }
  if (parts.every((p) => !p.async)) {
    const runs = parts.map((p) => p.run as SyncE);
    return {
      async: false,
      run: (f) => {
        const vals = runs.map((r) => r(f));
        try {
          store(vals, f);
        } catch (e) {
          throw located(e, s.pos, file);
        }
        return NEXT;
      },
    };
  }
  return {
    async: true,
    run: async (f) => {
      const vals: Value[] = [];
      for (const p of parts) vals.push(await p.run(f));
      try {
        store(vals, f);
      } catch (e) {
        throw located(e, s.pos, file);
      }
      return NEXT;
    },
  };
}

const syncS = (run: SyncS): CStmt => ({ run, async: false });

/** The statement proper, without the step count. */
function body(ctx: Ctx, s: Stmt): CStmt {
  switch (s.kind) {
    case 'Assign':
      return assign(ctx, s);
    case 'CallStmt': {
      const c = compileCall(ctx, s.call);
      if (!c.async) {
        const run = c.run as SyncE;
        return syncS((f) => (run(f), NEXT));
      }
      return { async: true, run: async (f) => (await c.run(f), NEXT) };
    }
    case 'Null':
      return syncS(() => NEXT);
    case 'Stop':
      return syncS(() => {
        throw new StopSignal();
      });
    case 'Return': {
      if (!s.value) return syncS(() => RETURN);
      const v = compileExpr(ctx, s.value);
      if (!v.async) {
        const run = v.run as SyncE;
        return syncS((f) => ((f.ret = run(f)), RETURN));
      }
      return { async: true, run: async (f) => ((f.ret = await v.run(f)), RETURN) };
    }
    case 'If': {
      const branches = s.branches.map((b) => ({ cond: compileExpr(ctx, b.cond), body: compileBlock(ctx, b.body) }));
      const other = s.elseBody ? compileBlock(ctx, s.elseBody) : null;
      if (branches.every((b) => !b.cond.async && !b.body.async) && !other?.async) {
        return syncS((f) => {
          for (const b of branches) if (isTrue(b.cond.run(f) as Value)) return b.body.run(f) as Signal;
          return other ? (other.run(f) as Signal) : NEXT;
        });
      }
      return {
        async: true,
        run: async (f) => {
          for (const b of branches) if (isTrue(await b.cond.run(f))) return b.body.run(f);
          return other ? other.run(f) : NEXT;
        },
      };
    }
    case 'Loop':
      return loop(ctx, null, compileBlock(ctx, s.body), null);
    case 'While':
      return loop(ctx, compileExpr(ctx, s.cond), compileBlock(ctx, s.body), null);
    case 'For': {
      const init = s.init ? compileStmt(ctx, s.init) : null;
      const cond = s.cond ? compileExpr(ctx, s.cond) : null;
      const step = s.step ? compileStmt(ctx, s.step) : null;
      const l = loop(ctx, cond, compileBlock(ctx, s.body), step);
      if (!init) return l;
      return compileSequence([init, l]);
    }
    case 'ExitIf': {
      const c = compileExpr(ctx, s.cond);
      if (!c.async) {
        const run = c.run as SyncE;
        return syncS((f) => (isTrue(run(f)) ? EXIT : NEXT));
      }
      return { async: true, run: async (f) => (isTrue(await c.run(f)) ? EXIT : NEXT) };
    }
    case 'Var': {
      const decls = s.decls.map((d) => ({
        slot: ctx.scope.slot(d.name),
        init: d.init ? compileExpr(ctx, d.init) : null,
      }));
      if (decls.every((d) => !d.init?.async)) {
        return syncS((f) => {
          for (const d of decls) f.v[d.slot] = d.init ? (d.init.run(f) as Value) : null;
          return NEXT;
        });
      }
      return {
        async: true,
        run: async (f) => {
          for (const d of decls) f.v[d.slot] = d.init ? await d.init.run(f) : null;
          return NEXT;
        },
      };
    }
    case 'Block':
      return compileBlock(ctx, s.body);
  }
}

function compileSequence(parts: CStmt[]): CStmt {
  if (parts.every((p) => !p.async)) {
    return syncS((f) => {
      for (const p of parts) {
        const s = p.run(f) as Signal;
        if (s !== NEXT) return s;
      }
      return NEXT;
    });
  }
  return {
    async: true,
    run: async (f) => {
      for (const p of parts) {
        const s = await p.run(f);
        if (s !== NEXT) return s;
      }
      return NEXT;
    },
  };
}

/** loop / while / for: one step per iteration; EXIT ends this loop, RETURN goes on up. */
function loop(ctx: Ctx, cond: CExpr | null, bodyS: CStmt, step: CStmt | null): CStmt {
  const task = ctx.task;
  if (!cond?.async && !bodyS.async && !step?.async) {
    const c = cond ? (cond.run as SyncE) : null;
    const b = bodyS.run as SyncS;
    const st = step ? (step.run as SyncS) : null;
    return syncS((f) => {
      for (;;) {
        task.tick();
        if (c && !isTrue(c(f))) return NEXT;
        const s = b(f);
        if (s === EXIT) return NEXT;
        if (s === RETURN) return RETURN;
        if (st) st(f);
      }
    });
  }
  return {
    async: true,
    run: async (f) => {
      for (;;) {
        task.tick();
        if (cond && !isTrue(await cond.run(f))) return NEXT;
        const s = await bodyS.run(f);
        if (s === EXIT) return NEXT;
        if (s === RETURN) return RETURN;
        if (step) await step.run(f);
      }
    },
  };
}

/** A statement with its step: counts it, notes where the task is, and follows the flow node. */
export function compileStmt(ctx: Ctx, s: Stmt): CStmt {
  const inner = body(ctx, s);
  const task = ctx.task;
  const pos = s.pos;
  const file = ctx.file;
  const nodeId = s.nodeId ?? ctx.lineToNode?.(pos.line) ?? null;
  const onStep = ctx.onStep;
  if (onStep) {
    const at = { line: pos.line, col: pos.col, nodeId, ...(file !== undefined ? { file } : {}) };
    // The routine's names are complete once its body is compiled, which is before anything runs.
    const names = ctx.scope.names;
    return {
      async: true,
      run: async (f) => {
        task.tick();
        task.pos = pos;
        task.file = file;
        if (nodeId !== null) task.enterNode(nodeId);
        await onStep(at, { variables: () => frameVariables(names, f) });
        return inner.run(f);
      },
    };
  }
  if (!inner.async) {
    const run = inner.run as SyncS;
    if (nodeId === null) {
      return syncS((f) => {
        task.tick();
        task.pos = pos;
        task.file = file;
        return run(f);
      });
    }
    return syncS((f) => {
      task.tick();
      task.pos = pos;
      task.file = file;
      task.enterNode(nodeId);
      return run(f);
    });
  }
  return {
    async: true,
    run: (f) => {
      task.tick();
      task.pos = pos;
      task.file = file;
      if (nodeId !== null) task.enterNode(nodeId);
      return inner.run(f);
    },
  };
}

/** Compiles a routine's body with its own variables; parameters take the first slots. */
export function compileRoutine(ctx: Ctx, r: Routine): void {
  const scope = new Scope();
  for (const p of r.params) scope.slot(p);
  const local: Ctx = { ...ctx, scope, file: r.unit.file, unit: r.unit };
  const body = compileBlock(local, r.body ?? []);
  ctx.compiled.set(r, { slots: scope.size, body });
}
