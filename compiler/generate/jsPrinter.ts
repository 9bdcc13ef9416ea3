// printJs: a lowered CG/PL program → an ES module `export default async function main(call, options)`.
// It prints only the AST subset lowerFlow produces (anything else is an internal error), keeping
// CG/PL semantics: `stop;` returns, names are case-insensitive, `+` fails on non-strings as CG/PL does.
import type { Expr, Program, Stmt } from '../cgpl/ast';
import { JS_BUILTINS, JS_HELPERS, STRING_BUILTINS } from './jsBuiltins';

class Unsupported extends Error {
  constructor(what: string) {
    super(`internal error: the JS printer does not support ${what} (only lowered flows reach it)`);
  }
}

const jsName = (n: string) => `$${n.toLowerCase()}`;

/**
 * The module's CPU budget, the same rule as the runtime's (runtime/call/budget.ts): a host passes
 * options.check (its budget, which sees every PBX wait); without one the module keeps its own, timing
 * the call's async methods. $$tick also gives the event loop a turn every 20 ms of running.
 */
const BUDGET_PRELUDE = `let $$node = null, $$steps = 0, $$slice = Date.now();
const $$enter = (id) => { $$node = id; call.node(id); };
const $$check = options.check ?? (() => {
  const host = call, limit = options.runawayMs ?? 2500;
  let resumed = Date.now(), waiting = 0;
  const waits = new Set(['accept', 'playFile', 'readInput', 'sendEmail', 'redirect', 'record', 'disconnect']);
  call = new Proxy(host, { get: (t, k) => {
    const v = t[k];
    if (typeof v !== 'function') return v;
    if (!waits.has(k)) return v.bind(t);
    return async (...a) => { waiting++; try { return await v.apply(t, a); } finally { waiting--; resumed = Date.now(); } };
  } });
  return () => {
    const ran = Date.now() - resumed;
    if (!waiting && ran > limit) throw new Error('the program ran ' + (ran / 1000).toFixed(1) + ' s without waiting for the caller' + ($$node === null ? '' : ' in node ' + $$node) + '; it was stopped (a loop that never waits?)');
  };
})();
const $$tick = async () => {
  $$check();
  if (Date.now() - $$slice >= 20) { await new Promise((r) => (typeof setImmediate === 'function' ? setImmediate : setTimeout)(r)); $$slice = Date.now(); }
};`;
const lit = (s: string) => JSON.stringify(s);

export interface PrintJsOptions {
  /** Comment lines at the top of the module (without `//`). */
  header?: string[];
  /** Emit `call.node(id)` where the running statement's flow node changes (default true). */
  nodeTracking?: boolean;
}

export function printJs(program: Program, opts: PrintJsOptions = {}): string {
  const entries = program.decls.map((d) => {
    if (d.kind !== 'Entry') throw new Unsupported('procedures and functions (only entries)');
    return d;
  });
  const main = entries.find((e) => e.name.toLowerCase() === 'main');
  if (!main || entries[0] !== main) throw new Unsupported('a program whose first entry is not Main');
  const names = new Set(entries.map((e) => e.name.toLowerCase()));
  const others = entries
    .slice(1)
    .map((e) => printEntry(e, `async function ${entryFunction(e.name)}(call, options = {})`, names, opts));
  return [
    ...(opts.header ?? []).map((h) => `// ${h}`),
    "/** options.check: the host's CPU budget, called in loops (throw to stop); options.runawayMs: the module's own. */",
    ...printEntry(main, 'export default async function main(call, options = {})', names, opts),
    ...others.flat(),
    '',
  ].join('\n');
}

/** The module function of a spawned entry. */
const entryFunction = (name: string) => `entry_${name.toLowerCase()}`;

function printEntry(
  entry: Extract<Program['decls'][number], { kind: 'Entry' }>,
  signature: string,
  entries: ReadonlySet<string>,
  opts: PrintJsOptions,
): string[] {
  const used = new Set<string>();
  const vars = new Set<string>();
  const tracking = opts.nodeTracking ?? true;
  const stringy = new WeakMap<Expr, boolean>();

  // A `+` whose result is known to be a string (a literal or a string built-in on one side).
  const isString = (e: Expr): boolean => {
    let r = stringy.get(e);
    if (r === undefined) {
      r =
        e.kind === 'String' ||
        (e.kind === 'Call' && STRING_BUILTINS.has(e.callee.toLowerCase())) ||
        (e.kind === 'Binary' && e.op === '+' && (isString(e.left) || isString(e.right)));
      stringy.set(e, r);
    }
    return r;
  };

  const expr = (e: Expr, nested = false): string => {
    const wrap = (s: string) => (nested ? `(${s})` : s);
    switch (e.kind) {
      case 'String':
        return lit(e.value);
      case 'Number':
        return e.value.toString();
      case 'NullLit':
        return 'null';
      case 'Bool':
        return e.value ? '"YES"' : 'null';
      case 'Name':
        vars.add(jsName(e.name));
        return jsName(e.name);
      case 'Call': {
        const key = e.callee.toLowerCase();
        const b = JS_BUILTINS[key];
        if (!b || e.module !== null) throw new Unsupported(`the built-in ${e.callee}`);
        used.add(key);
        const text = `${e.callee}(${e.args.map((a) => expr(a)).join(', ')})`;
        return b.async ? wrap(`await ${text}`) : text;
      }
      case 'Member': {
        // a missing key reads as null in CG/PL
        const key = typeof e.key === 'string' ? lit(e.key) : expr(e.key);
        return `(${expr(e.object, true)}?.[${key}] ?? null)`;
      }
      case 'Index':
        return `${expr(e.object, true)}[${expr(e.index)}]`;
      case 'Unary':
        if (e.op === 'not' || e.op === '!') return `!${expr(e.operand, true)}`;
        if (e.op === '-') return wrap(`-${expr(e.operand, true)}`);
        return expr(e.operand, nested);
      case 'Binary': {
        const l = expr(e.left, true);
        const r = expr(e.right, true);
        switch (e.op) {
          case '+':
            if (isString(e.left) && isString(e.right)) return wrap(`${l} + ${r}`);
            used.add('plus');
            return `plus(${expr(e.left)}, ${expr(e.right)})`;
          case '==':
            return wrap(`${l} === ${r}`);
          case '!=':
            return wrap(`${l} !== ${r}`);
          case '<':
          case '<=':
          case '>':
          case '>=':
          case '-':
            return wrap(`${l} ${e.op} ${r}`);
          case 'and':
            return wrap(`${l} && ${r}`);
          case 'or':
            return wrap(`${l} || ${r}`);
          default:
            throw new Unsupported(`the operator ${e.op}`);
        }
      }
      case 'Ternary':
        return wrap(`${expr(e.cond, true)} ? ${expr(e.then, true)} : ${expr(e.otherwise, true)}`);
      case 'Spawn': {
        if (!entries.has(e.entry.toLowerCase())) throw new Unsupported(`spawn of an unknown entry ${e.entry}`);
        return `call.spawn((task) => ${entryFunction(e.entry)}(task, options), ${e.arg ? expr(e.arg) : 'null'})`;
      }
    }
  };

  /** An assignment's left side: a variable, d.key or a[i] (written, so no null default). */
  const target = (e: Expr): string => {
    if (e.kind === 'Member') return `${expr(e.object, true)}[${typeof e.key === 'string' ? lit(e.key) : expr(e.key)}]`;
    return expr(e);
  };

  const lines: string[] = [];
  let current: string | undefined;
  let entersNodes = false;
  let loops = false;
  const block = (body: Stmt[], depth: number, node: string | undefined) => {
    current = node;
    for (const s of body) stmt(s, depth);
    current = node;
  };
  const stmt = (s: Stmt, depth: number): void => {
    const pad = '  '.repeat(depth);
    if (tracking && s.nodeId !== undefined && s.nodeId !== current) {
      lines.push(`${pad}$$enter(${lit(s.nodeId)});`);
      entersNodes = true;
    }
    if (s.nodeId !== undefined) current = s.nodeId;
    const here = current;
    switch (s.kind) {
      case 'Assign': {
        if (s.op !== '=') throw new Unsupported(`the assignment ${s.op}`);
        lines.push(`${pad}${target(s.target)} = ${expr(s.value)};`);
        break;
      }
      case 'CallStmt':
        lines.push(`${pad}${expr(s.call)};`);
        break;
      case 'Null':
        lines.push(`${pad};`);
        break;
      case 'Stop':
        lines.push(`${pad}return;`);
        break;
      case 'ExitIf':
        lines.push(`${pad}if (${expr(s.cond)}) break;`);
        break;
      case 'If':
        s.branches.forEach((b, i) => {
          lines.push(`${i === 0 ? pad : `${pad}} else `}if (${expr(b.cond)}) {`);
          block(b.body, depth + 1, here);
        });
        if (s.elseBody) {
          lines.push(`${pad}} else {`);
          block(s.elseBody, depth + 1, here);
        }
        lines.push(`${pad}}`);
        break;
      case 'Loop':
        lines.push(`${pad}for (;;) {`);
        // Every way round a loop checks the CPU budget (and lets the event loop run) now and then.
        lines.push(`${pad}  if ((++$$steps & 1023) === 0) await $$tick();`);
        loops = true;
        block(s.body, depth + 1, here);
        lines.push(`${pad}}`);
        break;
      default:
        throw new Unsupported(`the statement ${s.kind}`);
    }
    current = here;
  };
  block(entry.body, 1, undefined);

  const prelude: string[] = [];
  const helpers = new Set<string>();
  for (const key of used) for (const h of JS_BUILTINS[key]?.needs ?? []) helpers.add(h);
  if (used.has('plus')) helpers.add('plus');
  for (const h of Object.keys(JS_HELPERS)) if (helpers.has(h)) prelude.push(JS_HELPERS[h]);
  for (const key of Object.keys(JS_BUILTINS)) if (used.has(key)) prelude.push(JS_BUILTINS[key].source);

  if (loops || entersNodes) prelude.unshift(...BUDGET_PRELUDE.split('\n'));
  return [
    `${signature} {`,
    ...prelude.map((p) => `  ${p}`),
    ...(vars.size > 0 ? [`  let ${[...vars].map((v) => `${v} = null`).join(', ')};`] : []),
    ...lines,
    '}',
  ];
}
